"""Command line: ``python -m frontier COMMAND ...``.

    python -m frontier ingest PATH... [--set NAME=VALUE ...] [--data-dir DIR | --database-url URL]
                                      [--source TEXT] [--dry-run] [--strict]
    python -m frontier export --database-url URL DIR    # the database as a data folder
    python -m frontier migrate --database-url URL       # create / upgrade the schema
    python -m frontier revision [--data-dir DIR | --database-url URL]

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

New measurements go to DATA_DIR/ingested/<UTC time>-<hash>.json, recorded as the next batch
in DATA_DIR/.frontier-manifest.json; with --database-url (or $FRONTIER_DATABASE_URL) they go to
PostgreSQL as one batch, in one transaction, and --data-dir only supplies the reference tables.
Measurements the store already holds (same configuration, sequence, concurrency and date) are
skipped. A running app serves the new data within seconds, without a restart.

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
    ingest.add_argument("--database-url", default=None, metavar="URL",
                        help="add to this PostgreSQL database instead (default: $FRONTIER_DATABASE_URL when "
                             "--data-dir is not given)")
    ingest.add_argument("--source", default="", metavar="TEXT",
                        help="label of the batch (default: the paths given), e.g. a CI run URL")
    ingest.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    ingest.add_argument("--strict", action="store_true", help="write nothing if any record or file is rejected")
    ingest.set_defaults(run=cmd_ingest, parser=ingest)

    export = commands.add_parser(
        "export", help="write a PostgreSQL store out as a data folder",
        description="Write every measurement of a PostgreSQL store to a new data folder: one file per batch "
                    "under DIR/ingested/, the batch manifest (same batch numbers, so rev= links keep their "
                    "meaning) and the reference tables. `python -m frontier ingest DIR --database-url URL` "
                    "goes the other way (as one batch).")
    export.add_argument("directory", type=Path, metavar="DIR", help="a folder that does not exist yet, or is empty")
    export.add_argument("--database-url", default=None, metavar="URL", help="default: $FRONTIER_DATABASE_URL")
    export.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                        help="where the reference tables come from (default: the bundled ones)")
    export.set_defaults(run=cmd_export, parser=export)

    migrate = commands.add_parser("migrate", help="create or upgrade the PostgreSQL schema",
                                  description="Apply the schema migrations a database lacks (the app and ingest "
                                              "also do this on first use).")
    migrate.add_argument("--database-url", default=None, metavar="URL", help="default: $FRONTIER_DATABASE_URL")
    migrate.set_defaults(run=cmd_migrate, parser=migrate)

    revision = commands.add_parser("revision", help="print the data revision of a store",
                                   description="Print the store's current data revision and its batches.")
    revision.add_argument("--data-dir", type=Path, default=None, metavar="DIR")
    revision.add_argument("--database-url", default=None, metavar="URL")
    revision.set_defaults(run=cmd_revision, parser=revision)
    return parser


class ProgressPrinter:
    """Files done / total on stderr: one self-overwriting line on a terminal, otherwise a
    line every ~10%. Quiet for a handful of files."""

    LABELS = {"reading": "Reading input files", "checking": "Checking existing data",
              "writing": "Writing to the database", "exporting": "Exporting batches"}

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


def _settings(args: argparse.Namespace, need_database: bool = False):
    """Settings for a command: an explicit --database-url wins, then an explicit --data-dir
    (the folder store), then the environment."""
    import os

    from .settings import ENV_DATABASE_URL, from_env

    url = getattr(args, "database_url", None)
    if url is None and (need_database or getattr(args, "data_dir", None) is None):
        url = os.environ.get(ENV_DATABASE_URL) or None
    if need_database and not url:
        args.parser.error(f"--database-url is required (or set {ENV_DATABASE_URL})")
    env = {k: v for k, v in os.environ.items() if k != ENV_DATABASE_URL}
    return from_env(env, data_dir=getattr(args, "data_dir", None), database_url=url)


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import IngestUsageError
    from .loaders import parse_settings
    from .pgstore import StoreError  # importing it does not load the database driver
    from .stores import open_store

    try:
        overrides = parse_settings(args.settings)
    except ValueError as exc:
        args.parser.error(str(exc))
    settings = _settings(args)
    store = open_store(settings)
    try:
        report = store.ingest(args.paths, overrides, source=args.source or f"cli: {' '.join(args.paths)}"[:200],
                              dry_run=args.dry_run, strict=args.strict, progress=ProgressPrinter(sys.stderr))
    except IngestUsageError as exc:
        args.parser.error(str(exc))
    except OSError as exc:
        print(f"error: could not write to {store.describe()}: {exc}. Nothing was changed.", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"Data directory: {settings.data_dir}" if store.backend == "folder" else f"Database: {store.describe()}")
    for line in report.lines():
        print(line)
    if report.batch:
        print(f"Batch {report.batch}; the store is now at revision {report.revision}.")
    if report.written:
        print(f"Start the app on this data: python app.py --data-dir {shlex.quote(str(settings.data_dir))}")
    elif report.batch and store.backend == "postgres":
        print("Serve it: FRONTIER_DATABASE_URL=... python app.py (a running app picks it up by itself)")
    return report.exit_code


def _store_command(args: argparse.Namespace, action) -> int:
    from .ingest import IngestUsageError
    from .pgstore import StoreError
    from .stores import open_store

    store = open_store(_settings(args, need_database=True))
    try:
        return action(store)
    except (StoreError, IngestUsageError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()


def cmd_export(args: argparse.Namespace) -> int:
    def run(store) -> int:
        report = store.export(args.directory, progress=ProgressPrinter(sys.stderr))
        for line in report.lines():
            print(line)
        print(f"Serve it: python app.py --data-dir {shlex.quote(str(args.directory))}")
        return 0

    return _store_command(args, run)


def cmd_migrate(args: argparse.Namespace) -> int:
    def run(store) -> int:
        print(f"{store.describe()}: schema version {store.migrate()}")
        return 0

    return _store_command(args, run)


def cmd_revision(args: argparse.Namespace) -> int:
    from .pgstore import StoreError
    from .stores import open_store

    store = open_store(_settings(args))
    try:
        print(store.revision())
        if store.backend == "postgres":
            batches = store.batches()
        else:
            batches = store.state().batches
        for b in batches[-20:]:
            print(f"  batch {b.id}  {b.time}  +{b.added}  {b.source}")
        return 0
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    argv = _expand_set_pairs(list(sys.argv[1:] if argv is None else argv))
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
