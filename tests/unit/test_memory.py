"""frontier/memory.py: freed heap handed back to the operating system."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def test_a_freed_heap_goes_back_to_the_os():
    # a process that builds and frees ~400 MB of malloc'd buffers (as building a dataset's
    # frames does), keeping a few among them, then reports its resident memory before and after
    # release_freed_memory(): glibc keeps the freed pages until asked
    script = textwrap.dedent("""
        import os
        from frontier.memory import release_freed_memory
        def rss():
            with open("/proc/self/status") as f:
                return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) // 1024
        docs = [bytearray(2048) for i in range(200000)]
        keep = docs[::500]  # a little of it stays, interleaved with what is freed
        del docs
        before = rss()
        release_freed_memory()
        print(before, rss(), len(keep))
    """)
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120, check=True)
    before, after, _kept = map(int, out.stdout.split())
    assert before > 200 and after < before / 2, (before, after)
