"""From a validated set and a lens to a ranking: screens, scores, ranks, ties, dominance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from engage.core.dominance import dominators
from engage.core.errors import EngageError, UsageError, did_you_mean, unknown_name
from engage.core.model import Model, Option, OptionSet, Screen
from engage.core.weights import check_weights
from engage.methods import MethodResult, registry

CUSTOM_PROFILE = "custom"
TIE_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Lens:
    """How a set is scored: a profile's weights (or custom ones) and a method."""

    profile: str
    method: str
    weights: tuple[float, ...]

    @property
    def score_unit(self) -> str:
        return registry.get(self.method).score_unit


@dataclass(frozen=True, slots=True)
class Selection:
    """What to consider before scoring: tracks and tags (OR within, AND across), screens."""

    tracks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    screens: tuple[Screen, ...] = ()
    exclude_unknown: bool = False
    """``--unknown exclude``: options with an unknown score are listed, not ranked."""


@dataclass(frozen=True, slots=True)
class Ranked:
    option: Option
    rank: int
    score: float
    contributions: tuple[float, ...] | None
    dominated_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScreenedOut:
    option: Option
    rule: str
    value: float


@dataclass(frozen=True, slots=True)
class Baseline:
    """The model's baseline (carrying on as now): scored under the lens, never ranked."""

    option: Option
    score: float
    contributions: tuple[float, ...] | None
    inside_set: bool
    """True when the method scored it with the ranked options around it (TOPSIS, PROMETHEE)."""


@dataclass(frozen=True, slots=True)
class Ranking:
    model: Model
    lens: Lens
    rows: tuple[Ranked, ...]
    screened_out: tuple[ScreenedOut, ...]
    ties: tuple[tuple[str, ...], ...]
    total: int
    """How many options were ranked before ``top`` trimmed the rows."""
    baseline: Baseline | None = None

    def vs_baseline(self, row: Ranked) -> float | None:
        """The row's score minus the baseline's under the same lens; None without one."""
        return None if self.baseline is None else row.score - self.baseline.score

    def top(self, n: int | None) -> Ranking:
        """The rows with rank <= n (ties kept); the ranking itself is unchanged."""
        if n is None:
            return self
        return replace(self, rows=tuple(r for r in self.rows if r.rank <= n))

    def find(self, option_id: str) -> Ranked | None:
        return next((r for r in self.rows if r.option.id == option_id), None)


def resolve_lens(
    model: Model,
    profile: str | None = None,
    method: str | None = None,
    weights: dict[str, float] | None = None,
) -> Lens:
    """The lens a command asked for; unknown names and bad weights are usage errors."""
    method = method or model.default_method
    if method not in registry.names():
        raise unknown_name("method", method, registry.names())
    if weights is not None:
        problems: list[tuple[str, str | None, str | None]] = []
        resolved = check_weights(weights, model.criterion_ids, problems)
        if resolved is None:
            message, hint, _ = problems[0]
            raise UsageError(f"`weights`: {message}", hint=hint, field="weights")
        return Lens(CUSTOM_PROFILE, method, resolved)
    name = profile or model.default_profile
    names = [p.name for p in model.profiles]
    if name not in names:
        raise unknown_name("profile", name, names)
    return Lens(name, method, model.profile(name).weights)


SELECTION = ("track", "tag")
"""The input fields that narrow the set to a selection (see :class:`Selection`)."""


def nothing_left() -> EngageError:
    """The error of an analysis that the selection left no option to work on."""
    return EngageError("no option is left after the screens, `track` and `tag`", field=SELECTION)


def select(option_set: OptionSet, selection: Selection) -> tuple[list[Option], list[ScreenedOut]]:
    """Apply --track/--tag, then the model's screens and the ad-hoc ones (in that order)."""
    model = option_set.model
    options = [o for o in option_set.options if o.id != model.baseline]
    if selection.tracks:
        known = list(model.tracks or sorted({o.track for o in options}))
        for track in selection.tracks:
            if track not in known:
                raise unknown_name("track", track, known)
        options = [o for o in options if o.track in selection.tracks]
    if selection.tags:
        known = sorted({t for o in option_set.options for t in o.tags})
        for tag in selection.tags:
            if tag not in known:
                raise UsageError(f"no option has the tag '{tag}'", hint=did_you_mean(tag, known))
        options = [o for o in options if any(t in selection.tags for t in o.tags)]
    screens = (*model.screens, *selection.screens)
    if not screens and not selection.exclude_unknown:
        return options, []
    kept, screened = [], []
    for option in options:
        unknown = option.unknown(model.criteria) if selection.exclude_unknown else ()
        if unknown:  # docs/formats.md#unknown-scores: the rule `unknown benefit`
            value = option.scores[unknown[0]].value
            screened.append(ScreenedOut(option, f"unknown {unknown[0]}", value))
            continue
        for screen in screens:
            value = option.scores[screen.criterion].value
            if screen.excludes(value):
                screened.append(ScreenedOut(option, screen.rule, value))
                break
        else:
            kept.append(option)
    screened.sort(key=lambda s: s.option.id)
    return kept, screened


def score(options: Sequence[Option], model: Model, lens: Lens) -> MethodResult:
    """Run the lens's method over the options' written values."""
    ids = model.criterion_ids
    matrix = [[o.scores[c].value for c in ids] for o in options]
    return score_matrix(matrix, model, lens)


def score_matrix(matrix: Sequence[Sequence[float]], model: Model, lens: Lens) -> MethodResult:
    """The lens's method over a performance matrix (rows = options, columns = criteria)."""
    return registry.get(lens.method).score(matrix, lens.weights, model.criteria)


def rank(option_set: OptionSet, lens: Lens, selection: Selection | None = None) -> Ranking:
    """Screen, score, sort and rank (docs/methods.md#ranks-and-ties), and find who dominates whom
    (docs/methods.md#dominance)."""
    model = option_set.model
    options, screened = select(option_set, selection or Selection())
    result = score(options, model, lens)
    scores, ids = result.scores, [o.id for o in options]
    order = sorted(range(len(options)), key=lambda i: (-scores[i], ids[i]))
    ranks, ties = assign_ranks([scores[i] for i in order], [ids[i] for i in order])
    order = [order[k] for k in ranks.order]
    dominated = dominators(_oriented(options, model), order)
    contributions = result.contributions
    rows = tuple(
        [
            Ranked(
                options[i],
                r,
                scores[i],
                tuple(contributions[i]) if contributions is not None else None,
                tuple([ids[d] for d in dominated[i]]) if dominated[i] else (),
            )
            for i, r in zip(order, ranks.ranks, strict=True)
        ]
    )
    base = score_baseline(option_set, options, lens)
    return Ranking(model, lens, rows, tuple(screened), ties, total=len(rows), baseline=base)


def baseline_option(option_set: OptionSet) -> Option | None:
    """The option the model names as its baseline, or None."""
    wanted = option_set.model.baseline
    return next((o for o in option_set.options if o.id == wanted), None) if wanted else None


def score_baseline(option_set: OptionSet, options: Sequence[Option], lens: Lens) -> Baseline | None:
    """The baseline's score under the lens: alone for scale-anchored methods (weighted sum),
    with the ranked options around it for the relative ones (TOPSIS, PROMETHEE)."""
    found = baseline_option(option_set)
    if found is None:
        return None
    inside = registry.get(lens.method).relative
    result = score([*options, found] if inside else [found], option_set.model, lens)
    contributions = result.contributions
    last = tuple(contributions[-1]) if contributions is not None else None
    return Baseline(found, result.scores[-1], last, inside)


def _oriented(options: Sequence[Option], model: Model) -> list[list[float]]:
    """Each option's written values rescaled to 0–1 on their scales, higher is better
    (value functions aside: dominance compares what was written)."""
    scales = [(c.id, c.lo, c.hi - c.lo, c.higher_is_better) for c in model.criteria]
    return [
        [
            (o.scores[cid].value - lo) / span if better else 1.0 - (o.scores[cid].value - lo) / span
            for cid, lo, span, better in scales
        ]
        for o in options
    ]


@dataclass(frozen=True, slots=True)
class _Ranks:
    order: list[int]
    ranks: list[int]


def assign_ranks(
    scores: Sequence[float], ids: Sequence[str]
) -> tuple[_Ranks, tuple[tuple[str, ...], ...]]:
    """Competition ranks (1, 2, 2, 4) over scores sorted descending.

    Two scores tie when they differ by at most 1e-9 × max(1, |a|, |b|); groups form along
    the sorted list against each group's first member, and a group is listed in id order.
    Returns the reordered positions (ties put in id order), the ranks, and the tie groups.
    """
    order: list[int] = []
    ranks: list[int] = []
    ties: list[tuple[str, ...]] = []
    k = 0
    while k < len(scores):
        first = scores[k]
        end = k + 1
        while end < len(scores) and _tied(first, scores[end]):
            end += 1
        group = sorted(range(k, end), key=lambda j: ids[j])
        order.extend(group)
        ranks.extend([k + 1] * len(group))
        if len(group) > 1:
            ties.append(tuple(ids[j] for j in group))
        k = end
    return _Ranks(order, ranks), tuple(ties)


def _tied(a: float, b: float) -> bool:
    return abs(a - b) <= TIE_TOLERANCE * max(1.0, abs(a), abs(b))
