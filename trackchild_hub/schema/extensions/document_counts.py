"""Counts of aliases and directives in a parsed GraphQL document, before any validation.

Counted over the whole document as written (each fragment definition once), the way a scanner's alias- and
directive-overloading probes are built: expansion through fragments is the cost limit's business (``query_cost``).
The walk keeps its own stack, so a deeply nested document cannot exhaust Python's recursion limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    ExecutableDefinitionNode,
    FieldNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)


@dataclass(frozen=True, slots=True)
class DocumentCounts:
    aliases: int
    directives: int


def count(document: DocumentNode) -> DocumentCounts:
    aliases = directives = 0
    pending: list[SelectionSetNode] = []
    for definition in document.definitions:
        if not isinstance(definition, ExecutableDefinitionNode):
            continue  # type definitions are refused by validation; they select nothing
        directives += len(definition.directives or ())
        if isinstance(definition, OperationDefinitionNode):
            directives += sum(len(v.directives or ()) for v in definition.variable_definitions or ())
        pending.append(definition.selection_set)
    while pending:
        for selection in pending.pop().selections:
            directives += len(selection.directives or ())
            if isinstance(selection, FieldNode):
                aliases += selection.alias is not None
            if isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set is not None:
                pending.append(selection.selection_set)
    return DocumentCounts(aliases=aliases, directives=directives)
