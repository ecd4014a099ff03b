"""Where data and cache live, from the command line or the environment (SPEC §8)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .dataset import BUNDLED_DATA_DIR

ENV_DATA_DIR = "FRONTIER_DATA_DIR"
ENV_CACHE_DIR = "FRONTIER_CACHE_DIR"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8050
    data_dir: Path = BUNDLED_DATA_DIR
    cache_dir: Path | None = None  # None: no disk cache
    debug: bool = False


def default_cache_dir(data_dir: Path) -> Path:
    """A cache folder beside the data folder (hidden, so data discovery skips it)."""
    data_dir = Path(data_dir).resolve()
    return data_dir.parent / ".frontier-cache" / data_dir.name


def from_env(environ=None, **overrides) -> Settings:
    env = os.environ if environ is None else environ
    data_dir = Path(overrides.get("data_dir") or env.get(ENV_DATA_DIR) or BUNDLED_DATA_DIR)
    cache_dir = overrides.get("cache_dir") or env.get(ENV_CACHE_DIR) or default_cache_dir(data_dir)
    port = overrides.get("port") or env.get("PORT") or 8050
    return Settings(
        host=overrides.get("host") or env.get("HOST") or "127.0.0.1",
        port=int(port),
        data_dir=data_dir,
        cache_dir=Path(cache_dir) if str(cache_dir).lower() not in ("", "none", "off") else None,
        debug=bool(overrides.get("debug")),
    )
