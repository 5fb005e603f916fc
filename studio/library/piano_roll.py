"""A piano-roll picture of a track's MIDI (SVG): time across, pitch up, one colour per part;
the drums in a strip along the bottom. Drawn from the notes the engine wrote."""
from __future__ import annotations

from django.utils.html import escape

WIDTH, HEIGHT, DRUM_LANE = 1200, 360, 36
COLOURS = ["#ff7a59", "#ffb86b", "#7ad7ff", "#c86bff", "#7dffa8", "#ffd36b", "#ff6bb5", "#6b8bff"]


def svg(data: dict, duration: float) -> str:
    instruments = [i for i in data.get("instruments", []) if i["notes"]]
    pitched = [n["pitch"] for i in instruments if not i["drums"] for n in i["notes"]]
    low, high = (min(pitched) - 2, max(pitched) + 2) if pitched else (48, 72)
    span = max(duration, 1.0)
    roll = HEIGHT - DRUM_LANE
    row = roll / (high - low + 1)
    shapes = [f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#181b24"/>']
    for c in range(low, high + 1):
        if c % 12 == 0:  # a line at every C
            y = roll - (c - low + 1) * row
            shapes.append(f'<line x1="0" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" stroke="#2c3140"/>')
    legend = []
    for k, inst in enumerate(instruments):
        colour = COLOURS[k % len(COLOURS)]
        legend.append((inst["name"], colour))
        for n in inst["notes"]:
            x = n["start"] / span * WIDTH
            w = max(1.5, (n["end"] - n["start"]) / span * WIDTH)
            if inst["drums"]:
                shapes.append(f'<rect x="{x:.1f}" y="{roll + 6}" width="2" height="{DRUM_LANE - 12}" '
                              f'fill="{colour}" opacity=".7"/>')
            else:
                y = roll - (n["pitch"] - low + 1) * row
                shapes.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{max(row - 1, 1.5):.1f}" '
                              f'rx="1" fill="{colour}"><title>{escape(inst["name"])} {n["pitch"]}</title></rect>')
    title = "Piano roll: " + ", ".join(escape(name) for name, _c in legend)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-label="{title}"><title>{title}</title>{"".join(shapes)}</svg>')


def legend(data: dict) -> list[tuple[str, str]]:
    instruments = [i for i in data.get("instruments", []) if i["notes"]]
    return [(i["name"], COLOURS[k % len(COLOURS)]) for k, i in enumerate(instruments)]
