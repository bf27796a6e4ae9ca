"""Evaluation harness for the matcher (``trackchild_hub.matching``): labelled synthetic data and the figures on it.

``generator`` makes missing reports and found children with Indian noise (``people``, ``spelling``, ``travel``,
``children``, ``sightings``; rates in ``model.NoiseModel``), ``evaluation`` runs them through an index
(``matchers``: the hub's ``MatchIndex`` or the stand-in ``baseline``), ``metrics`` and ``report`` turn outcomes into
figures, ``febrl`` is the outside check. It may import ``trackchild_hub.domain`` and ``trackchild_hub.matching``;
nothing in ``trackchild_hub`` imports it. Run with ``python -m bench.matching`` (see README.md here).
"""
