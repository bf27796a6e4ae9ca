"""State police and WCD systems as the hub reaches them: the Connector port, its REST and GraphQL adapters, record
mapping, resilience (timeouts, retries, breaker) and upstream credentials.

Adapters only: the simulated systems live in ``sandbox``. May import ``domain`` only; never strawberry or starlette
(an import contract holds it).
"""
