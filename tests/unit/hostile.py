"""A corpus of broken data files, generated (never committed as binaries).

``write_corpus(folder, real_rows)`` writes every hostile case under ``folder`` and returns
what each file must produce: the text its problem must contain, and whether records of it
must still load. Good records inside hostile files are copies of real DSR1 rows (so they
change nothing the views show) or real rows dated long ago (history only), which lets a
test check that good records are kept and the comparisons are unchanged."""

from __future__ import annotations

import copy
import functools
import io
import json
import os
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

from frontier.plausible import MAX_ARCHIVE_DEPTH, MAX_FILE_BYTES

OLD_DATE = "2020-01-02"  # a history-only date: older than any real measurement


@dataclass(frozen=True)
class Expect:
    says: str  # a problem of this file contains this text
    severity: str = "error"
    keeps: int = 0  # records of this file that must load (history points, distinct from the real rows)
    field: str | None = None  # the field its (first) record-level problem names


def _dump(obj) -> bytes:
    return json.dumps(obj, allow_nan=True).encode()


def deep(levels: int, inner: bytes = b"1") -> bytes:
    return b"[" * levels + inner + b"]" * levels


def zip_of(members: dict[str, bytes], level: int = 6) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, payload in members.items():
            zf.writestr(name, payload)
    return buf.getvalue()


@functools.lru_cache(maxsize=2)  # half a second to deflate: made once per test session
def _zip_inflating_to(size: int) -> bytes:
    """A small zip holding one member of ``size`` spaces (deflate squeezes it 200:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("bomb.json", "w", force_zip64=True) as fh:
            chunk = b" " * (1 << 20)
            for _ in range(size // len(chunk) + 1):
                fh.write(chunk)
    return buf.getvalue()


def mutated(row: dict, path: str, value) -> dict:
    """A copy of an API row with ``path`` ("conc" or "metrics.tput_per_gpu") set to value."""
    out = copy.deepcopy(row)
    target, key = (out["metrics"], path.split(".", 1)[1]) if path.startswith("metrics.") else (out, path)
    target[key] = value
    return out


# (field path in an API row, hostile value, field the problem names, text it must contain)
IMPLAUSIBLE = [
    ("conc", 1e20, "conc", "concurrency"),
    ("isl", 1e30, "isl", "input sequence length"),
    ("osl", 1024.5, "osl", "whole number"),
    ("metrics.median_intvty", 1e308, "metrics.median_intvty", "interactivity"),
    ("metrics.tput_per_gpu", 1.7e308, "metrics.tput_per_gpu", "throughput"),
    ("metrics.tput_per_gpu", 1e-300, "metrics.tput_per_gpu", "throughput"),
    ("hardware", 7, "hardware", "gpu key"),
    ("framework", True, "framework", "framework"),
    ("precision", ["fp4"], "precision", "precision"),
    ("model", {"name": "dsr1"}, "model", "model key"),
    ("spec_method", 1, "spec_method", "spec method"),
    ("hardware", "b200" * 100, "hardware", "at most"),
    ("conc", True, "conc", "got true"),
    ("date", "not a date", "date", "YYYY-MM-DD"),
    ("date", "9999-99-99", "date", "YYYY-MM-DD"),
    ("decode_tp", 1e12, "decode_tp", "tensor-parallel"),
]


def write_corpus(folder: Path, real_rows: list[dict], outside: Path) -> dict[str, Expect]:
    """Write the hostile files under ``folder`` (created); ``real_rows`` are InferenceX API
    rows of the bundled DSR1 data; ``outside`` is a folder outside the data folder, for the
    targets of links that must not be followed. Returns file name (relative to ``folder``)
    -> Expect."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(12)
    good = real_rows[:3]
    history = [mutated(r, "date", OLD_DATE) for r in real_rows[3:5]]  # distinct, older: history only
    text = json.dumps(good)
    files: dict[str, bytes] = {}
    expect: dict[str, Expect] = {}

    def add(name: str, payload: bytes, says: str, **kw) -> None:
        files[name] = payload
        expect[name] = Expect(says, **kw)

    add("deep.json", deep(100_000), "nested more than")
    add("deep-value.json", _dump([mutated(good[0], "metrics.tput_per_gpu", 0)])
        .replace(b'"tput_per_gpu": 0', b'"tput_per_gpu": ' + deep(50_000)), "nested more than")
    # deep, but within orjson's limit: the record is refused, its neighbours load
    add("deep-ish-value.json", _dump([*history[:1], mutated(good[0], "metrics.tput_per_gpu", 0)])
        .replace(b'"tput_per_gpu": 0', b'"tput_per_gpu": ' + deep(1000)), "got a JSON array", keeps=1,
        field="metrics.tput_per_gpu")
    add("binary.json", rng.randbytes(4096), "")
    add("latin1.json", text.replace('"mi355x"', '"mi355x-caf\u00e9"').encode("latin-1"), "not a text file")
    add("truncated.json", text[: len(text) // 2].encode(), "malformed JSON")
    add("string.json", b'"just a string"', "unknown format")
    add("number.json", b"42", "unknown format")
    add("unknown-object.json", b'{"foo": 1}', "unknown format")
    add("missing-field.json", _dump([{k: v for k, v in good[0].items() if k != "hardware"}]), "missing", field="hardware")
    add("nan.json", _dump([mutated(good[0], "metrics.tput_per_gpu", float("nan")), *history[1:]]), "got NaN",
        keeps=1, field="metrics.tput_per_gpu")
    add("infinity.json", _dump([mutated(good[0], "conc", float("inf"))]), "got Infinity", field="conc")
    add("huge-integer.json", _dump([mutated(good[0], "conc", 0)]).replace(b'"conc": 0', b'"conc": ' + b"9" * 5000),
        "unreadable JSON")
    add("bom.json", b"\xef\xbb\xbf" + text.encode(), "byte-order mark", severity="warning")
    add("empty.json", b"", "empty file")
    add("blank.json", b" \n\t ", "empty file")
    add("empty-array.json", b"[]", "empty array")
    add("not-objects.json", _dump([1, None, "x", [], good[0]]), "expected a JSON object")
    add("implausible.json", _dump([*good, *(mutated(good[i % 3], p, v) for i, (p, v, _f, _s) in enumerate(IMPLAUSIBLE))]),
        "expected")
    # a zip of 5,000 broken members: it must not crowd the other files out of the lists
    add("many-members.zip", zip_of({f"m{i:04d}.json": b"{broken" for i in range(5000)}, level=1), "malformed JSON")
    add("bomb.zip", _zip_inflating_to(MAX_FILE_BYTES + 1), "over the")
    add("not-a-zip.zip", rng.randbytes(2048), "not a valid zip archive")
    add("empty.zip", zip_of({"readme.txt": b"hi"}), "holds no .json")
    nested = zip_of({"inner/bad.json": b"[{", "inner/good.json": _dump(good)})
    add("nested.zip", zip_of({"level1.zip": nested}), "malformed JSON")
    too_deep = _dump(good)
    for level in range(MAX_ARCHIVE_DEPTH + 1):
        too_deep = zip_of({f"level{level}.zip" if level else "rows.json": too_deep})
    add("too-deep.zip", too_deep, "nested more than")

    for name, payload in files.items():
        path = folder / name
        path.write_bytes(payload)
    big = folder / "huge.json"  # sparse: over the size limit without using the disk
    with open(big, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    expect["huge.json"] = Expect("over the")

    outside.mkdir(parents=True, exist_ok=True)
    target = outside / "elsewhere.json"  # a loadable file, but not in the data folder
    target.write_text(json.dumps([mutated(good[0], "conc", 3)]))
    os.symlink(target, folder / "link-outside.json")
    expect["link-outside.json"] = Expect("outside the data folder")
    os.symlink(folder / "nowhere.json", folder / "dangling.json")
    expect["dangling.json"] = Expect("does not exist")
    os.symlink(folder / "loop-b.json", folder / "loop-a.json")
    os.symlink(folder / "loop-a.json", folder / "loop-b.json")
    expect["loop-a.json"] = Expect("link loop")
    expect["loop-b.json"] = Expect("link loop")
    os.symlink(outside, folder / "linked-folder")
    expect["linked-folder"] = Expect("a link to a folder", severity="warning")
    os.mkfifo(folder / "pipe.json")  # reading it would block for ever
    expect["pipe.json"] = Expect("not a regular file")
    return expect
