"""Use cases: each a function (or a small class) over a unit of work (``unit.Unit``) and the caller's principal.

Resolvers, the CLI, sync, import and background workers call these alike; none of them needs a GraphQL request. The
record rule (jurisdiction, confidentiality) is applied in one place they share (``record_rule``). SQL stays in
``store``; a use case composes store repositories, ``matching``, ``directories``, ``audit`` and ``domain`` rules.
Never imports ``resolvers``, ``schema``, ``http``, strawberry or starlette.
"""
