"""The HTTP edge: GraphQL over HTTP, health and readiness. Sits beside ``app`` at the top of the layers."""
