"""Plain dataclasses, enums and rules of the hub's domain: no I/O, imports nothing else of the hub."""
