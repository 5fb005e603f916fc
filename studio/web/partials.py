"""One way to answer htmx: the partial named after the element being swapped, or the page.

htmx names the element it will swap in the ``HX-Target`` header. A template names each live
block after that element's id (``{% partialdef running %}`` around ``<section id="running">``),
and a view lists the blocks it can answer with. Any other request, a plain one or one aimed at
an element the view does not know, gets the whole page. Query parameters never choose a
partial: the same URL serves the page and its blocks.
"""
from __future__ import annotations

from collections.abc import Collection

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def chosen_partial(request: HttpRequest, partials: Collection[str]) -> str | None:
    """The partial htmx asks for, if this view has it; None for the whole page."""
    target = request.htmx.target if request.htmx else None
    return target if target in partials else None


def render_partial(request: HttpRequest, template_name: str, context: dict | None = None, *,
                   partials: Collection[str], **response_kwargs) -> HttpResponse:
    """Render `template_name`, or only its partial named like the element htmx swaps."""
    if partial := chosen_partial(request, partials):
        template_name = f"{template_name}#{partial}"
    return render(request, template_name, context, **response_kwargs)
