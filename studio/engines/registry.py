"""Engines by name, imported only when first used.

`get(name)` is a local engine (one per process); `upstream(vendor, http)` makes the engine for
one connection, by its dialect.
"""
from __future__ import annotations

from functools import cache
from importlib import import_module

from .base import Engine, UpstreamEngine

ENGINES = {
    "local": "studio.engines.local.engine:LocalEngine",
}
# One entry per connection dialect.
UPSTREAM = {
    "v1": "studio.engines.upstream_v1:V1Engine",
    "legacy": "studio.engines.upstream_legacy:LegacyEngine",
}


def names() -> list[str]:
    return sorted(ENGINES)


def _load(target: str):
    module, _, attr = target.partition(":")
    return getattr(import_module(module), attr)


@cache
def get(name: str) -> Engine:
    try:
        target = ENGINES[name]
    except KeyError:
        raise LookupError(f"unknown engine {name!r}; known: {', '.join(names())}") from None
    return _load(target)()


def upstream(vendor, http=None, **options) -> UpstreamEngine:
    """The engine for a connection (`upstream.Vendor`), calling out through `http`."""
    try:
        target = UPSTREAM[vendor.dialect]
    except KeyError:
        raise LookupError(f"unknown dialect {vendor.dialect!r}; known: "
                          f"{', '.join(sorted(UPSTREAM))}") from None
    return _load(target)(vendor, http, **options)
