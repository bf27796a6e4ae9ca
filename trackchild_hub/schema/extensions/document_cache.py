"""Reuses the parsed document of a query text that passed validation before: no parse and no schema rules again.

The portal sends the same few query texts all day; parsing and validating one (a nested case page) cost more than
reading its rows. A text is cached only once it parsed under the token limit and passed every validation rule, so
the cache holds nothing an attacker's invalid documents could grow (and never an error: errors are per request, and
``SchemaPrivacy`` edits their messages per caller).

What still runs on every request, cached or not:
- the operation-type check (a GET may not run a mutation), by strawberry, before validation;
- the query limits (``QueryLimiter.on_validate``): depth and cost depend on the variables (``first: $n``);
- every rule that depends on the caller or the request, i.e. any rule not in ``DOCUMENT_RULES``: introspection
  refused to anonymous callers (``SchemaPrivacy``), variable values with control characters (``TextArguments``).
Only the rules that look at nothing but the schema and the document's text are skipped: graphql-core's specified
rules (strawberry adds ``MaybeNull``/``OneOf``, document-only too) and the literal-string check.

strawberry's ``ParserCache``/``ValidationCache`` do not fit: the first parses before ``QueryLimiter`` sets
``max_tokens`` (a huge text would be parsed whole) and the second keys on the rule classes, which are built per
request here, so it would never hit, and it caches errors.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from graphql import DocumentNode, specified_rules
from strawberry.extensions import SchemaExtension

from .text_arguments import TextLiteralsRule

DOCUMENT_RULES = frozenset({*specified_rules, TextLiteralsRule})
MAX_DOCUMENTS = 1000
# All cached texts together. A syntax tree takes 80-130 bytes per character of a written query, up to 280 for a
# dense one (measured with tracemalloc): at most about 70 MB, and room for ~600 texts the size of the case page.
MAX_CHARACTERS = 250_000


class DocumentCache:
    """Least recently used query texts and their validated documents, bounded in count and in total length."""

    def __init__(self, max_documents: int = MAX_DOCUMENTS, max_characters: int = MAX_CHARACTERS) -> None:
        self.max_documents, self.max_characters = max_documents, max_characters
        self._documents: OrderedDict[str, DocumentNode] = OrderedDict()
        self._characters = 0

    def __len__(self) -> int:
        return len(self._documents)

    def get(self, text: str) -> DocumentNode | None:
        document = self._documents.get(text)
        if document is not None:
            self._documents.move_to_end(text)
        return document

    def put(self, text: str, document: DocumentNode) -> None:
        if text in self._documents or len(text) > self.max_characters:
            return
        self._documents[text] = document
        self._characters += len(text)
        while len(self._documents) > self.max_documents or self._characters > self.max_characters:
            oldest, _ = self._documents.popitem(last=False)
            self._characters -= len(oldest)


class CachedDocuments(SchemaExtension):
    """Listed after every extension that adds validation rules, so it sees this request's whole set."""

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache
        self.known = False

    def on_operation(self) -> Iterator[None]:
        # Before parsing: a known text skips the parse (QueryLimiter and strawberry parse only when no document).
        context = self.execution_context
        document = self.cache.get(context.query) if context.query else None
        if document is not None:
            context.graphql_document, self.known = document, True
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self.known and context.pre_execution_errors is None:
            # No rules left: strawberry skips validation. Some left: they run alone (with MaybeNull/OneOf).
            context.validation_rules = tuple(r for r in context.validation_rules if r not in DOCUMENT_RULES)
        yield
        # [] when validation ran and found nothing; None when it did not run, a list of errors when it failed.
        passed = context.pre_execution_errors == []
        if not self.known and passed and context.query and context.graphql_document is not None:
            self.cache.put(context.query, context.graphql_document)
