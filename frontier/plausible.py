"""What a data file may hold: every limit applied to input, in one place.

A file that breaks a size or nesting limit, or a record whose value lies outside its
plausible range, is reported as a ``Problem`` (file, record, field, what was expected) and
left out; nothing here raises on bad input. The converters below read values exactly as a
JSON parser produced them (str, int, float, bool, None, list, dict) without recursing into
them, so a value nested a thousand levels deep costs no more than a number."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

# ---------------------------------------------------------------- files and archives

MB = 2**20
# One data file, or one member of a zip once inflated. The largest real file (a full
# InferenceX history export) is a few tens of MB; parsing a file takes several times its
# size in memory, so this keeps one bad file from taking the server down.
MAX_FILE_BYTES = 256 * MB
# hardware.csv / models.csv: a few kB by hand; anything this big is not a table someone edits.
MAX_TABLE_BYTES = 1 * MB
# Everything inflated from one .zip, nested zips included (a zip bomb stops here).
MAX_ARCHIVE_BYTES = 1024 * MB
# Members read from one .zip, nested zips included; the rest are left out and reported.
MAX_ARCHIVE_MEMBERS = 10_000
# A zip inside a zip inside ...: GitHub artifact downloads nest two deep.
MAX_ARCHIVE_DEPTH = 4
# JSON nesting: orjson's own limit. The formats need three levels (array, record, metrics);
# deeper values are rejected where they are used, never walked.
MAX_JSON_DEPTH = 1024
# A gpu / model / framework / precision / spec key longer than this is pasted text, not a key.
MAX_KEY_CHARS = 100
# Optional text (image, run_url, model id): kept up to this length, left out beyond it.
MAX_TEXT_CHARS = 2000
# Measurement dates: outside this range a date is a typo (0026-06-11, 2206-06-11) that would
# otherwise become the "latest" measurement. Dates later than today are not refused: a
# server with a wrong clock would then refuse real data.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


def size_text(n: int) -> str:
    return f"{n / MB:,.1f} MB" if n >= MB else f"{n:,} bytes"


# ---------------------------------------------------------------- plausible numbers

@dataclass(frozen=True)
class Plausible:
    what: str  # how a message names the value
    low: float  # smallest plausible value, inclusive
    high: float  # largest plausible value, inclusive
    integer: bool = False

    def expectation(self) -> str:
        kind = "a whole number" if self.integer else "a number"
        return f"{self.what} ({kind} from {_number_text(self.low)} to {_number_text(self.high)})"

    def contains(self, values: pd.Series) -> pd.Series:
        """Finite, within [low, high], and whole when it must be (NaN is never contained)."""
        v = values.to_numpy(dtype=float)  # numpy directly: this runs for every field of every file
        ok = (v >= self.low) & (v <= self.high)
        if self.integer:
            ok &= v == np.round(v)
        return pd.Series(ok, index=values.index)


def _number_text(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() and abs(x) < 1e9 else f"{x:g}"


_TOKENS = 10**7 - 1
_GPUS = 10**6
# THE table of bounds. Each bound is far outside anything measured (so no real result is
# ever refused) yet close enough that a unit slip, an overflow or a typo cannot pass; the
# comment says why. Throughputs are tok/s per GPU, interactivity tok/s per user, times in s.
PLAUSIBLE: dict[str, Plausible] = {
    # concurrency and sequence lengths: the largest sweeps run ~16k concurrent requests and
    # the longest context windows hold a few million tokens; 10^7 also keeps int64 safe.
    "conc": Plausible("a positive concurrency", 1, _TOKENS, integer=True),
    "isl": Plausible("a positive input sequence length in tokens", 1, _TOKENS, integer=True),
    "osl": Plausible("a positive output sequence length in tokens", 1, _TOKENS, integer=True),
    # throughput per GPU: the fastest measured today is ~3e4 tok/s/GPU (input + output on a
    # large-batch prefill); 1e7 leaves 300x headroom. Below 0.001 tok/s (one token every 17
    # minutes) is a broken run, and would make cost and J/token overflow.
    "tput": Plausible("a positive throughput in tok/s/GPU", 1e-3, 1e7),
    "tput_input": Plausible("a positive input throughput in tok/s/GPU", 1e-3, 1e7),
    "tput_output": Plausible("a positive output throughput in tok/s/GPU", 1e-3, 1e7),
    # interactivity = 1/TPOT: the fastest decoders reach ~3,000 tok/s/user; 1e5 is a token
    # every 10 microseconds. The same range, inverted, bounds TPOT and ITL below.
    "intvty": Plausible("a positive interactivity in tok/s/user", 1e-3, 1e5),
    "tpot_median": Plausible("a median time per output token in seconds", 1e-5, 1e3),
    "tpot_p90": Plausible("a p90 time per output token in seconds", 1e-5, 1e3),
    "tpot_p99": Plausible("a p99 time per output token in seconds", 1e-5, 1e3),
    "itl_median": Plausible("a median inter-token latency in seconds", 1e-5, 1e3),
    # time to first token and end-to-end latency: nothing on a network answers in under a
    # microsecond, and a benchmark request still running after a day has timed out.
    "ttft_median": Plausible("a median time to first token in seconds", 1e-6, 86_400),
    "ttft_p90": Plausible("a p90 time to first token in seconds", 1e-6, 86_400),
    "ttft_p99": Plausible("a p99 time to first token in seconds", 1e-6, 86_400),
    "e2el_median": Plausible("a median end-to-end latency in seconds", 1e-6, 86_400),
    "e2el_p90": Plausible("a p90 end-to-end latency in seconds", 1e-6, 86_400),
    "e2el_p99": Plausible("a p99 end-to-end latency in seconds", 1e-6, 86_400),
    # average power per GPU: a board draws 0.3-2 kW; 100 kW is a whole rack.
    "power_w": Plausible("an average power per GPU in watts", 1, 1e5),
    # parallelism and GPU counts: the largest clusters hold ~10^5 GPUs. Expert parallelism,
    # worker counts and pool sizes may be 0, which InferenceX rows use for "not set".
    "tp": Plausible("a tensor-parallel size", 1, _GPUS, integer=True),
    "pp": Plausible("a pipeline-parallel size", 1, _GPUS, integer=True),
    "ep": Plausible("an expert-parallel size", 0, _GPUS, integer=True),
    "gpus": Plausible("a GPU count", 1, _GPUS, integer=True),
    "prefill_tp": Plausible("a prefill tensor-parallel size", 1, _GPUS, integer=True),
    "prefill_ep": Plausible("a prefill expert-parallel size", 0, _GPUS, integer=True),
    "prefill_workers": Plausible("a number of prefill workers", 0, _GPUS, integer=True),
    "prefill_gpus": Plausible("a prefill GPU count", 0, _GPUS, integer=True),
    "decode_tp": Plausible("a decode tensor-parallel size", 1, _GPUS, integer=True),
    "decode_ep": Plausible("a decode expert-parallel size", 0, _GPUS, integer=True),
    "decode_workers": Plausible("a number of decode workers", 0, _GPUS, integer=True),
    "decode_gpus": Plausible("a decode GPU count", 0, _GPUS, integer=True),
}

MAX_SEQUENCE_TOKENS = int(PLAUSIBLE["isl"].high)


# ---------------------------------------------------------------- reading untrusted values

@dataclass(frozen=True)
class JsonConstant:
    """NaN, Infinity or -Infinity in a file: JSON has no such numbers, so they are kept as
    what they are (and rejected as numbers) instead of passing for missing values."""

    name: str

    def __repr__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Container:
    """Stands in for a list or object where a scalar belongs: hashable, and never walked."""

    kind: str  # "array" or "object"

    def __repr__(self) -> str:
        return f"a JSON {self.kind}"


def scalar_or_marker(value):
    if isinstance(value, list):
        return Container("array")
    if isinstance(value, dict):
        return Container("object")
    return value


def factorize(series: pd.Series) -> tuple[np.ndarray, list]:
    """Codes and distinct values (missing: code -1). Lists and objects become ``Container``
    markers, so they can be counted and reported without being hashed or walked."""
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:  # unhashable values (a list where a string belongs)
        codes, uniques = pd.factorize(series.map(scalar_or_marker), use_na_sentinel=True)
    return codes, list(uniques)


def shown(value) -> str:
    """A value as a message shows it: short, JSON-spelt, and safe for any value at all."""
    value = scalar_or_marker(value)
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1:,} digits"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, str) and len(value) > 40:
        return repr(value[:37] + "...") + f" ({len(value):,} characters)"
    return repr(value)


_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,4})?")


def _one_number(value) -> tuple[float, bool]:
    """(value as float, is it a number at all). Booleans, lists, NaN are not numbers; numeric
    strings are ("16"); an integer too large for a float reads as infinity (out of range)."""
    if isinstance(value, (bool, np.bool_)):
        return math.nan, False
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 40 or not _NUMBER_TEXT.fullmatch(text):
            return math.nan, False
        return float(text), True
    if isinstance(value, (int, np.integer)):
        try:
            return float(value), True
        except OverflowError:
            return (math.inf if value > 0 else -math.inf), True
    if isinstance(value, (float, np.floating)):
        return (float(value), True) if value == value else (math.nan, False)
    return math.nan, False


def numbers(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Column-wise: (floats, NaN where missing or not a number; mask of values present but
    not numbers). Well-typed columns (what a JSON parser gives for good data) take the fast
    path; mixed ones are read once per distinct value, with booleans told apart from 1 and 0
    (which they would otherwise hash equal to)."""
    dtype_code = series.dtype.kind
    if dtype_code in "iuf":
        return series.astype(float), pd.Series(False, index=series.index)
    if dtype_code == "b":
        return pd.Series(np.nan, index=series.index), pd.Series(True, index=series.index)
    if series.isna().all():  # a field the file does not have
        return pd.Series(np.nan, index=series.index), pd.Series(False, index=series.index)
    values = series.to_numpy(dtype=object)
    is_bool = np.fromiter((type(v) is bool or type(v) is np.bool_ for v in values), dtype=bool, count=len(values))
    codes, uniques = factorize(series.where(~is_bool, None) if is_bool.any() else series)
    parsed = [_one_number(u) for u in uniques] + [(math.nan, True)]  # the last: missing
    floats = np.array([p[0] for p in parsed], dtype=float)[codes]
    invalid = ~np.array([p[1] for p in parsed], dtype=bool)[codes] | is_bool
    floats[is_bool] = np.nan
    return pd.Series(floats, index=series.index), pd.Series(invalid, index=series.index)
