"""Handing freed heap back to the operating system.

Building a dataset from its JSON files allocates far more than the dataset keeps (the parsed
documents, the intermediate frames) and frees it again, but glibc's allocator holds on to the
freed pages: a 1M-point cold start went on holding ~0.9 GB it no longer used, and the requests
that followed pushed one process past 2 GB (bench/README.md, bench_memory.py)."""

from __future__ import annotations

import ctypes
import gc


def release_freed_memory(collect: bool = True) -> None:
    """Free unreachable cycles (``collect``), then ask glibc to return its free pages."""
    if collect:
        gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: its allocator trims by itself
