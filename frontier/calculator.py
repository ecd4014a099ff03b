"""The calculator (SPEC §11): every GPU read at one target interactivity, and what N users cost.

One row per GPU (``by="gpu"``: all its points for the model, sequence and precision pooled
into one side, SPEC §5) or per series (``by="series"``: gpu x framework x spec method, each
its own frontier). Each row is read at the target exactly as a comparison side: the
(interactivity, throughput) frontier, each metric interpolated separately through its knots,
target and values clamped (SPEC §4, ``compare.side_frontier`` / ``compare.read_side``).

For N users each streaming at the target T tok/s/user:
    GPUs needed = ceil(N x T / output tok/s/GPU at the target)
    $ per month = GPUs x $/GPU-hr x 730          (730 hours in an average month)
    MW          = GPUs x kW per GPU / 1000
The demand is N x T at the requested target even when the reading is clamped to the
frontier's edge (the row is marked: that GPU was not measured at T)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .compare import Row, select
from .evaluations import RECIPE, SideAccuracy, accuracy_of, bracket, within_noise
from .filters import FILTER_KEYS
from .formatting import approx_int, fixed, money, number_text
from .normalise import spec_label
from .prices import DEFAULT_PRICES, PriceOverrides, apply_prices, prices_used
from .readings import read_groups
from .urlstate import Resolution, shown, single_value

DEFAULT_TARGET = 35  # tok/s/user: InferenceX's calculator default
HOURS_PER_MONTH = 730
TARGET_RANGE = (0.01, 10_000.0)  # tok/s/user accepted from a query
MAX_USERS = 1_000_000_000
MAXCOST_RANGE = (1e-6, 1e6)  # $/M tokens
BY = ("gpu", "series")
CALCULATOR_KEYS = {"model", "seq", "precision", "target", "users", "by", "maxcost", "sort", "provider", "price", "kw",
                   *FILTER_KEYS}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str
    higher_is_better: bool
    format: object  # value -> text
    needs_users: bool = False


def _count_text(v):
    return "n/a" if v is None else f"{int(v):,}"


def _monthly_text(v):
    return "n/a" if v is None else "$" + fixed(v, 0, thousands=True)


COLUMNS = [
    Column("throughput", "Throughput", "tok/s/GPU", True, lambda v: fixed(v, 1)),
    Column("output_throughput", "Output throughput", "tok/s/GPU", True, lambda v: fixed(v, 1)),
    Column("cost", "Cost", "$/M tok", False, lambda v: money(v, 3)),
    Column("tokmw", "tok/s/MW", "tok/s/MW", True, lambda v: fixed(v, 0)),
    Column("concurrency", "Concurrency", "", True, approx_int),
    Column("gpus_needed", "GPUs needed", "GPUs", False, _count_text, True),
    Column("monthly_cost", "Cost per month", "$/month", False, _monthly_text, True),
    Column("megawatts", "Power", "MW", False, lambda v: fixed(v, 3), True),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
SORT_KEYS = ("gpu", *COLUMN_BY_KEY)


def _read_rows(provider: str) -> list[Row]:
    fmt = {c.key: c.format for c in COLUMNS}
    return [
        Row("throughput", "Throughput", "tok/s/GPU", "tput", fmt["throughput"]),
        Row("output_throughput", "Output throughput", "tok/s/GPU", "tput_output", fmt["output_throughput"]),
        Row("cost", "Cost", "$/M tok", f"cost_total_{provider}", fmt["cost"]),
        Row("tokmw", "tok/s/MW", "tok/s/MW", "tokmw", fmt["tokmw"]),
        Row("concurrency", "Concurrency", "", "conc", fmt["concurrency"]),
    ]


@dataclass(frozen=True)
class CalculatorParams:
    target: float = DEFAULT_TARGET
    users: int | None = None
    by: str = "gpu"
    maxcost: float | None = None
    sort: str | None = None  # a column key, "-key" for the reverse of its natural order


def _bounded_number(raw: str | None, name: str, lo: float, hi: float, unit: str, res: Resolution) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw) if len(raw) <= 32 else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not lo <= value <= hi:
        res.note(f"Ignored {name}={shown(raw)}: expected a number of {unit} between {lo:g} and {hi:g}.")
        return None
    return value


def parse_target(query: dict[str, list[str]], res: Resolution) -> float:
    """``target=`` in tok/s/user (the calculator's and the history's), else the default."""
    target = _bounded_number(single_value(query, "target", res), "target", *TARGET_RANGE, "tok/s/user", res)
    if target is None:
        return DEFAULT_TARGET
    return int(target) if float(target).is_integer() else target


def resolve_calculator_params(query: dict[str, list[str]], res: Resolution | None = None) -> CalculatorParams:
    """target, users, by, maxcost and sort from a query (model, sequence and precision are
    chosen like the explorer's; filters and prices by their own modules)."""
    res = res if res is not None else Resolution()
    target = parse_target(query, res)
    users_raw = single_value(query, "users", res)
    users = _bounded_number(users_raw, "users", 1, MAX_USERS, "users", res)
    if users is not None and not float(users).is_integer():
        res.note(f"Ignored users={shown(users_raw)}: expected a whole number of users.")
        users = None
    by = single_value(query, "by", res)
    if by is not None and by.lower() not in BY:
        res.note(f"Ignored by={shown(by)}: expected gpu or series.")
        by = None
    maxcost = _bounded_number(single_value(query, "maxcost", res), "maxcost", *MAXCOST_RANGE, "$ per million tokens", res)
    sort = single_value(query, "sort", res)
    if sort is not None and sort.lower().lstrip("-") not in SORT_KEYS:
        res.note(f"Ignored sort={shown(sort)}: expected one of {', '.join(SORT_KEYS)}.")
        sort = None
    return CalculatorParams(
        target=target,
        users=int(users) if users is not None else None,
        by=(by or "gpu").lower(),
        maxcost=maxcost,
        sort=sort.lower() if sort and sort.lower() != "throughput" else None,  # throughput is the default
    )


def calculator_pairs(params: CalculatorParams) -> list[tuple[str, str]]:
    """Query pairs for a URL (defaults left out, except the target: a shared link must not
    depend on today's default)."""
    pairs = [("target", number_text(params.target))]
    if params.users is not None:
        pairs.append(("users", str(params.users)))
    if params.by != "gpu":
        pairs.append(("by", params.by))
    if params.maxcost is not None:
        pairs.append(("maxcost", number_text(params.maxcost)))
    if params.sort:
        pairs.append(("sort", params.sort))
    return pairs


@dataclass
class CalculatorRow:
    gpu: str
    gpu_label: str
    label: str  # what the row is: "B200", or "B200 · sglang · MTP" with by="series"
    framework: str | None  # by="series" only
    spec: str | None  # by="series" only
    values: dict  # column key -> unrounded value, None when unknown
    texts: dict  # column key -> formatted text
    clamped: bool  # the target lay outside this row's frontier: values held at the edge
    read_at: float  # the interactivity actually read
    frontier_range: tuple[float, float]
    points: int
    frontier_points: int
    price: float | None  # $/GPU-hr in force
    kw: float | None
    accuracy: SideAccuracy | None = None  # of the configurations read at the target (when evaluations were given)
    noise_vs_leader: bool | None = None  # its accuracy interval overlaps the top row's (None: either has none)

    @property
    def key(self) -> tuple:
        return (self.gpu,) if self.framework is None else (self.gpu, self.framework, self.spec)

    def to_json(self, users: bool) -> dict:
        out = {"gpu": self.gpu, "gpu_label": self.gpu_label, "label": self.label}
        if self.framework is not None:
            out.update(framework=self.framework, spec=self.spec)
        for c in COLUMNS:
            if users or not c.needs_users:
                out[c.key] = {"value": self.values.get(c.key), "text": self.texts.get(c.key, "n/a")}
        out.update(clamped=self.clamped, read_at=self.read_at,
                   frontier_range={"lo": self.frontier_range[0], "hi": self.frontier_range[1]},
                   points=self.points, frontier_points=self.frontier_points,
                   price_per_gpu_hour=self.price, kw_per_gpu=self.kw)
        if self.accuracy is not None:
            out["accuracy"] = {**self.accuracy.to_json(), "within_noise_of_leader": self.noise_vs_leader}
        return out


@dataclass
class CalculatorResult:
    model: str
    seq: str
    precision: str
    provider: str
    target: float
    users: int | None
    by: str
    sort: str
    descending: bool
    rows: list[CalculatorRow]  # shown, ranked
    hidden: list[CalculatorRow] = field(default_factory=list)  # above maxcost (or no cost known)
    maxcost: float | None = None
    prices: list[dict] = field(default_factory=list)  # frontier.prices.prices_used of the rows' GPUs

    @property
    def columns(self) -> list[Column]:
        return [c for c in COLUMNS if self.users is not None or not c.needs_users]

    @property
    def hidden_text(self) -> str:
        """What the maxcost cut-off hid, e.g. "3 rows above $0.500/M tokens hidden."."""
        if self.maxcost is None or not self.hidden:
            return ""
        n = len(self.hidden)
        return f"{n} row{'s' if n != 1 else ''} above {money(self.maxcost, 3)}/M tokens (or with no known cost) hidden."

    def to_json(self) -> dict:
        users = self.users is not None
        return {
            "model": self.model, "seq": self.seq, "precision": self.precision, "provider": self.provider,
            "target": self.target, "users": self.users, "by": self.by, "sort": self.sort,
            "descending": self.descending, "maxcost": self.maxcost, "hidden": len(self.hidden),
            "columns": [{"key": c.key, "label": c.label, "unit": c.unit} for c in self.columns],
            "rows": [r.to_json(users) for r in self.rows],
            "prices": self.prices,
        }


def _finite(v: float) -> float | None:
    return float(v) if v is not None and math.isfinite(v) else None


def _gpus_needed(users: int, target: float, output_tput: float | None) -> int | None:
    if output_tput is None or output_tput <= 0:
        return None
    # rounded to 9 significant digits first: a quotient that is a whole number in exact
    # arithmetic (e.g. 100 x 35 / 350) must not become one GPU more through float noise
    return int(math.ceil(float(f"{users * target / output_tput:.9g}")))


def calculate(points: pd.DataFrame, reference, overrides: PriceOverrides = DEFAULT_PRICES, *, model: str, seq: str,
              precision: str, target: float = DEFAULT_TARGET, users: int | None = None, by: str = "gpu",
              maxcost: float | None = None, sort: str | None = None, accuracy: dict | None = None) -> CalculatorResult:
    """``points``: the latest points (any models and sequences; SPEC §9 filters already
    applied by the caller). Prices and power come from ``overrides`` (SPEC §10).
    ``accuracy``: a ``evaluations.recipe_accuracy`` table, to say each row's accuracy at the
    target (the recipes of the frontier points it is read between) beside the leader's."""
    if by not in BY:
        raise ValueError(f"by must be one of {BY}")
    chosen = select(points, {"model": model, "seq": seq, "precision": precision})
    chosen = apply_prices(chosen, reference, overrides)
    provider = overrides.provider
    keys = ["gpu"] if by == "gpu" else ["gpu", "framework", "spec"]
    rows: list[CalculatorRow] = []
    if len(chosen):
        key_columns = [chosen[k].astype(str).to_numpy() for k in keys]
        codes, groups = pd.factorize(pd.Series(list(zip(*key_columns)), dtype=object))
        read_rows = _read_rows(provider)
        columns = {c: chosen[c].to_numpy(dtype=float) for c in ["intvty", "tput", *(r.column for r in read_rows)]}
        read = read_groups(codes, columns, read_rows, target)
        sizes = np.bincount(codes, minlength=len(groups))
        recipes = [chosen[c].astype(str).to_numpy() for c in RECIPE] if accuracy is not None else None
        for i, code in enumerate(read.group.tolist()):
            key = groups[code]
            gpu = str(key[0])
            values = {k: _finite(v[i]) for k, v in read.values.items()}
            price, kw = overrides.price_for(reference, gpu), overrides.kw_for(reference, gpu)
            if users is not None:
                n = _gpus_needed(users, target, values["output_throughput"])
                values["gpus_needed"] = n
                values["monthly_cost"] = n * price * HOURS_PER_MONTH if n is not None and price is not None else None
                values["megawatts"] = n * kw / 1000.0 if n is not None and kw is not None else None
            knots = read.frontier(i)
            x = columns["intvty"][knots]
            label = reference.gpu_label(gpu) + ("" if by == "gpu" else f" · {key[1]} · {spec_label(key[2])}")
            row_accuracy = None
            if recipes is not None:  # the configurations that serve at the target
                served = knots[bracket(x, float(read.used[i]))]
                row_accuracy = accuracy_of(sorted({tuple(c[p] for c in recipes) for p in served}), accuracy, label)
            rows.append(CalculatorRow(
                gpu=gpu, gpu_label=reference.gpu_label(gpu), label=label,
                framework=str(key[1]) if by == "series" else None, spec=str(key[2]) if by == "series" else None,
                values=values, texts={k: COLUMN_BY_KEY[k].format(v) for k, v in values.items()},
                clamped=bool(read.clamped[i]), read_at=float(read.used[i]), frontier_range=(float(x[0]), float(x[-1])),
                points=int(sizes[code]), frontier_points=len(knots), price=price, kw=kw, accuracy=row_accuracy))
    shown_rows, hidden = rows, []
    if maxcost is not None:
        shown_rows = [r for r in rows if r.values.get("cost") is not None and r.values["cost"] <= maxcost]
        hidden = [r for r in rows if r not in shown_rows]
    sort_key, descending = sort_order(sort)
    ranked = rank(shown_rows, sort_key, descending, list(reference.gpus))
    if ranked and accuracy is not None:
        for row in ranked:
            row.noise_vs_leader = within_noise(row.accuracy, ranked[0].accuracy)
    gpus = list(dict.fromkeys(r.gpu for r in ranked + hidden))
    return CalculatorResult(model=model, seq=seq, precision=precision, provider=provider, target=target, users=users,
                            by=by, sort=sort_key, descending=descending, rows=ranked, hidden=hidden, maxcost=maxcost,
                            prices=prices_used(reference, overrides, gpus))


def sort_order(sort: str | None) -> tuple[str, bool]:
    """(column key, descending). A bare key ranks best first (highest throughput, lowest
    cost...); "-key" reverses that. Default: throughput, highest first (SPEC §11)."""
    if not sort:
        return "throughput", True
    reverse = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "gpu":
        return key, reverse
    natural = COLUMN_BY_KEY[key].higher_is_better
    return key, natural != reverse


def next_sort(current: str, descending: bool, clicked: str) -> str:
    """The ``sort=`` a header click asks for: a new column ranks best first (highest throughput,
    lowest cost...); the same column again reverses it."""
    if clicked != current:
        return clicked
    natural_descending = COLUMN_BY_KEY[clicked].higher_is_better if clicked in COLUMN_BY_KEY else False
    return clicked if descending != natural_descending else "-" + clicked


def rank(rows: list[CalculatorRow], key: str, descending: bool, gpu_order: list[str]) -> list[CalculatorRow]:
    """Rows ordered by ``key``; rows without a value last; ties in reference-table GPU order."""
    order = {g: i for i, g in enumerate(gpu_order)}

    def tie(r: CalculatorRow):
        return (order.get(r.gpu, len(order)), r.gpu, r.framework or "", r.spec or "")

    if key == "gpu":
        return sorted(rows, key=tie, reverse=descending)
    known = [r for r in rows if r.values.get(key) is not None]
    unknown = [r for r in rows if r.values.get(key) is None]
    known.sort(key=tie)
    known.sort(key=lambda r: r.values[key], reverse=descending)  # stable: ties keep GPU order
    return known + sorted(unknown, key=tie)
