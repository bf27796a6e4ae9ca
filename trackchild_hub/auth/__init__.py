"""Who is calling: the Principal, scopes and agency roles. Token validation and the dev issuer live here too.

May import ``domain`` only; never strawberry or starlette.
"""
