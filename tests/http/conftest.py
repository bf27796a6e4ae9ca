from tests.oidc.harness import oidc_provider

__all__ = ["oidc_provider"]
