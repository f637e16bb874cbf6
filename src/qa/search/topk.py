"""Exact top-k by the threshold algorithm over impact-ordered prefixes of the postings.

Each term's postings are cut, lazily and once per index, into a prefix of the passages where
it weighs most (largest saturation ``tf_saturation(tf, norm)``, best first) and the rest. A
query reads every term's prefix to some depth: a passage outside all of them scores at most
B = Σ count·weight·(largest saturation left out). Rounds: score the best few passages read
exactly to get θ, the k-th best exact score (or group score); while B ≥ θ, read deeper, by a
greedy plan that deepens the terms whose saturations fall off fastest (``plan_depths``) and,
when that plan is long, first raises θ from the intersection of the two rarest lists
(``seed_theta``): the top k usually hold every rare term. Once B < θ, with the slack of
``qa.prune.cutoff`` (a passage tying θ could still win on position), only passages read can be
in the top k; each gets an NRA bound (its saturations where read, the prefix bound elsewhere),
terms are looked up only while that bound reaches θ, and the few left are scored exactly, term
by term in query order as ``PassageIndex.scores`` adds them. The ranking is unchanged
(``tests/test_topk_oracle.py`` guards it against rank-bm25); a query reads a few thousand
postings instead of every posting of its common terms. When prefixes are too short to get B
below θ, or a plan would read more than 1/dense_share (``TopKPolicy``) of the query's postings,
the caller scores every posting at once instead (``qa.densetop``: a bincount over cached
saturations).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from .bm25 import FloatArray, tf_saturation
from .prune import BoolArray, Ints, TermSpan, cutoff, exact_scores, span_tfs
from .sortedsets import run_starts

# Deeper prefixes are planned for a bound this fraction of θ (θ ≥ 0 with such weights): a little
# below θ, so the last round leaves few passages to bound; 0.95 read 9 % less CPU than 0.85 over
# the bench questions at 10⁶ (docs/benchmarks.md, "Lookups in tables").
PLAN_AIM = 0.95
# The rarest term's list is intersected with the next one's for a better θ (up to this length)
# when the prefixes planned would hold more than SEED_WHEN postings.
SEED_MAX = 8192
SEED_WHEN = 4096
# When the next list has a tf table (qa.tftables), intersecting costs one read per passage of
# the rarest list: up to this length.
SEED_TABLE_MAX = 1 << 16
# Past four times this many passages to bound, the lookups are ordered by how much they lower
# the bounds of this many of them (evenly spread).
LOOKUP_SAMPLE = 256
# Memory bound of the impact cache: at most this many cached prefix entries in all, 12 bytes
# each (int32 passage + float64 saturation), i.e. ≤ 48 MiB per open index whatever its size.
CACHE_ENTRIES = 1 << 22

Rank = Callable[[Ints, FloatArray], float]  # (candidates, their scores) -> θ they reach


@dataclass(frozen=True, slots=True)
class TopKPolicy:
    """When a segment index prunes by prefixes and when it scores every posting at once.

    Each choice gives the same top k (the oracle tests run every one); these only decide the
    speed. Tests pass other values to force each path.
    """

    # The first prefix per term; each further round reads at most prefix_growth times more.
    prefix_start: int = 64
    prefix_growth: int = 16
    # The longest prefix kept per term: prefix_max, or 1/prefix_share of a longer list. Past
    # it, pruning by bounds (qa.search.prune) touches fewer postings.
    prefix_max: int = 16384
    prefix_share: int = 8
    # Give up on prefixes (score every posting) once a plan would read more than
    # 1/dense_share of the query's postings: merging prefixes costs a sort, scoring a scatter.
    dense_share: int = 12
    # A mask allowing at most this many passages of a segment: score them all, no pruning.
    few_allowed: int = 512
    # Score at once (qa.search.densetop) in a segment where the query's postings plus a
    # quarter of the passages (the scans of a segment-long array) are at most this: a round
    # of pruning costs about as much as scoring tens of thousands of postings.
    dense_first: float = 300_000
    # When the prefixes give up, read only the essential terms' lists (qa.maxscore) rather
    # than score every posting, if that reads (``maxscore_reads``: essential postings, each
    # perhaps looked up in every other list without a tf table) at most 1/maxscore_share of
    # the query's postings: reading a posting into a union costs several times scattering it.
    maxscore: bool = True
    maxscore_share: float = 12.0
    # A term in at least 1/table_share of a segment's passages is looked up in a table of its
    # tf at every passage, not by binary search in its postings (``qa.tftables``); 0: never.
    table_share: int = 16
    # A query of more postings than this seeds θ before its first round and, if no prefixes
    # within the dense fallback's budget could then get the bound below θ, falls back at once:
    # the rounds it would read first cost 1–4 ms at 10⁶ (docs/benchmarks.md, "Lookups in
    # tables"). Below it, seeding first cost more than it saved (the median question).
    seed_first: int = 1 << 20

    def prefix_size(self, postings: int) -> int:
        """Return how many of a term's postings its cached prefix holds."""
        return min(postings, max(self.prefix_max, postings // self.prefix_share))


DEFAULT_POLICY = TopKPolicy()


@dataclass(frozen=True, slots=True, eq=False)
class Impact:
    """A term's postings with the largest saturation first: a prefix and a bound on the rest."""

    docs: Ints  # local passages, descending saturation
    sats: FloatArray  # their saturation
    rest: float  # the largest saturation outside the prefix; 0.0 when the prefix is the list
    # Planning steps from the first depth a query reads (``_steps``), computed once per term
    # rather than per query; the first is that depth itself.
    ladder: tuple[tuple[float, int, float], ...] = ()

    def beyond(self, m: int) -> float:
        """Return the largest saturation outside the first ``m`` postings of the prefix."""
        return float(self.sats[m]) if m < len(self.sats) else self.rest


def impact(docs: Ints, tfs: npt.NDArray[np.float32], norm: FloatArray, size: int,
           start: int = DEFAULT_POLICY.prefix_start) -> Impact:
    """Return the ``size`` postings with the largest saturation, best first, and the rest's max."""
    sat = tf_saturation(tfs.astype(np.float64), norm[docs])
    if size >= len(sat):
        top = np.argsort(-sat, kind="stable")
        return _with_ladder(Impact(docs[top], sat[top], 0.0), start)
    # After the partition, positions before ``size`` hold the largest values, ``size`` the next.
    part = np.argpartition(-sat, size)
    top = part[:size]
    top = top[np.argsort(-sat[top], kind="stable")]
    return _with_ladder(Impact(docs[top], sat[top], float(sat[part[size]])), start)


def _with_ladder(m: Impact, first: int) -> Impact:
    """Return the impact with its planning steps from the first depth a query reads."""
    start = min(first, len(m.docs))
    return replace(m, ladder=((0.0, start, m.beyond(start)),
                              *_steps([(start, m.beyond(start)), *_doublings(m, 1.0, start)])))


class ImpactCache:
    """Impact prefixes by key, the least recently used dropped past ``capacity`` entries."""

    def __init__(self, capacity: int = CACHE_ENTRIES) -> None:
        self.capacity = capacity
        self._items: OrderedDict[Hashable, Impact] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()  # the bot may query from several threads

    def get(self, key: Hashable, m: int, build: Callable[[int], Impact]) -> Impact:
        """Return a cached prefix of at least ``m`` postings (or the whole list), else build it."""
        with self._lock:
            found = self._items.get(key)
            if found is not None and (len(found.docs) >= m or found.rest == 0.0):
                self._items.move_to_end(key)
                return found
        made = build(m)
        with self._lock:
            old = self._items.pop(key, None)
            self._held -= 0 if old is None else len(old.docs)
            self._items[key] = made
            self._held += len(made.docs)
            while self._held > self.capacity and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._held -= len(dropped.docs)
        return made


@dataclass(frozen=True, slots=True)
class Candidates:
    """Passages scored exactly (ascending), and per term which of them hold it."""

    docs: Ints
    total: FloatArray
    found: list[BoolArray]


def plan_depths(
    impacts: Sequence[Impact], scales: Sequence[float], depth: Sequence[int], target: float,
    budget: int,
) -> list[int]:
    """Return deeper prefixes, within ``budget`` postings, lowering Σ scale·beyond(depth).

    Greedy over each term's doublings, the best drop of the bound per posting read first
    (``_steps``), until the bound is below ``target``.
    """
    depth = list(depth)
    bound = [s * m.beyond(d) for s, m, d in zip(scales, impacts, depth, strict=True)]
    steps: list[tuple[float, int, int, float]] = []  # (drop per posting, term, depth, bound)
    for t, (m, s) in enumerate(zip(impacts, scales, strict=True)):
        if m.ladder and m.ladder[0][1] == depth[t]:  # scaling keeps the steps' order
            ladder = [(s * r, x, s * y) for r, x, y in m.ladder[1:]]
        else:
            ladder = _steps([(depth[t], bound[t]), *_doublings(m, s, depth[t])])
        steps.extend((r, t, x, y) for r, x, y in ladder)
    steps.sort(key=lambda step: -step[0])  # stable: a term's steps stay in depth order
    spent, total = sum(depth), sum(bound)
    blocked: set[int] = set()
    for _, t, to, lower in steps:
        if total < target:
            break
        if t in blocked or spent + to - depth[t] > budget:
            blocked.add(t)  # its later steps would skip this one
            continue
        spent += to - depth[t]
        total += lower - bound[t]
        depth[t], bound[t] = to, lower
    return depth


def _steps(points: list[tuple[int, float]]) -> list[tuple[float, int, float]]:
    """Return (drop per posting, depth, bound) for each step between points ordered by depth.

    A step's drop counts as the best drop of any step at or after it, so the drops never
    increase along a term: a plateau before a steep fall is still worth reading through.
    """
    steps = []
    best = 0.0
    for (x0, y0), (x1, y1) in reversed(list(zip(points, points[1:], strict=False))):
        best = max(best, (y0 - y1) / (x1 - x0))
        steps.append((best, x1, y1))
    return steps[::-1]


def _doublings(m: Impact, scale: float, depth: int) -> list[tuple[int, float]]:
    """Return (depth, scale·beyond(depth)) for the doublings of ``depth`` up to the prefix."""
    n = len(m.docs)
    levels = []
    while depth < n:
        depth = min(2 * max(depth, 1), n)
        levels.append(depth)
    if not levels:
        return []
    values = scale * m.sats[np.minimum(levels, n - 1)]
    values[-1] = scale * m.beyond(levels[-1])
    return list(zip(levels, values.tolist(), strict=True))


def threshold_top(
    spans: Sequence[TermSpan], query_order: Sequence[int], norm: FloatArray,
    impacts: Callable[[int], Impact], keep: Callable[[Ints], BoolArray], rank: Rank,
    theta: float, batch: int, policy: TopKPolicy = DEFAULT_POLICY,
) -> tuple[Candidates | None, float]:
    """Return candidates holding the exact top k, or None and a θ floor for the fallback.

    ``impacts(i)`` gives span i's impact prefix; ``keep`` tells which passages may be returned;
    ``rank`` gives the k-th best score (or group score) that candidates reach, -inf if too
    few; the ``batch`` best of each round are scored to raise θ. Weights must not be negative.
    """
    present = [i for i, span in enumerate(spans) if len(span.docs)]
    heads = [impacts(i) for i in present]
    scales = [spans[i].count * spans[i].weight for i in present]
    depth = [min(policy.prefix_start, len(m.docs)) for m in heads]
    postings = sum(len(spans[i].docs) for i in present)
    seeded = postings > policy.seed_first
    if seeded:
        theta = max(theta, seed_theta(spans, query_order, norm, keep, rank, batch))
        if hopeless(heads, scales, depth, theta, postings // max(policy.dense_share, 1)):
            return None, theta
    while True:
        beyond = [s * m.beyond(d) for s, m, d in zip(scales, heads, depth, strict=True)]
        union, seen, upper = _union(heads, scales, depth, beyond, keep, len(norm))
        whole = all(m.rest == 0.0 and d == len(m.docs) for m, d in zip(heads, depth, strict=True))
        if not whole and sum(beyond) >= cutoff(theta):
            # Passages seen in many prefixes are the likely winners: scoring them raises θ.
            first = union if len(union) <= batch else np.sort(
                union[np.argpartition(-seen, batch)[:batch]])
            total, found = exact_scores(spans, query_order, first, norm)
            theta = max(theta, rank(first, total))
            if len(first) == len(union) and sum(beyond) < cutoff(theta):
                return Candidates(first, total, found), theta  # all read, all scored
        if whole or sum(beyond) < cutoff(theta):
            break
        # Aiming below θ reads a little more, but then most passages read are pruned unseen.
        deeper = plan_depths(heads, scales, depth, PLAN_AIM * cutoff(theta),
                             policy.prefix_growth * sum(depth))
        if not seeded and sum(deeper) > SEED_WHEN:
            # Before reading much deeper: a better θ makes the prefixes needed shorter.
            seeded, theta = True, max(theta, seed_theta(spans, query_order, norm, keep, rank,
                                                         batch))
            if sum(beyond) < cutoff(theta):
                break
            deeper = plan_depths(heads, scales, depth, PLAN_AIM * cutoff(theta),
                                 policy.prefix_growth * sum(depth))
        if deeper == depth or sum(deeper) * policy.dense_share > postings:
            # Reading that much of the lists costs more than scoring them all at once.
            return None, theta
        depth = deeper
    alive = upper >= cutoff(theta)
    union, upper = union[alive], upper[alive]
    if len(union) > batch:
        lookups = [(spans[i], s, b) for i, s, b in zip(present, scales, beyond, strict=True)]
        union = union[bounded(lookups, norm, union, upper, cutoff(theta))]
    total, found = exact_scores(spans, query_order, union, norm)
    return Candidates(union, total, found), max(theta, rank(union, total))


def hopeless(heads: Sequence[Impact], scales: Sequence[float], depth: Sequence[int],
             theta: float, budget: int) -> bool:
    """Return whether prefixes of ``budget`` postings in all could not bring the bound below θ.

    The plan is the rounds' own (``plan_depths``), aimed at θ itself; a θ raised later by the
    rounds could still make them succeed, so this only saves the rounds that would give up.
    """
    floor = cutoff(theta)
    if not floor > 0:
        return False
    deeper = plan_depths(heads, scales, depth, floor, budget)
    return sum(s * m.beyond(d) for s, m, d in zip(scales, heads, deeper, strict=True)) >= floor


def seed_theta(
    spans: Sequence[TermSpan], query_order: Sequence[int], norm: FloatArray,
    keep: Callable[[Ints], BoolArray], rank: Rank, batch: int,
) -> float:
    """Return the θ reached by passages holding the two rarest terms (the best few, exactly).

    The top k usually hold most query terms, so they hold the rarest two: intersecting those
    short lists finds them without reading any common term's postings.
    """
    by_df = sorted((i for i, s in enumerate(spans) if len(s.docs)),
                   key=lambda i: len(spans[i].docs))
    a = spans[by_df[0]] if by_df else None
    # A compound word and its part often share one list: the next list of another length.
    c = next((spans[i] for i in by_df if a is not None and len(spans[i].docs) > len(a.docs)),
             None)
    if a is None or c is None or len(a.docs) > (SEED_MAX if c.table is None else SEED_TABLE_MAX):
        return -np.inf
    tf_c, held = span_tfs(c, a.docs)
    both = held & keep(a.docs)
    docs = a.docs[both]
    if len(docs) > batch:
        part = (a.count * a.weight * tf_saturation(a.tfs[both].astype(np.float64), norm[docs])
                + c.count * c.weight * tf_saturation(tf_c[both], norm[docs]))
        docs = np.sort(docs[np.argpartition(-part, batch)[:batch]])
    total, _ = exact_scores(spans, query_order, docs, norm)
    return rank(docs, total)


def _union(
    heads: Sequence[Impact], scales: Sequence[float], depth: Sequence[int],
    beyond: Sequence[float], keep: Callable[[Ints], BoolArray], size: int,
) -> tuple[Ints, FloatArray, FloatArray]:
    """Return the prefixes' union (kept passages only, ascending), what each gets from the
    prefixes it is in, and its bound (NRA): that plus the largest saturation left outside
    (scaled) for every other term."""
    docs = np.concatenate([m.docs[:d] for m, d in zip(heads, depth, strict=True)])
    gets = np.concatenate([s * m.sats[:d] for s, m, d in zip(scales, heads, depth, strict=True)])
    union, where = distinct(docs, size)
    seen = np.bincount(where, weights=gets, minlength=len(union)).astype(np.float64)
    # A term's prefix replaces its bound by what the passage gets from it.
    replaced = np.bincount(where, weights=np.repeat(beyond, depth), minlength=len(union))
    upper = seen - replaced + sum(beyond)
    ok = keep(union)
    if ok.all():  # no mask and no dead passages: three copies of the union spared
        return union, seen, upper
    kept: Ints = union[ok]
    return kept, seen[ok], upper[ok]


class Places(threading.local):
    """A per-thread segment-long array that ``distinct`` numbers passages in, reused.

    Only the entries ``distinct`` writes are read back, so it is never cleared: a fresh 4 MB
    array (10⁶ passages) is a thousand pages for the kernel to fault in and zero per query.
    """

    def __init__(self) -> None:
        self.place: npt.NDArray[np.int32] = np.empty(0, dtype=np.int32)

    def take(self, size: int) -> npt.NDArray[np.int32]:
        """Return a buffer of at least ``size`` entries (contents undefined)."""
        if len(self.place) < size:
            self.place = np.empty(size, dtype=np.int32)
        return self.place


_PLACES = Places()


def distinct(docs: Ints, size: int, runs: bool = False) -> tuple[Ints, Ints]:
    """Return the distinct passages (ascending) and each entry's place among them.

    As ``np.unique(docs, return_inverse=True)``, whose inverse costs a stable argsort (at
    10⁶, 95 k entries: 3.8 ms): a plain sort finds the passages, a segment-long array
    numbered at them gives each entry's place (1.3 ms). Passages are below ``size``; ``runs``:
    they are a few ascending runs (whole lists), which a stable sort merges (half the time).
    """
    union = np.sort(docs, kind="stable" if runs else "quicksort")
    union = union[run_starts(union)]
    place = _PLACES.take(size)
    place[union] = np.arange(len(union), dtype=np.int32)
    return union, place[docs]


def bounded(
    lookups: Sequence[tuple[TermSpan, float, float]], norm: FloatArray, docs: Ints,
    upper: FloatArray, floor: float,
) -> BoolArray:
    """Return which passages' bound still reaches ``floor`` once their terms are looked up.

    Terms that lower the bound most go first (``_by_drop``), so most passages drop out before
    most lookups. A term's saturation is at least its prefix's bound where the passage is in
    its prefix, at most it elsewhere: the bound there was max(exact, prefix bound), and now
    becomes the exact value.
    """
    alive = np.flatnonzero(upper >= floor)
    upper = upper[alive]
    for span, scale, beyond in _by_drop(lookups, norm, docs[alive]):
        if beyond <= 0.0 or not len(alive):
            continue
        upper += _drops(span, scale, beyond, norm, docs[alive])
        still = upper >= floor
        alive, upper = alive[still], upper[still]
    mask = np.zeros(len(docs), dtype=np.bool_)
    mask[alive] = True
    return mask


def _drops(span: TermSpan, scale: float, beyond: float, norm: FloatArray,
           docs: Ints) -> FloatArray:
    """Return how much each passage's bound falls once the term is looked up (≤ 0).

    A passage without the term loses the whole bound; only those holding it need their
    saturation (most do not, where pruning matters: at 10⁶, 22 % of 96 k).
    """
    tf, holds = span_tfs(span, docs)
    held = np.flatnonzero(holds)
    drop = np.full(len(docs), -beyond)
    value = scale * tf_saturation(tf[held], norm[docs[held]])
    drop[held] = np.minimum(value - beyond, 0.0)
    return drop


def _by_drop(lookups: Sequence[tuple[TermSpan, float, float]], norm: FloatArray,
             docs: Ints) -> list[tuple[TermSpan, float, float]]:
    """Return the lookups, those that lower the passages' bounds most (on a sample) first.

    The most uncertain term (largest bound) is not always the one that prunes: a compound's
    part (武装 in 理论武装) is held by every passage of the compound, so looking it up lowers
    no bound there. Few passages: most uncertain first, as sampling would cost more.
    """
    ordered = sorted(lookups, key=lambda x: -x[2])
    if len(docs) < LOOKUP_SAMPLE * 4:
        return ordered
    sample = docs[:: len(docs) // LOOKUP_SAMPLE]
    drops = []
    for span, scale, beyond in ordered:
        if beyond <= 0.0 or not len(span.docs):
            drops.append(0.0)
            continue
        drops.append(float(_drops(span, scale, beyond, norm, sample).sum()))
    order = sorted(range(len(ordered)), key=lambda i: drops[i])  # stable: ties by bound
    return [ordered[i] for i in order]
