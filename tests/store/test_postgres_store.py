"""The PostgreSQL store against a real server: schema, ingest, load, duplicates, atomicity,
revisions, export and the way back, and the same numbers as the folder store."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import psycopg
import pytest

from frontier.compare import ComparisonSpec, compare
from frontier.dataset import build_dataset
from frontier.ingest import Upload
from frontier.pgstore import PostgresStore, StoreError, identity_keys, migrate
from frontier.stores import FolderStore

from .conftest import API_DIR, BENCHMARKS, DATA, RUNNER_AGG, SEED_DIR
from .helpers import agg_records, comparison_numbers, point_table


def counts(url: str) -> tuple[int, int]:
    with psycopg.connect(url) as conn:
        return (conn.execute("SELECT count(*) FROM measurement").fetchone()[0],
                conn.execute("SELECT count(*) FROM ingest_batch").fetchone()[0])


# ---------------------------------------------------------------------------- schema

def test_schema_is_created_once_even_by_concurrent_processes(pg_url):
    versions, errors = [], []

    def run():
        try:
            with psycopg.connect(pg_url) as conn:
                versions.append(migrate(conn))
        except Exception as exc:  # pragma: no cover - the failure is the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and versions == [1, 1, 1, 1]
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT version, name FROM frontier_schema").fetchall() == [(1, "0001_initial")]
        assert conn.execute("SELECT count(*) FROM frontier_meta WHERE key = 'store_id'").fetchone()[0] == 1


def test_empty_database_loads_with_a_notice(pg_url):
    store = PostgresStore(pg_url)
    assert store.revision() == "0"
    dataset = store.load()
    assert dataset.revision == "0" and dataset.points.empty and "batch" in dataset.points
    assert any("holds no measurements" in p.message for p in dataset.problems)


def test_unreachable_database_is_a_readable_error():
    store = PostgresStore("postgresql://nobody@127.0.0.1:1/none", connect_timeout=2)
    with pytest.raises(StoreError, match=r"cannot connect to PostgreSQL none at 127\.0\.0\.1:1"):
        store.revision()
    assert "password" not in PostgresStore("postgresql://u:secret@h/db").describe()
    assert "secret" not in PostgresStore("postgresql://u:secret@h/db").describe()


# ---------------------------------------------------------------------------- same numbers

def test_database_gives_the_same_points_and_comparisons_as_the_folder_store(pg_url):
    store = PostgresStore(pg_url)
    report = store.ingest([BENCHMARKS], source="test")
    folder = build_dataset(DATA)
    assert report.batch == 1 and report.revision == "1"
    assert report.added == len(folder.points) and report.rejected_records == 0
    dataset = store.load()
    assert dataset.revision == "1" and set(dataset.points["batch"]) == {1}
    assert point_table(dataset.points) == point_table(folder.points)
    assert point_table(dataset.latest) == point_table(folder.latest)
    from_db, from_files = comparison_numbers(dataset), comparison_numbers(folder)
    assert len(from_db) > 20 and from_db == from_files


def test_seed_page_numbers_from_the_database(pg_url):
    """SPEC §7: the seed comparison, its throughput read off the frontiers (unrounded values
    as in tests/unit/test_compare.py), from data that went through the database."""
    store = PostgresStore(pg_url)
    store.ingest([SEED_DIR])
    result = compare(ComparisonSpec("spec-decode", "qwen3.5", "b300", "b300", "fp4", "fp4"), store.load().latest,
                     "1k1k", ("MTP", "Off"))
    mtp = [result.a.values[t]["throughput"].value for t in result.targets]
    off = [result.b.values[t]["throughput"].value for t in result.targets]
    assert mtp == pytest.approx([4729.01807, 3193.82770, 2157.63534], abs=1e-4)
    assert off == pytest.approx([1583.63345, 966.26413, 614.18378], abs=1e-4)


# ---------------------------------------------------------------------------- duplicates

def test_reingesting_skips_duplicates_and_records_no_empty_batch(pg_url):
    store = PostgresStore(pg_url)
    first = store.ingest([SEED_DIR])
    again = store.ingest([SEED_DIR])
    assert (first.added, first.batch) == (27, 1)
    assert (again.added, again.duplicates_existing, again.batch, again.revision) == (0, 27, None, "1")
    assert again.reason == "nothing new to add" and again.exit_code == 0
    assert counts(pg_url) == (27, 1)


def test_partial_overlap_adds_only_the_new_measurements(pg_url, tmp_path):
    records = agg_records(SEED_DIR / "agg_bmk.json")
    (tmp_path / "a.json").write_text(json.dumps(records[:10]))
    (tmp_path / "b.json").write_text(json.dumps(records[5:]))
    store = PostgresStore(pg_url)
    assert store.ingest([tmp_path / "a.json"]).added == 10
    second = store.ingest([tmp_path / "b.json"])
    assert (second.added, second.duplicates_existing, second.batch) == (17, 5, 2)
    dataset = store.load()
    assert dataset.points["batch"].value_counts().to_dict() == {1: 10, 2: 17}


def test_same_configuration_on_a_new_date_is_a_new_measurement(pg_url):
    records = agg_records(SEED_DIR / "agg_bmk.json")[:3]
    later = [dict(r, date="2030-01-02") for r in records]
    store = PostgresStore(pg_url)
    store.ingest([Upload("day1.json", json.dumps(records).encode())])
    report = store.ingest([Upload("day2.json", json.dumps(later).encode())])
    assert report.added == 3
    dataset = store.load()
    assert len(dataset.points) == 6 and len(dataset.latest) == 3
    assert set(dataset.latest["date"].astype(str)) == {"2030-01-02"}


def test_identity_key_ignores_image_and_date_but_not_parallelism(pg_url):
    records = agg_records(SEED_DIR / "agg_bmk.json")[:1]
    store = PostgresStore(pg_url)
    store.ingest([Upload("a.json", json.dumps(records).encode())])
    other_image = [dict(records[0], image="another:image")]
    assert store.ingest([Upload("b.json", json.dumps(other_image).encode())]).duplicates_existing == 1
    other_tp = [dict(records[0], tp=records[0]["tp"] * 2)]
    assert store.ingest([Upload("c.json", json.dumps(other_tp).encode())]).added == 1


def test_concurrent_ingests_of_the_same_results_add_them_once(pg_url):
    reports, errors = [], []

    def run():
        try:
            reports.append(PostgresStore(pg_url).ingest([SEED_DIR]))
        except Exception as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(r.added for r in reports) == [0, 0, 27]
    assert counts(pg_url) == (27, 1)


# ---------------------------------------------------------------------------- all or nothing

class Boom(RuntimeError):
    pass


@pytest.mark.parametrize("stage", ["writing", "committing"])
def test_a_failed_batch_leaves_the_database_unchanged(pg_url, stage):
    """The ingest dies while copying rows in, or after every row was inserted but before the
    commit: the transaction is rolled back, nothing of it is visible, the revision stays."""
    store = PostgresStore(pg_url)
    store.ingest([SEED_DIR])
    before = (counts(pg_url), store.revision(), store.load().points.shape)

    def progress(step, done, total, name):
        if step == stage:
            raise Boom(step)

    with pytest.raises(Boom):
        store.ingest([API_DIR], progress=progress)
    assert (counts(pg_url), store.revision(), store.load().points.shape) == before
    ok = store.ingest([API_DIR])  # and the store still works
    assert ok.batch == 2 and ok.added > 0


def test_a_database_error_mid_batch_rolls_it_all_back(pg_url, tmp_path):
    """The database refuses one row in the middle of a batch (a trigger stands in for any
    failure the server can raise): the whole batch fails with a readable error and the valid
    records of the same batch are not written either."""
    records = agg_records(SEED_DIR / "agg_bmk.json")
    (tmp_path / "batch.json").write_text(json.dumps(records))
    store = PostgresStore(pg_url)
    store.migrate()
    refused_conc = int(records[20]["conc"])
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("""CREATE FUNCTION refuse_one() RETURNS trigger AS $$
            BEGIN IF NEW.conc = %s THEN RAISE EXCEPTION 'value out of range for this test'; END IF;
            RETURN NEW; END $$ LANGUAGE plpgsql""" % refused_conc)
        conn.execute("CREATE TRIGGER refuse_one BEFORE INSERT ON measurement FOR EACH ROW EXECUTE FUNCTION refuse_one()")
    try:
        with pytest.raises(StoreError, match="the database refused the batch, nothing was written: .*out of range"):
            store.ingest([tmp_path / "batch.json"])
        assert counts(pg_url) == (0, 0) and store.revision() == "0"
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("DROP TRIGGER refuse_one ON measurement")
            conn.execute("DROP FUNCTION refuse_one()")


def test_strict_and_dry_run_write_nothing(pg_url, tmp_path):
    records = agg_records(SEED_DIR / "agg_bmk.json")
    records[3] = dict(records[3], tput_per_gpu="fast")
    (tmp_path / "one-bad.json").write_text(json.dumps(records))
    store = PostgresStore(pg_url)
    strict = store.ingest([tmp_path / "one-bad.json"], strict=True)
    assert strict.added == 0 and strict.exit_code == 1 and "--strict" in strict.reason
    dry = store.ingest([tmp_path / "one-bad.json"], dry_run=True)
    assert (dry.added, dry.rejected_records, dry.batch) == (26, 1, None)
    assert counts(pg_url) == (0, 0)
    lines = "\n".join(store.ingest([tmp_path / "one-bad.json"]).lines())
    assert "record 3, field 'tput_per_gpu': expected a positive throughput" in lines
    assert counts(pg_url) == (26, 1)


# ---------------------------------------------------------------------------- revisions

def test_batches_revisions_and_at_revision(pg_url):
    store = PostgresStore(pg_url)
    store.ingest([SEED_DIR], source="seed")
    store.ingest([API_DIR / "dsr1_history.json"], source="history")
    store.ingest([API_DIR / "dsr1_latest.json"], source="latest")
    dataset = store.load()
    assert dataset.revision == "3"
    assert [(b.id, b.source) for b in dataset.batches] == [(1, "seed"), (2, "history"), (3, "latest")]
    at1 = dataset.at_revision("1")
    assert at1.revision == "1" and len(at1.points) == 27 and set(at1.latest["model"]) == {"qwen3.5"}
    at2 = dataset.at_revision(2)
    assert set(at2.points["batch"]) == {1, 2} and at2.pinned_from == "3"
    assert len(at2.latest) < len(dataset.latest) or len(at2.points) < len(dataset.points)
    assert dataset.at_revision("3") is dataset
    for unknown in ("4", "999", "abc", "-1", ""):
        assert dataset.at_revision(unknown) is None


def test_loaded_dataset_is_cached_per_store_and_revision(pg_url, make_pg_url, tmp_path):
    cache = tmp_path / "cache"
    store = PostgresStore(pg_url, cache_dir=cache)
    store.ingest([SEED_DIR])
    first = store.load()
    second = PostgresStore(pg_url, cache_dir=cache).load()
    assert second.key == first.key and point_table(second.points) == point_table(first.points)
    other_url = make_pg_url()  # another database at the same revision number must not share it
    other = PostgresStore(other_url, cache_dir=cache)
    other.ingest([Upload("x.json", json.dumps(agg_records(SEED_DIR / "agg_bmk.json")[:2]).encode())])
    assert other.revision() == "1" and len(other.load().points) == 2


# ---------------------------------------------------------------------------- moving stores

def test_export_then_folder_store_then_back_loses_nothing(pg_url, make_pg_url, tmp_path):
    store = PostgresStore(pg_url)
    store.ingest([SEED_DIR], source="seed")
    store.ingest([API_DIR], source="api")
    from_db = store.load()
    out = tmp_path / "exported"
    report = store.export(out)
    assert report.batches == 2 and report.measurements == len(from_db.points)
    folder = FolderStore(out).load()
    assert point_table(folder.points) == point_table(from_db.points)
    assert folder.revision.split("+")[0] == "2" and [b.id for b in folder.batches] == [1, 2]
    assert folder.points["batch"].value_counts().to_dict() == from_db.points["batch"].value_counts().to_dict()
    assert point_table(folder.at_revision("1").points) == point_table(from_db.at_revision("1").points)
    assert comparison_numbers(folder) == comparison_numbers(from_db)

    back = PostgresStore(make_pg_url())
    again = back.ingest([out], source="import")
    assert again.added == len(from_db.points) and again.rejected_records == 0
    assert point_table(back.load().points) == point_table(from_db.points)


def test_export_refuses_a_folder_with_content(pg_url, tmp_path):
    from frontier.ingest import IngestUsageError

    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("keep me")
    with pytest.raises(IngestUsageError, match="not an empty folder"):
        PostgresStore(pg_url).export(tmp_path / "full")
    assert (tmp_path / "full" / "x.txt").read_text() == "keep me"


def test_identity_keys_are_stable_text_hashes(bundled_points=None):
    dataset = build_dataset(SEED_DIR, fallback_dir=DATA)
    keys = identity_keys(dataset.points)
    assert len(keys) == 27 and all(len(k) == 32 for k in keys)
    # one configuration per (config_id): the same configurations get the same key
    by_config = {}
    for key, config in zip(keys, dataset.points["config_id"]):
        by_config.setdefault(config, set()).add(key)
    assert all(len(v) == 1 for v in by_config.values())
    assert len(set(keys)) == dataset.points["config_id"].nunique()


def test_runner_aggregates_with_undated_records(pg_url):
    report = PostgresStore(pg_url).ingest([RUNNER_AGG])
    assert report.added == 3 and any(w.field == "date" for w in report.warnings)


def test_incremental_reload_equals_a_full_load(pg_url):
    """LiveData hands the served dataset to load(); only later batches are fetched and merged."""
    store = PostgresStore(pg_url)
    empty = store.load()
    store.ingest([API_DIR / "dsr1_history.json"], source="history")
    first = store.load(previous=empty)
    store.ingest([SEED_DIR], source="seed")
    store.ingest([API_DIR / "dsr1_latest.json"], source="latest")
    merged = store.load(previous=first)
    full = PostgresStore(pg_url).load()
    assert merged.revision == full.revision == "3" and merged.key == full.key
    assert [b.id for b in merged.batches] == [1, 2, 3]
    for name in ("points", "latest"):
        a, b = getattr(merged, name), getattr(full, name)
        assert list(a.columns) == list(b.columns)
        assert a.dtypes.astype(str).to_dict() == b.dtypes.astype(str).to_dict()
        assert a.astype(object).where(a.notna(), None).values.tolist() == \
            b.astype(object).where(b.notna(), None).values.tolist()  # same rows in the same order
    assert comparison_numbers(merged) == comparison_numbers(full)
    assert store.load(previous=merged).points is merged.points  # nothing new: nothing rebuilt
    # a dataset of another database is never extended
    assert PostgresStore(pg_url).load(previous=build_dataset(SEED_DIR, fallback_dir=DATA)).key == full.key


def test_a_restart_after_new_batches_starts_from_the_newest_cached_revision(pg_url, tmp_path):
    cache = tmp_path / "cache"
    PostgresStore(pg_url).ingest([API_DIR / "dsr1_history.json"])
    first = PostgresStore(pg_url, cache_dir=cache)
    first.load()
    assert first.last_load == "full"
    PostgresStore(pg_url).ingest([SEED_DIR])
    restarted = PostgresStore(pg_url, cache_dir=cache)
    dataset = restarted.load()
    assert restarted.last_load == "cache+merge" and dataset.revision == "2"
    full = PostgresStore(pg_url).load()
    assert dataset.points.astype(object).where(dataset.points.notna(), None).values.tolist() == \
        full.points.astype(object).where(full.points.notna(), None).values.tolist()
    again = PostgresStore(pg_url, cache_dir=cache)
    again.load()
    assert again.last_load == "cache"
