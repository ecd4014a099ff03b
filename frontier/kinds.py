"""The registry of comparison kinds: one object per kind owns everything about that kind.

A comparison is two filters over one model's points at one sequence (SPEC §5). What differs
between kinds is said here and nowhere else: the slug and the spellings users type for it,
the path prefix, the two sides' filters and labels, the page's title, subject line, caveat
and pinned-workload note, which comparisons the data supports, and how the page treats
precision. Adding a kind is one class and one line in ``KINDS``; no other module branches
on the kind."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .metrics import DEFAULT_Y, tokens_per_dollar_metric
from .normalise import PRECISION_ALIASES
from .urlstate import shown

SPEC_SUFFIXES = ("-mtp-vs-off", "-mtp-vs-none", "-off-vs-mtp", "-none-vs-mtp")


@dataclass(frozen=True)
class ComparisonSpec:
    """Which comparison: the model and the two sides' filters (sequence comes separately)."""

    kind: str
    model: str
    gpu_a: str
    gpu_b: str
    precision_a: str | None  # None where the precision comes from the query (GPU pages)
    precision_b: str | None

    @property
    def kind_object(self) -> "ComparisonKind":
        return KINDS[self.kind]

    @property
    def slug(self) -> str:
        return self.kind_object.slug(self)

    @property
    def path(self) -> str:
        return self.kind_object.prefix + self.slug

    def side_filters(self, precision: str | None = None) -> tuple[dict, dict]:
        return self.kind_object.side_filters(self, precision)

    def for_model(self, model: str) -> "ComparisonSpec":
        """The same comparison on another model."""
        return replace(self, model=model)


@dataclass(frozen=True)
class Available:
    spec: ComparisonSpec
    seqs: tuple[str, ...]
    precisions: tuple[str, ...] = ()  # GPU vs GPU: the precisions both have


@dataclass
class Known:
    """The keys the loaded data (and the reference tables) know, for reading slugs. Keys may
    themselves contain dashes, so slugs are read against them rather than split blindly."""

    models: dict[str, str]  # every accepted spelling (keys and aliases) -> model key
    gpus: list[str]
    precisions: dict[str, str] = field(default_factory=dict)  # spelling -> precision key

    @classmethod
    def of(cls, models, gpus, precisions, model_aliases: dict | None = None) -> "Known":
        spellings = {m: m for m in models}
        spellings.update({a: k for a, k in (model_aliases or {}).items() if k in spellings})
        precision_spellings = {p: p for p in precisions}
        precision_spellings.update({a: k for a, k in PRECISION_ALIASES.items() if k in precision_spellings})
        return cls(spellings, list(gpus), precision_spellings)

    def split(self, text: str, table) -> list[tuple[str, str]]:
        """(key, rest) for every known spelling ``text`` starts with, longest first."""
        items = table.items() if isinstance(table, dict) else ((k, k) for k in table)
        return [(key, text[len(spelling) + 1:]) for spelling, key in sorted(items, key=lambda kv: -len(kv[0]))
                if text.startswith(spelling + "-")]


@dataclass
class Cells:
    """One model's (gpu, precision, spec, seq) combinations, for finding what can be compared."""

    model: str
    gpus: list[str]  # in reference-table order
    precisions: list[str]
    seqs: list[str]
    with_spec: set  # {(gpu, precision, spec, seq)}
    any_spec: set  # {(gpu, precision, seq)}


class ComparisonKind:
    key: str
    prefix: str
    index_title: str  # the heading of this kind's group on /compare
    # how the page's precision control behaves: "many" (chart only), "one" (table and chart)
    # or "fixed" (the page is about its two precisions)
    precision_control = "many"
    precision_in_query = True  # the chart's precisions are in the page's query
    table_precision_in_query = False  # the table's precision is in the query (not in the path)
    chart_by_precision = True  # several chart precisions split each side into series
    compared_filter: str | None = None  # the SPEC §9 filter a page of this kind is about
    rows = "standard"  # which table rows (frontier.compare.table_rows_for)
    # the page says both sides' accuracy: its two sides differ in what can change answers
    # (speculative decoding, quantisation), not only in speed
    shows_accuracy = False

    def default_metric(self, provider: str) -> str:
        """The chart's metric when the address names none."""
        return DEFAULT_Y

    def query(self, state) -> str:
        """A page's canonical query for its view state."""
        from .viewstate import serialize_compare

        return serialize_compare(state, self.precision_in_query, self.default_metric(state.prices.provider))

    def slug(self, spec: ComparisonSpec) -> str:
        raise NotImplementedError

    def parse(self, slug: str, known: Known) -> ComparisonSpec | None:
        raise NotImplementedError

    def equivalents(self, spec: ComparisonSpec) -> list[ComparisonSpec]:
        """Other specs that name the same comparison (e.g. the sides swapped)."""
        return []

    def side_filters(self, spec: ComparisonSpec, precision: str | None) -> tuple[dict, dict]:
        raise NotImplementedError

    def side_labels(self, spec: ComparisonSpec, reference) -> tuple[str, str]:
        raise NotImplementedError

    def title(self, spec: ComparisonSpec, reference) -> tuple[str, str]:
        """(page heading, introduction)."""
        raise NotImplementedError

    def subject(self, spec: ComparisonSpec, precision: str, reference) -> str:
        """What the narrative says is being compared, e.g. "B300 FP4"."""
        raise NotImplementedError

    def link_text(self, spec: ComparisonSpec, reference) -> str:
        raise NotImplementedError

    caveat: str | None = None
    pinned_end = "targets can be edited above."
    precision_help: str | None = None

    def discover(self, cells: Cells) -> list[Available]:
        raise NotImplementedError

    def compare(self, spec: ComparisonSpec, points, seq: str, labels: tuple[str, str], *, precision, targets,
                provider: str):
        """The comparison's numbers (frontier.compare.compare: SPEC §5 with the standard rows)."""
        from .compare import compare  # (compare.py imports this module for ComparisonSpec)

        return compare(spec, points, seq, labels, precision=precision, targets=targets, provider=provider)

    def narrative(self, result, model_label: str, subject: str) -> list[str]:
        """One paragraph per target."""
        return result.narrative(model_label, subject)

    def chart_precisions(self, available: Available, with_data: list[str]) -> list[str]:
        """The precisions the page's chart can show (of those with data at the sequence)."""
        return with_data

    def resolve_precisions(self, spec: ComparisonSpec, raw: list[str] | None, choices: list[str], default,
                           res) -> tuple[str, tuple[str, ...]]:
        """(the precision the table is pinned to, the chart's precisions) from the query's
        ``precision`` values; ``default()`` gives the preferred one when the query has none."""
        table = spec.precision_a
        return table, pick_precisions(raw, choices, [table], res)


def pick_precisions(raw: list[str] | None, available: list[str], default: list, res) -> tuple:
    """The query's precisions that have data here (each unknown one noticed), else ``default``."""
    if not raw:
        return tuple(default)
    chosen = [p.lower() for p in raw if p.lower() in available]
    bad = [p for p in raw if p.lower() not in available]
    if bad:
        res.note(f"Ignored precision {', '.join(shown(b) for b in bad)}: no data for it here.")
    return tuple(dict.fromkeys(chosen)) or tuple(default)


def _family(reference, gpu: str) -> str:
    info = reference.gpus.get(gpu)
    return f"{info.vendor} {info.family}".strip() if info else "unknown vendor"


class SpecDecode(ComparisonKind):
    key = "spec-decode"
    prefix = "/compare-spec-decode/"
    index_title = "Speculative decoding"
    compared_filter = "spec"
    shows_accuracy = True
    caveat = ("Engines implement MTP differently and accept draft tokens at different rates. Both sides pool every "
              "framework measured on this GPU, so a gap at matched interactivity can come from the engines as much "
              "as from speculative decoding itself. Compare across engines with care.")
    pinned_end = "the precision control changes the chart only."
    precision_help = "Changes the chart only; the table stays on this page's precision."

    def slug(self, spec):
        return f"{spec.model}-{spec.gpu_a}-{spec.precision_a}-mtp-vs-off"

    def parse(self, slug, known):
        suffix = next((s for s in SPEC_SUFFIXES if slug.endswith(s)), None)
        if suffix is None:
            return None
        body = slug[: -len(suffix)] + "-"
        for model, rest in known.split(body, known.models):
            for gpu, rest2 in known.split(rest, known.gpus):
                for precision, rest3 in known.split(rest2, known.precisions):
                    if rest3 == "":
                        return ComparisonSpec(self.key, model, gpu, gpu, precision, precision)
        return None

    def side_filters(self, spec, precision):
        base = {"gpu": spec.gpu_a, "precision": spec.precision_a}
        return {**base, "spec": "mtp"}, {**base, "spec": "none"}

    def side_labels(self, spec, reference):
        return "MTP", "Off"

    def title(self, spec, reference):
        subject = f"{reference.gpu_label(spec.gpu_a)} {spec.precision_a.upper()}"
        return (f"{subject}: MTP vs Off speculative decoding",
                f"How multi-token prediction (MTP) speculative decoding changes throughput and cost on {subject} "
                f"({_family(reference, spec.gpu_a)}) serving {reference.model_label(spec.model)}, read at matched "
                f"per-user interactivity. The chart takes the same controls as the main explorer.")

    def subject(self, spec, precision, reference):
        return f"{reference.gpu_label(spec.gpu_a)} {precision.upper()}"

    def link_text(self, spec, reference):
        return f"{reference.gpu_label(spec.gpu_a)} {spec.precision_a.upper()}: MTP vs Off"

    def discover(self, cells):
        found = []
        for gpu in cells.gpus:
            for precision in cells.precisions:
                seqs = tuple(q for q in cells.seqs if (gpu, precision, "mtp", q) in cells.with_spec
                             and (gpu, precision, "none", q) in cells.with_spec)
                if seqs:
                    found.append(Available(ComparisonSpec(self.key, cells.model, gpu, gpu, precision, precision), seqs))
        return found


class GpuPair(ComparisonKind):
    key = "gpu"
    prefix = "/compare/"
    index_title = "GPU vs GPU"
    precision_control = "one"
    table_precision_in_query = True
    caveat = ("Each side pools every framework, deployment mode and speculative-decoding setting measured on that "
              "GPU, so each side's frontier is the best configuration found at each interactivity.")
    pinned_end = "the precision control changes both."

    def slug(self, spec):
        return f"{spec.model}-{spec.gpu_a}-vs-{spec.gpu_b}"

    def parse(self, slug, known):
        for model, rest in known.split(slug, known.models):
            for gpu_a, rest2 in known.split(rest, known.gpus):
                gpu_b = rest2[3:]
                if rest2.startswith("vs-") and gpu_b in known.gpus and gpu_b != gpu_a:
                    return ComparisonSpec(self.key, model, gpu_a, gpu_b, None, None)
        return None

    def equivalents(self, spec):
        return [replace(spec, gpu_a=spec.gpu_b, gpu_b=spec.gpu_a)]

    def chart_precisions(self, available, with_data):
        return [p for p in available.precisions if p in with_data]

    def resolve_precisions(self, spec, raw, choices, default, res):
        chosen = pick_precisions(raw, choices, [default() or (choices[0] if choices else None)], res)[:1]
        if raw and len(raw) > 1:
            res.note("GPU comparisons use one precision; kept the first.")
        return chosen[0], chosen

    def side_filters(self, spec, precision):
        return {"gpu": spec.gpu_a, "precision": precision}, {"gpu": spec.gpu_b, "precision": precision}

    def side_labels(self, spec, reference):
        return reference.gpu_label(spec.gpu_a), reference.gpu_label(spec.gpu_b)

    def title(self, spec, reference):
        a, b = self.side_labels(spec, reference)
        model = reference.model_label(spec.model)
        return (f"{a} vs {b}: {model}",
                f"{a} against {b} serving {model} at the same sequence and precision, every framework, deployment "
                f"mode and speculative-decoding setting of each GPU pooled into one side.")

    def subject(self, spec, precision, reference):
        return precision.upper()

    def link_text(self, spec, reference):
        a, b = self.side_labels(spec, reference)
        return f"{a} vs {b}"

    def discover(self, cells):
        found = []
        for i, gpu_a in enumerate(cells.gpus):
            for gpu_b in cells.gpus[i + 1:]:
                both = {(p, q) for p in cells.precisions for q in cells.seqs
                        if (gpu_a, p, q) in cells.any_spec and (gpu_b, p, q) in cells.any_spec}
                if both:
                    shared = tuple(p for p in cells.precisions if any((p, q) in both for q in cells.seqs))
                    seqs = tuple(q for q in cells.seqs if any((p, q) in both for p in cells.precisions))
                    found.append(Available(ComparisonSpec(self.key, cells.model, gpu_a, gpu_b, None, None), seqs, shared))
        return found


class PrecisionPair(ComparisonKind):
    key = "precision"
    prefix = "/compare-precision/"
    index_title = "Precision vs precision"
    precision_control = "fixed"
    precision_in_query = False
    chart_by_precision = False  # each side already is one precision
    shows_accuracy = True

    def slug(self, spec):
        return f"{spec.model}-{spec.gpu_a}-{spec.precision_a}-vs-{spec.precision_b}"

    def parse(self, slug, known):
        for model, rest in known.split(slug, known.models):
            for gpu, rest2 in known.split(rest, known.gpus):
                for p1, rest3 in known.split(rest2, known.precisions):
                    p2 = known.precisions.get(rest3[3:])
                    if rest3.startswith("vs-") and p2 is not None and p2 != p1:
                        return ComparisonSpec(self.key, model, gpu, gpu, p1, p2)
        return None

    def equivalents(self, spec):
        return [replace(spec, precision_a=spec.precision_b, precision_b=spec.precision_a)]

    def resolve_precisions(self, spec, raw, choices, default, res):
        if raw:
            res.note("Ignored precision: this page compares its two precisions.")
        return spec.precision_a, (spec.precision_a, spec.precision_b)

    def side_filters(self, spec, precision):
        return {"gpu": spec.gpu_a, "precision": spec.precision_a}, {"gpu": spec.gpu_a, "precision": spec.precision_b}

    def side_labels(self, spec, reference):
        return spec.precision_a.upper(), spec.precision_b.upper()

    def title(self, spec, reference):
        p1, p2 = self.side_labels(spec, reference)
        gpu, model = reference.gpu_label(spec.gpu_a), reference.model_label(spec.model)
        return (f"{gpu}: {p1} vs {p2} on {model}",
                f"{p1} against {p2} on {gpu} ({_family(reference, spec.gpu_a)}) serving {model}, every framework and "
                f"deployment mode pooled per precision.")

    def subject(self, spec, precision, reference):
        return reference.gpu_label(spec.gpu_a)

    def link_text(self, spec, reference):
        p1, p2 = self.side_labels(spec, reference)
        return f"{reference.gpu_label(spec.gpu_a)}: {p1} vs {p2}"

    def discover(self, cells):
        found = []
        for gpu in cells.gpus:
            for i, p1 in enumerate(cells.precisions):
                for p2 in cells.precisions[i + 1:]:
                    seqs = tuple(q for q in cells.seqs if (gpu, p1, q) in cells.any_spec and (gpu, p2, q) in cells.any_spec)
                    if seqs:
                        found.append(Available(ComparisonSpec(self.key, cells.model, gpu, gpu, p1, p2), seqs))
        return found


class PerDollar(GpuPair):
    """GPU vs GPU read as tokens per dollar at the shared interactivities (with the page's
    provider and custom prices): what a budget buys rather than what a GPU does."""

    key = "per-dollar"
    prefix = "/compare-per-dollar/"
    index_title = "GPU vs GPU per dollar"
    caveat = ("Tokens per dollar = throughput × 3600 ÷ $ per GPU-hour, for the provider and prices shown under the "
              "table (edit them in the prices panel). Each side pools every framework, deployment mode and "
              "speculative-decoding setting measured on that GPU.")

    def title(self, spec, reference):
        a, b = self.side_labels(spec, reference)
        model = reference.model_label(spec.model)
        return (f"{a} vs {b} per dollar: {model}",
                f"How many tokens a dollar buys on {a} and on {b} serving {model}, read at matched per-user "
                f"interactivity, each GPU at its own price per GPU-hour.")

    def link_text(self, spec, reference):
        a, b = self.side_labels(spec, reference)
        return f"{a} vs {b}, tokens per dollar"

    def default_metric(self, provider):
        return tokens_per_dollar_metric(provider)  # the chart shows what the page is about

    def discover(self, cells):
        return [replace(a, spec=replace(a.spec, kind=self.key)) for a in super().discover(cells)]

    def compare(self, spec, points, seq, labels, *, precision, targets, provider):
        from .per_dollar import compare_per_dollar

        return compare_per_dollar(spec, points, seq, labels, precision=precision, targets=targets, provider=provider)

    def narrative(self, result, model_label, subject):
        from .per_dollar import per_dollar_sentences

        return [f"{dollar} {standard}" for dollar, standard in
                zip(per_dollar_sentences(result), result.narrative(model_label, subject))]


KINDS: dict[str, ComparisonKind] = {k.key: k for k in (SpecDecode(), GpuPair(), PrecisionPair(), PerDollar())}


def register(kind: ComparisonKind) -> ComparisonKind:
    """Adds a kind (tests use it to show that a kind is one class)."""
    KINDS[kind.key] = kind
    return kind


def kind_for_path(path: str) -> tuple[ComparisonKind, str] | None:
    """(kind, slug) when ``path`` is a comparison page's path."""
    for kind in sorted(KINDS.values(), key=lambda k: -len(k.prefix)):
        rest = path[len(kind.prefix):]
        if path.startswith(kind.prefix) and rest and "/" not in rest:
            return kind, rest
    return None


def parse_slug(kind: str, slug: str, models, gpus, precisions, model_aliases: dict | None = None) -> ComparisonSpec | None:
    """Reads a slug of a kind against the keys the data knows; None when it names nothing."""
    if kind not in KINDS:
        return None
    return KINDS[kind].parse(slug.strip().lower(), Known.of(models, gpus, precisions, model_aliases))


def available_comparisons(latest, gpu_order: list[str] | None = None) -> list[Available]:
    """Every comparison the points support: both sides have data at some sequence."""
    from .sequences import sort_key

    order = {g: i for i, g in enumerate(gpu_order or [])}
    combos = latest[["model", "gpu", "precision", "spec", "seq"]].astype(str).drop_duplicates()
    found: list[Available] = []
    for model, per_model in combos.groupby("model", sort=True):
        rows = list(per_model.itertuples(index=False, name=None))
        # set lookups: with many GPUs the pair loops would otherwise rescan every combination
        cells = Cells(
            model=model,
            gpus=sorted(per_model["gpu"].unique(), key=lambda g: (order.get(g, len(order)), g)),
            precisions=sorted(per_model["precision"].unique()),
            seqs=sorted(per_model["seq"].unique(), key=sort_key),
            with_spec={(g, p, sp, q) for _m, g, p, sp, q in rows},
            any_spec={(g, p, q) for _m, g, p, _sp, q in rows},
        )
        for kind in KINDS.values():
            found += kind.discover(cells)
    return found
