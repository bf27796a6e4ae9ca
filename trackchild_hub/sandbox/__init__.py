"""The simulated outside world, kept out of the product: what tests, benchmarks and ``serve --demo`` run against.

``demo`` generates a deterministic national picture (children, families, stations, institutions, directories);
``simulator`` serves a state police or WCD system built from it over the exchange profile (``trackchild-hub simulate``);
``federation`` mounts two simulated systems inside the hub and writes the connectors file that reaches them
(``serve --demo``); ``seed`` loads the demo picture into an empty store (``seed``, ``serve --demo``).

Only the CLI and the serve worker import this package; nothing in the product below them does. ``demo`` imports
``domain`` only, ``simulator`` adds ``demo`` and starlette; neither touches the hub's store, schema or connectors
(the import contracts in pyproject.toml hold all of this).
"""
