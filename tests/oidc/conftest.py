"""The session fixture `oidc_provider`: a real external OpenID provider (oidc-provider on Node) for tests.

Other test packages get it the same way: `from tests.oidc.harness import oidc_provider  # noqa: F401` in their
conftest.py (see tests/oidc/harness.py for the `OidcProvider` API).
"""

from __future__ import annotations

from tests.oidc.harness import oidc_provider

__all__ = ["oidc_provider"]
