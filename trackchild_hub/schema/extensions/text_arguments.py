"""Refuses control characters and over-long strings in any argument, before anything runs (``BAD_USER_INPUT``).

Why at the edge, not in each door: PostgreSQL refuses a NUL in ``text`` (and UTF-8 cannot carry a lone surrogate),
so a NUL in any string that reaches SQL was an internal error; a door that forgets a check must not be able to
bring it back. Every string counts, whatever its type (``String``, ``ID``, the ``_Any`` of ``_entities``): inline
literals in the document, variable values (walked by the variables the operation declares) and variable defaults.

Refused, and why:
- C0 controls U+0000-U+001F except tab, line feed and carriage return: no one types them; NUL breaks PostgreSQL and
  C strings, the rest garble logs and exports. Tab and newlines stay, since notes and circumstances are paragraphs.
- DEL U+007F and the C1 controls U+0080-U+009F: never text in any script the hub serves; they come from
  mis-decoded Windows-1252 or terminal escape sequences (U+009B is a CSI that rewrites a terminal).
- Lone surrogates U+D800-U+DFFF (JSON ``"\\ud800"``): not characters; no UTF-8 encoding exists.
- Bidirectional embeddings, overrides and isolates U+202A-U+202E, U+2066-U+2069: no keyboard types them, Urdu and
  other right-to-left text needs none, and an override makes a name or a reference read otherwise than it is stored
  (in the consoles, the case page, the logs and the reports), the "Trojan Source" trick.
Joiners (U+200C/U+200D) and the direction marks (U+200E/U+200F) are not controls: Indic scripts need the joiners and
some keyboards put in the marks, so the other format characters are left alone.
Fields keep their own, tighter rules (a name is one line, at most 200 characters: ``domain/validation.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    ListValueNode,
    Node,
    ObjectValueNode,
    OperationDefinitionNode,
    StringValueNode,
    ValidationRule,
    ValueNode,
)
from strawberry.extensions import SchemaExtension

MAX_STRING_CHARS = 10_000  # per string; the longest field a door keeps is 2,000 (domain/validation.py)
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def text_problem(value: str) -> str | None:
    """Why ``value`` may not enter the hub, or None."""
    if len(value) > MAX_STRING_CHARS:
        return f"is longer than {MAX_STRING_CHARS:,} characters ({len(value):,})"
    found = _REFUSED.search(value)
    if found is None:
        return None
    character = ord(found.group())
    kind = "an unpaired surrogate" if 0xD800 <= character <= 0xDFFF else "a control character"
    if _BIDI.match(found.group()):
        kind = "a bidirectional control character"
    return f"contains {kind} (U+{character:04X})"


def _in_value(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(path, problem) for each refused string in a JSON value (a variable's)."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            yield path, problem
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and (problem := text_problem(key)):
                yield path, f"has a key that {problem}"
                continue
            yield from _in_value(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _in_value(item, f"{path}.{i}")


def _in_literal(node: ValueNode, path: str) -> Iterator[tuple[str, str, Node]]:
    """(path, problem, node) for each refused string literal in the document."""
    if isinstance(node, StringValueNode):
        problem = text_problem(node.value)
        if problem:
            yield path, problem, node
    elif isinstance(node, ObjectValueNode):
        for field in node.fields:
            yield from _in_literal(field.value, f"{path}.{field.name.value}")
    elif isinstance(node, ListValueNode):
        for i, item in enumerate(node.values):
            yield from _in_literal(item, f"{path}.{i}")


def _refusal(path: str, problem: str, node: Node) -> GraphQLError:
    return GraphQLError(f"{path} {problem}", node, extensions={"code": "BAD_USER_INPUT", "field": path})


class TextLiteralsRule(ValidationRule):
    """Every string literal of the document (arguments, variable defaults): the same for every request of a text."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
        for definition in node.variable_definitions or ():
            if definition.default_value is not None:
                name = definition.variable.name.value
                for path, problem, at in _in_literal(definition.default_value, name):
                    self.report_error(_refusal(path, problem, at))

    def enter_argument(self, node: ArgumentNode, *_: object) -> None:
        for path, problem, at in _in_literal(node.value, node.name.value):
            self.report_error(_refusal(path, problem, at))


def variable_refusals(document: DocumentNode, variables: Mapping[str, Any]) -> list[GraphQLError]:
    """This request's variable values, by the declarations of the document's operations."""
    refusals = []
    for operation in document.definitions:
        if isinstance(operation, OperationDefinitionNode):
            for definition in operation.variable_definitions or ():
                name = definition.variable.name.value
                if name in variables:
                    refusals += [_refusal(p, problem, definition) for p, problem in _in_value(variables[name], name)]
    return refusals


def reporting(refusals: list[GraphQLError]) -> type[ValidationRule]:
    """A rule that reports ``refusals`` (found before validation) among the document's own errors."""

    class VariableValuesRule(ValidationRule):
        def enter_document(self, *_: object) -> None:
            for refusal in refusals:
                self.report_error(refusal)

    return VariableValuesRule


class TextArguments(SchemaExtension):
    """Adds the literal check (cacheable with the document: ``document_cache``) and, per request, the variables'.

    Variable values are checked here, without walking the document, so a cached document costs nothing more when
    they are clean; only refused values add a rule (and so a validation pass) to report them.
    """

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        rules = (*context.validation_rules, TextLiteralsRule)
        if context.graphql_document is not None and context.variables:
            refusals = variable_refusals(context.graphql_document, context.variables)
            if refusals:
                rules = (*rules, reporting(refusals))
        context.validation_rules = rules
        yield
