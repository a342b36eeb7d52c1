"""Edmonds' blossom search for one augmenting path: what makes the pairing matcher's head count exact.

Kept apart from :mod:`._solver` because it is a textbook algorithm with its own invariants, not part of the
matcher's scoring or heuristics.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from typing import Final

NO_MATE: Final = -1


def augmenting_path(
    n: int, mate: list[int], root: int, neighbours: Callable[[int], Iterable[int]]
) -> tuple[int, list[int]]:
    """An augmenting path from the free vertex ``root``: (its free end, the parent links), or (NO_MATE, ...).

    ``mate[v]`` is v's partner or :data:`NO_MATE`; ``neighbours(v)`` the vertices v may be paired with. The
    caller flips the path by walking ``parent`` from the end. The classic O(V·E) search (after the e-maxx
    formulation); with the full allowed graph as neighbours it is exact, and in practice a free vertex is
    found within a step or two.
    """
    used = [False] * n
    parent = [NO_MATE] * n
    base = list(range(n))
    used[root] = True
    queue = deque([root])

    def lca(a: int, b: int) -> int:
        seen = [False] * n
        while True:
            a = base[a]
            seen[a] = True
            if mate[a] == NO_MATE:
                break
            a = parent[mate[a]]
        while True:
            b = base[b]
            if seen[b]:
                return b
            b = parent[mate[b]]

    def mark(v: int, b: int, child: int, blossom: list[bool]) -> None:
        while base[v] != b:
            blossom[base[v]] = blossom[base[mate[v]]] = True
            parent[v] = child
            child = mate[v]
            v = parent[mate[v]]

    while queue:
        v = queue.popleft()
        for to in neighbours(v):
            if base[v] == base[to] or mate[v] == to:
                continue
            if to == root or (mate[to] != NO_MATE and parent[mate[to]] != NO_MATE):
                cur = lca(v, to)
                blossom = [False] * n
                mark(v, cur, to, blossom)
                mark(to, cur, v, blossom)
                for i in range(n):
                    if blossom[base[i]]:
                        base[i] = cur
                        if not used[i]:
                            used[i] = True
                            queue.append(i)
            elif parent[to] == NO_MATE:
                parent[to] = v
                if mate[to] == NO_MATE:
                    return to, parent
                used[mate[to]] = True
                queue.append(mate[to])
    return NO_MATE, parent
