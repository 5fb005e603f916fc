"""A track's family: up its parents to the source, then down to every extension and cover.

One query per generation of the family, bounded, so a long chain cannot run away and a
cycle (which the data model does not forbid) cannot loop.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .models import Track

MAX_DEPTH = 40
MAX_NODES = 300
_FIELDS = ("id", "owner_id", "parent_id", "generation_id", "generation__mode", "title",
           "duration", "continue_at", "variation", "created_at", "cover", "trashed_at")


@dataclass
class Node:
    track: Track
    current: bool = False
    children: list[Node] = field(default_factory=list)


def ancestors(track: Track, user) -> list[Track]:
    """From the root source down to `track`'s parent (only the user's own tracks)."""
    chain: list[Track] = []
    seen = {track.pk}
    parent_id = track.parent_id
    owned = Track.objects.owned_by(user).select_related("generation")
    while parent_id and parent_id not in seen and len(chain) < MAX_DEPTH:
        parent = owned.filter(pk=parent_id).first()
        if parent is None:
            break
        seen.add(parent.pk)
        chain.append(parent)
        parent_id = parent.parent_id
    return list(reversed(chain))


def tree(track: Track, user) -> Node:
    """The whole family as a tree rooted at the oldest source, `track` marked current."""
    chain = ancestors(track, user)
    root_track = chain[0] if chain else track
    root = Node(root_track, current=root_track.pk == track.pk)
    level, seen, count = [root], {root_track.pk}, 1
    owned = (Track.objects.owned_by(user).select_related("generation").only(*_FIELDS)
             .order_by("created_at", "variation"))
    for _depth in range(MAX_DEPTH):
        by_id = {node.track.pk: node for node in level}
        children = [c for c in owned.filter(parent_id__in=list(by_id)) if c.pk not in seen]
        if not children:
            break
        level = []
        for child in children[: MAX_NODES - count]:
            seen.add(child.pk)
            node = Node(child, current=child.pk == track.pk)
            by_id[child.parent_id].children.append(node)
            level.append(node)
        count += len(level)
        if count >= MAX_NODES:
            break
    return root


def size(node: Node) -> int:
    return 1 + sum(size(child) for child in node.children)
