"""Schema and field extensions, one concept per module."""
