"""Use cases: each a function (or a small class) over a unit of work (``unit.Unit``) and the caller's principal.

Resolvers, the CLI, sync, import and background workers call these alike; none of them needs a GraphQL request. The
record rule (jurisdiction, confidentiality) is applied in one place they share (``record_rule``). SQL stays in
``store``; a use case composes store repositories, ``matching``, ``directories``, ``audit`` and ``domain`` rules.
Never imports ``resolvers``, ``schema``, ``http``, strawberry or starlette.

Where each use case lives:
- ``cases``: report missing / found, admit, update, transfer, close; ``case_queries``: a case, a page of cases.
- ``matches``: find matches, a case's candidates, review a pair; ``proposals``: propose after a write, and the
  background loop (``propose_forever``); ``match_service``: the process's candidate index and matcher thread.
- ``directory``: search, nearest, covering bodies, upsert / retire an entry, quality, change log;
  ``catalogue``: institutions; ``audit_trail``: a record's access log.
- ``sync``: store one page of a connector's feed with its cursor, then match it.
- ``unit``: ``Services`` (built once by ``app``), ``Unit``, ``system_principal``; ``loaders``: the unit's DataLoaders.

A new use case: one function here, one resolver line in ``schema``, one test file in ``tests/services`` (the commit
that moved ``reportFound``, 4da9446, is the example).
"""
