#!/usr/bin/env python
"""Build a scaled benchmark dataset from the bundled real data (the bundled files are only read).

    python bench/make_scaled.py --points 200000          # -> bench/out/scaled-200k/
    python bench/make_scaled.py --points 1000000         # -> bench/out/scaled-1m/

What it does, deterministically (``--seed``):

1. Base configurations: every row of every bundled benchmark file (InferenceX API rows in
   data/benchmarks/inferencex/*.json, the Qwen 3.5 runner aggregate converted to API rows),
   reduced to the latest measurement of each (configuration, sequence, concurrency): the same
   715 points the app shows on the bundled data.
2. Extra synthetic concurrencies (unless ``--no-extra-conc``): between two neighbouring measured
   concurrencies of a series (ratio >= 1.5) one more point at their geometric mean, with metrics
   interpolated geometrically. The bundled rows were down-sampled upstream to at most 5
   concurrencies per series, so this only brings the density back towards the real runs.
3. ``--dates`` nightly runs (default 100): copy k of every point has its date shifted forward by
   k days and every metric jittered by up to +-``--jitter`` (default 3 %): throughputs share one
   factor, TPOT/ITL/E2E latency another (interactivity = 1/TPOT moves with it), TTFT and power
   their own; J/token follows power/throughput.
4. If points x dates is still below ``--points``, configurations are cloned (``--clone-by``):
   ``gpus`` (default) under synthetic GPU keys such as ``b200x2``, ``mi355x2`` ... (throughput
   scaled by a per-clone factor of 0.85-1.25 so the curves differ; a row per synthetic GPU is
   appended to the *copied* hardware.csv with the original's vendor, prices and power, so costs
   work and no "unknown gpu" notice is raised); or ``models``, under the other model keys of
   models.csv (gptoss120b, kimik2.5, ...). Cloning stops at exactly ``--points`` rows (the last
   cloned configuration keeps its most recent nightly runs only).

Output: InferenceX API-row JSON files of ``--rows-per-file`` rows (default 25,000) plus copies
of data/hardware.csv and data/models.csv."""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
OUT = ROOT / "bench" / "out"

# configuration fields of an API row (everything but metrics, date, run_url, image, workers)
KEY_FIELDS = ["hardware", "model", "framework", "precision", "spec_method", "disagg", "is_multinode",
              "prefill_tp", "prefill_ep", "prefill_dp_attention", "prefill_num_workers", "decode_tp", "decode_ep",
              "decode_dp_attention", "decode_num_workers", "num_prefill_gpu", "num_decode_gpu", "isl", "osl"]


def human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    return str(n)


def suffix_for(points: int) -> str:
    if points % 1_000_000 == 0:
        return f"{points // 1_000_000}m"
    if points % 1000 == 0:
        return f"{points // 1000}k"
    return str(points)


def agg_to_api(rec: dict) -> dict:
    """A runner-aggregate record (flat) as an InferenceX API row (config + ``metrics``)."""
    disagg = str(rec.get("disagg", False)).lower() == "true"
    tp, ep = rec.get("tp"), rec.get("ep", 1)
    dpa = str(rec.get("dp_attention", False)).lower() == "true"
    config = {
        "hardware": rec["hw"], "framework": rec["framework"], "model": rec.get("infmax_model_prefix") or rec["model"],
        "precision": rec["precision"], "spec_method": rec.get("spec_decoding", "none"), "disagg": disagg,
        "is_multinode": str(rec.get("is_multinode", False)).lower() == "true",
        "prefill_tp": rec.get("prefill_tp", tp), "prefill_ep": rec.get("prefill_ep", ep),
        "prefill_dp_attention": rec.get("prefill_dp_attention", dpa), "prefill_num_workers": rec.get("prefill_num_workers", 0),
        "decode_tp": rec.get("decode_tp", tp), "decode_ep": rec.get("decode_ep", ep),
        "decode_dp_attention": rec.get("decode_dp_attention", dpa), "decode_num_workers": rec.get("decode_num_workers", 0),
        "num_prefill_gpu": rec.get("num_prefill_gpu", tp), "num_decode_gpu": rec.get("num_decode_gpu", tp),
        "isl": rec["isl"], "osl": rec["osl"], "conc": rec["conc"], "image": rec.get("image"),
    }
    skip = set(config) | {"hw", "infmax_model_prefix", "spec_decoding", "tp", "ep", "pp", "dp_attention", "date",
                          "run_url", "dcp_size", "pcp_size", "num_gpus"}
    metrics = {k: v for k, v in rec.items() if k not in skip and isinstance(v, (int, float)) and not isinstance(v, bool)}
    return {**config, "metrics": metrics, "workers": None, "date": rec.get("date"), "run_url": rec.get("run_url")}


def load_rows(data_dir: Path) -> tuple[list[dict], dict]:
    rows, sources = [], {}
    for path in sorted((data_dir / "benchmarks").rglob("*.json")):
        content = json.loads(path.read_text())
        records = content if isinstance(content, list) else [content]
        n = 0
        for rec in records:
            if not isinstance(rec, dict):
                continue
            if "metrics" in rec:
                rows.append(rec)
            elif "hw" in rec:
                rows.append(agg_to_api(rec))
            else:
                continue
            n += 1
        sources[str(path.relative_to(data_dir))] = n
    return rows, sources


def point_key(row: dict) -> tuple:
    return tuple(str(row.get(k)).lower() for k in KEY_FIELDS) + (int(row["conc"]),)


def latest_points(rows: list[dict]) -> list[dict]:
    best: dict[tuple, dict] = {}
    for row in rows:
        key = point_key(row)
        have = best.get(key)
        if have is None or (str(row.get("date")), len(row["metrics"])) > (str(have.get("date")), len(have["metrics"])):
            best[key] = row
    return [best[k] for k in sorted(best, key=lambda k: tuple(map(str, k)))]


def densify(points: list[dict]) -> list[dict]:
    """One synthetic concurrency between neighbouring measured ones (geometric midpoint)."""
    series: dict[tuple, list[dict]] = {}
    for row in points:
        series.setdefault(point_key(row)[:-1], []).append(row)
    extra = []
    for rows in series.values():
        rows = sorted(rows, key=lambda r: r["conc"])
        taken = {int(r["conc"]) for r in rows}
        for a, b in zip(rows, rows[1:]):
            ca, cb = int(a["conc"]), int(b["conc"])
            if cb < 1.5 * ca:
                continue
            c = int(round(math.sqrt(ca * cb)))
            if c in taken:
                continue
            taken.add(c)
            metrics = {}
            for k, va in a["metrics"].items():
                vb = b["metrics"].get(k)
                if isinstance(va, (int, float)) and isinstance(vb, (int, float)) and va > 0 and vb > 0:
                    metrics[k] = math.sqrt(va * vb)
            if "input_tput_per_gpu" in metrics and "output_tput_per_gpu" in metrics:
                metrics["tput_per_gpu"] = metrics["input_tput_per_gpu"] + metrics["output_tput_per_gpu"]
            new = {**a, "conc": c, "metrics": metrics, "date": max(str(a.get("date")), str(b.get("date")))}
            extra.append(new)
    return points + extra


def factor_for(key: str, f: dict) -> float:
    k = key.lower()
    if "joules" in k:
        return f["power"] / f["tput"]
    if "tput" in k:
        return f["tput"]
    if "intvty" in k:
        return 1.0 / f["lat"]
    if "tpot" in k or "itl" in k or "e2el" in k:
        return f["lat"]
    if "ttft" in k:
        return f["ttft"]
    if "power" in k:
        return f["power"]
    return 1.0


def jittered(row: dict, rng: random.Random, jitter: float, day_shift: int, tput_scale: float = 1.0,
             overrides: dict | None = None) -> dict:
    f = {name: 1.0 + rng.uniform(-jitter, jitter) for name in ("tput", "lat", "ttft", "power")}
    f["tput"] *= tput_scale
    metrics = {}
    for k, v in row["metrics"].items():
        if isinstance(v, (int, float)) and not isinstance(v, bool) and not k.startswith("std_"):
            metrics[k] = v * factor_for(k, f)
        else:
            metrics[k] = v
    day = date.fromisoformat(str(row["date"])[:10]) + timedelta(days=day_shift)
    out = {**row, "metrics": metrics, "date": day.isoformat()}
    if overrides:
        out.update(overrides)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build a scaled dataset (InferenceX API rows) from the bundled data.",
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--points", type=int, default=200_000, help="rows to write (default 200000)")
    parser.add_argument("--out", type=Path, help="output folder (default bench/out/scaled-<200k|1m|...>)")
    parser.add_argument("--dates", type=int, default=100, help="nightly runs per configuration (default 100)")
    parser.add_argument("--jitter", type=float, default=0.03, help="max relative metric jitter (default 0.03)")
    parser.add_argument("--seed", type=int, default=20260701)
    parser.add_argument("--rows-per-file", type=int, default=25_000)
    parser.add_argument("--clone-by", choices=("gpus", "models"), default="gpus",
                        help="how to reach --points when dates x points is not enough (default gpus)")
    parser.add_argument("--no-extra-conc", action="store_true", help="do not add synthetic concurrencies")
    parser.add_argument("--data-dir", type=Path, default=DATA, help="source data (default: bundled data/)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    out = args.out or OUT / f"scaled-{suffix_for(args.points)}"
    rng = random.Random(args.seed)

    rows, sources = load_rows(args.data_dir)
    base = latest_points(rows)
    n_measured = len(base)
    if not args.no_extra_conc:
        base = densify(base)
    per_clone = len(base) * args.dates

    # Which clone variants (0 = the real configurations) are needed to reach --points.
    hardware_rows = list(csv.reader(io.StringIO((args.data_dir / "hardware.csv").read_text())))
    header_idx = next(i for i, r in enumerate(hardware_rows) if r and r[0] == "key")
    hw = {r[0]: r for r in hardware_rows[header_idx + 1:] if r and not r[0].startswith("#")}
    models_text = (args.data_dir / "models.csv").read_text()
    model_keys = [r[0] for r in csv.reader(io.StringIO(models_text)) if r and not r[0].startswith("#") and r[0] != "key"]
    base_models = sorted({str(r["model"]).lower() for r in base})
    spare_models = [m for m in model_keys if m not in base_models]
    gpus_in_base = sorted({str(r["hardware"]).lower().split("-")[0] for r in base})

    written = 0
    files: list[tuple[Path, int, int]] = []
    synthetic_gpus: dict[str, tuple[str, float]] = {}
    synthetic_models: list[str] = []
    if out.exists():
        shutil.rmtree(out)
    (out / "benchmarks").mkdir(parents=True)
    buffer: list[dict] = []

    def flush():
        nonlocal buffer
        if not buffer:
            return
        path = out / "benchmarks" / f"runs-{len(files):03d}.json"
        path.write_bytes(orjson.dumps(buffer))
        files.append((path, len(buffer), path.stat().st_size))
        buffer = []

    def emit(row):
        nonlocal written
        buffer.append(row)
        written += 1
        if len(buffer) >= args.rows_per_file:
            flush()

    clone = 0
    while written < args.points:
        if clone > 0 and args.clone_by == "models" and clone > len(spare_models):
            sys.exit(f"not enough spare model keys in models.csv for {args.points} points; use --clone-by gpus")
        for row in base:
            if written >= args.points:
                break
            overrides, scale = None, 1.0
            if clone > 0:
                if args.clone_by == "gpus":
                    gpu = str(row["hardware"]).lower().split("-")[0]
                    new_gpu = f"{gpu}{clone + 1}" if gpu.endswith("x") else f"{gpu}x{clone + 1}"
                    scale = 0.85 + 0.4 * ((clone * 7 + len(gpu)) % 11) / 10
                    synthetic_gpus[new_gpu] = (gpu, scale)
                    overrides = {"hardware": new_gpu}
                else:
                    model = spare_models[clone - 1]
                    if model not in synthetic_models:
                        synthetic_models.append(model)
                    overrides = {"model": model}
            left = args.points - written
            shifts = range(args.dates) if left >= args.dates else range(args.dates - left, args.dates)
            for k in shifts:
                emit(jittered(row, rng, args.jitter, k, scale, overrides))
        clone += 1
    flush()

    # reference tables: copies, plus a row per synthetic GPU in the copy of hardware.csv
    shutil.copy(args.data_dir / "models.csv", out / "models.csv")
    hw_text = (args.data_dir / "hardware.csv").read_text()
    if synthetic_gpus:
        lines = [hw_text.rstrip("\n")]
        for new_gpu, (gpu, scale) in sorted(synthetic_gpus.items()):
            src = hw.get(gpu)
            if src is None:
                continue
            label = f"{src[1]} #{new_gpu[len(gpu):].lstrip('x')} (synthetic)"
            lines.append(",".join([new_gpu, label, *src[2:]]))
        hw_text = "\n".join(lines) + "\n"
    (out / "hardware.csv").write_text(hw_text)
    (out / "SCALED.md").write_text(
        f"Synthetic benchmark data made by bench/make_scaled.py {' '.join(sys.argv[1:])} (seed {args.seed}) from "
        f"the bundled data; not measurements.\n")

    total_bytes = sum(size for _, _, size in files)
    print(f"\nScaled dataset written to {out} in {time.perf_counter() - started:.1f}s")
    print(f"  source rows read:                {sum(sources.values()):>10,}  ({', '.join(f'{k}: {v}' for k, v in sources.items())})")
    print(f"  measured points (latest of each): {n_measured:>9,}")
    print(f"  + synthetic concurrencies:        {len(base) - n_measured:>9,}")
    print(f"  = base points per clone:          {len(base):>9,}  x {args.dates} nightly dates = {per_clone:,}")
    if args.clone_by == "gpus":
        keys = sorted(synthetic_gpus, key=lambda k: (int(k[len(synthetic_gpus[k][0]):].lstrip("x")), k))
        print(f"  synthetic GPU keys:               {len(synthetic_gpus):>9,}  ({', '.join(keys[:9])}{' ...' if len(keys) > 9 else ''})")
    else:
        print(f"  synthetic model keys:             {len(synthetic_models):>9,}  ({', '.join(synthetic_models)})")
    print(f"  GPUs in base:                     {len(gpus_in_base):>9,}  ({', '.join(gpus_in_base)})")
    print()
    print(f"  {'file':<28} {'rows':>10} {'size':>12}")
    shown = files if len(files) <= 8 else files[:3] + [None] + files[-2:]
    for item in shown:
        if item is None:
            print(f"  {'... (' + str(len(files) - 5) + ' more)':<28}")
            continue
        path, n, size = item
        print(f"  {path.relative_to(out).as_posix():<28} {n:>10,} {human(size):>12}")
    for name in ("hardware.csv", "models.csv"):
        print(f"  {name:<28} {'':>10} {human((out / name).stat().st_size):>12}")
    print(f"  {'TOTAL':<28} {written:>10,} {human(total_bytes):>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
