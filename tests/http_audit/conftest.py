"""The external OpenID provider for the production-mode audit (see tests/oidc/harness.py)."""

from __future__ import annotations

from tests.oidc.harness import oidc_provider

__all__ = ["oidc_provider"]
