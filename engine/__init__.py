"""Tooling that runs the real Pulumi engine offline: the pinned CLI build and its Python plugins."""
