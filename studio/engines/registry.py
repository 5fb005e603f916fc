"""Engines by name, imported only when first used."""
from __future__ import annotations

from functools import cache
from importlib import import_module

from .base import Engine

ENGINES = {
    "local": "studio.engines.local.engine:LocalEngine",
}


def names() -> list[str]:
    return sorted(ENGINES)


@cache
def get(name: str) -> Engine:
    try:
        target = ENGINES[name]
    except KeyError:
        raise LookupError(f"unknown engine {name!r}; known: {', '.join(names())}") from None
    module, _, attr = target.partition(":")
    return getattr(import_module(module), attr)()
