"""A stand-in for one app process: LiveData on a store, printing each revision it serves.

    python -m tests.store.live_probe --database-url URL [--interval 5]
    python -m tests.store.live_probe --data-dir DIR

Prints ``ready REV POINTS`` once loaded, then ``serving REV POINTS`` each time a new snapshot
is swapped in, until stdin closes (so it never outlives the test that started it)."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from frontier.live import LiveData  # noqa: E402
from frontier.stores import FolderStore  # noqa: E402
from frontier.views import Index  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--interval", type=float, default=5.0)
    args = parser.parse_args()
    if args.database_url:
        from frontier.pgstore import PostgresStore

        store = PostgresStore(args.database_url, reference_dir=args.data_dir)  # --data-dir: reference tables
    else:
        store = FolderStore(args.data_dir)
    live = LiveData(store, derive=Index, interval=args.interval)
    snap = live.current()
    print(f"ready {snap.revision} {len(snap.dataset.points)}", flush=True)
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    shown = snap.revision
    while not done.is_set():
        snap = live.current()
        if snap.revision != shown:
            shown = snap.revision
            # the derived Index must be the new dataset's: a request would use both together
            assert snap.derived.dataset is snap.dataset
            print(f"serving {snap.revision} {len(snap.dataset.points)}", flush=True)
        time.sleep(0.05)
    live.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
