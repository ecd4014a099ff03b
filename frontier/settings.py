"""Where data and cache live, from the command line or the environment (SPEC §8, §13).

``database_url`` (FRONTIER_DATABASE_URL) selects the PostgreSQL store (``stores.open_store``);
``ingest_token`` (FRONTIER_INGEST_TOKEN) enables ``POST /api/v1/results``, whose body may be up
to ``max_upload_bytes`` (FRONTIER_MAX_UPLOAD_MB, default 64); ``poll_interval``
(FRONTIER_POLL_SECONDS, default 5) is how often ``live.LiveData`` checks the revision."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .dataset import BUNDLED_DATA_DIR

ENV_DATA_DIR = "FRONTIER_DATA_DIR"
ENV_CACHE_DIR = "FRONTIER_CACHE_DIR"
ENV_DATABASE_URL = "FRONTIER_DATABASE_URL"
ENV_INGEST_TOKEN = "FRONTIER_INGEST_TOKEN"
ENV_MAX_UPLOAD_MB = "FRONTIER_MAX_UPLOAD_MB"
ENV_POLL_SECONDS = "FRONTIER_POLL_SECONDS"
DEFAULT_MAX_UPLOAD_BYTES = 64 * 2**20


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8050
    data_dir: Path = BUNDLED_DATA_DIR
    cache_dir: Path | None = None  # None: no disk cache
    debug: bool = False
    database_url: str | None = field(default=None, repr=False)  # may hold a password
    ingest_token: str | None = field(default=None, repr=False)
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    poll_interval: float = 5.0


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
        database_url=overrides.get("database_url") or env.get(ENV_DATABASE_URL) or None,
        ingest_token=overrides.get("ingest_token") or env.get(ENV_INGEST_TOKEN) or None,
        max_upload_bytes=int(float(overrides.get("max_upload_mb") or env.get(ENV_MAX_UPLOAD_MB) or 64) * 2**20),
        poll_interval=float(overrides.get("poll_interval") or env.get(ENV_POLL_SECONDS) or 5.0),
    )
