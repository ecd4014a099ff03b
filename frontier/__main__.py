"""Command line: ``python -m frontier COMMAND ...``.

    python -m frontier ingest PATH... [--set NAME=VALUE ...] [--data-dir DIR] [--dry-run] [--strict]

Exit codes: 0 success, 1 nothing usable (or rejections under --strict), 2 usage error."""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from pathlib import Path

INGEST_EPILOG = """\
PATH may be a .json file, a .zip archive (e.g. a GitHub Actions artifacts zip, nested zips
included) or a folder, searched recursively for both (hidden entries are skipped).

Raw benchmark_serving results carry no configuration; supply it with --set, e.g.
  python -m frontier ingest results/ --set gpu=mi355x model=gptoss120b framework=vllm \\
      --set precision=fp4 seq=1k1k
The GPU count is read from file names such as ..._gpus_16_ctx_8_gen_8.json, else give
--set gpus=N (or tp=N). Known settings: gpu, model, framework, precision, spec, seq
(1k1k, 1k8k, 8k1k or ISL/OSL), isl, osl, conc, tp, ep, pp, dp_attention, disagg,
multinode, prefill_*/decode_* (tp, ep, dpa, workers, gpus), gpus, image, date, run_url.

New measurements go to DATA_DIR/ingested/<UTC time>-<hash>.json; measurements the data
directory already holds (same configuration, sequence, concurrency and date) are skipped.

Exit status: 0 when records were added or all were already there; 1 when records were
rejected under --strict or nothing usable could be read; 2 for usage errors."""

# A NAME=VALUE token following --set (so "--set gpu=b300 model=dsr1" works as well as
# repeating --set); paths with an "=" before any "/" are rare, and "--" ends the list.
_PAIR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def _expand_set_pairs(argv: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(argv):
        token = argv[i]
        out.append(token)
        i += 1
        if token == "--":
            out += argv[i:]
            break
        if token == "--set" and i < len(argv):
            out.append(argv[i])
            i += 1
            while i < len(argv) and _PAIR.match(argv[i]):
                out += ["--set", argv[i]]
                i += 1
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m frontier",
        description="Inference Frontier command-line tools.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    ingest = commands.add_parser(
        "ingest",
        help="validate benchmark result files and add them to a data directory",
        description="Validate benchmark result files and add the new measurements to a data directory.",
        epilog=INGEST_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH", help=".json files, .zip archives or folders")
    ingest.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="configuration for every record read (wins over the files); "
                             "repeat it, or give several pairs after one --set")
    ingest.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                        help="data directory to add to (default: $FRONTIER_DATA_DIR, else the bundled data/)")
    ingest.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    ingest.add_argument("--strict", action="store_true", help="write nothing if any record or file is rejected")
    ingest.set_defaults(run=cmd_ingest, parser=ingest)
    return parser


class ProgressPrinter:
    """Files done / total on stderr: one self-overwriting line on a terminal, otherwise a
    line every ~10%. Quiet for a handful of files."""

    LABELS = {"reading": "Reading input files", "checking": "Checking existing data"}

    def __init__(self, stream=None, min_files: int = 5):
        self.stream = stream or sys.stderr
        self.min_files = min_files
        try:
            self.tty = self.stream.isatty()
        except (AttributeError, ValueError):
            self.tty = False
        self.shown: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int, name: str) -> None:
        if total < self.min_files:
            return
        label = self.LABELS.get(stage, stage)
        percent = done * 100 // total
        if self.tty:
            tail = name if len(name) <= 50 else "..." + name[-47:]
            self.stream.write(f"\r{label}: {done}/{total} ({percent}%) {tail}\x1b[K")
            if done == total:
                self.stream.write("\n")
        else:
            step = done * 10 // total  # 10 exactly when done
            if step <= self.shown.get(stage, 0):
                return
            self.shown[stage] = step
            self.stream.write(f"{label}: {done}/{total} ({percent}%)\n")
        self.stream.flush()


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import IngestUsageError, ingest
    from .loaders import parse_settings
    from .settings import from_env

    try:
        overrides = parse_settings(args.settings)
    except ValueError as exc:
        args.parser.error(str(exc))
    data_dir = from_env(data_dir=args.data_dir).data_dir
    try:
        report = ingest(args.paths, data_dir, overrides, dry_run=args.dry_run, strict=args.strict,
                        progress=ProgressPrinter(sys.stderr))
    except IngestUsageError as exc:
        args.parser.error(str(exc))
    except OSError as exc:
        print(f"error: could not write to {data_dir}: {exc}. The data directory was left unchanged.", file=sys.stderr)
        return 1
    print(f"Data directory: {data_dir}")
    for line in report.lines():
        print(line)
    if report.written:
        print(f"Start the app on this data: python app.py --data-dir {shlex.quote(str(data_dir))}")
    return report.exit_code


def main(argv: list[str] | None = None) -> int:
    argv = _expand_set_pairs(list(sys.argv[1:] if argv is None else argv))
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
