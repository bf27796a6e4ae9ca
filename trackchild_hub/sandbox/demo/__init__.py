"""Deterministic demo data: a believable national picture. Imports only domain."""

from trackchild_hub.sandbox.demo.generator import DemoData, generate_demo

__all__ = ["DemoData", "generate_demo"]
