"""The folder store: revisions from the manifest and the folder's stat, batches, at_revision."""

from __future__ import annotations

import json
import shutil

import pytest

from frontier.batches import MANIFEST_NAME, parse_revision, read_manifest
from frontier.dataset import build_dataset
from frontier.ingest import INGEST_SUBDIR, Upload
from frontier.settings import Settings, from_env
from frontier.stores import FolderStore, Store, open_store

from .conftest import API_DIR, DATA, SEED_DIR
from .helpers import agg_records, point_table


def test_bundled_data_is_batch_zero_with_a_stable_revision():
    store = FolderStore(DATA)
    rev = store.revision()
    assert rev.startswith("0+") and len(rev) == 10 and store.revision() == rev
    dataset = store.load()
    assert dataset.revision == rev and dataset.batches == []
    assert set(dataset.points["batch"]) == {0} and set(dataset.latest["batch"]) == {0}
    assert point_table(dataset.points) == point_table(build_dataset(DATA).points)


def test_ingest_records_a_batch_and_moves_the_revision(empty_data_dir):
    store = FolderStore(empty_data_dir)
    assert store.revision().startswith("0+")
    report = store.ingest([SEED_DIR], source="seed run")
    assert report.batch == 1 and report.revision.startswith("1+") and report.revision == store.revision()
    batches, problems = read_manifest(empty_data_dir)
    assert problems == [] and len(batches) == 1
    (batch,) = batches
    assert (batch.id, batch.source, batch.added) == (1, "seed run", 27)
    assert batch.files == ((str(report.written.relative_to(empty_data_dir)), report.written.stat().st_size),)
    second = store.ingest([API_DIR / "dsr1_latest.json"])
    assert second.batch == 2
    dataset = store.load()
    assert dataset.revision.startswith("2+")
    assert dataset.points["batch"].value_counts().to_dict() == {1: 27, 2: second.added}


def test_nothing_to_add_records_no_batch(empty_data_dir):
    store = FolderStore(empty_data_dir)
    store.ingest([SEED_DIR])
    rev = store.revision()
    again = store.ingest([SEED_DIR])
    assert again.batch is None and again.added == 0 and store.revision() == rev
    assert len(read_manifest(empty_data_dir)[0]) == 1


def test_at_revision_on_the_folder_store(empty_data_dir):
    store = FolderStore(empty_data_dir)
    store.ingest([SEED_DIR])
    store.ingest([API_DIR])
    # a hand-copied file belongs to batch 0: part of every revision
    shutil.copy(SEED_DIR / "agg_bmk.json", empty_data_dir / "copied.json")
    dataset = store.load()
    assert parse_revision(dataset.revision) == 2
    at1 = dataset.at_revision("1")
    assert at1 is not None and set(at1.points["batch"]) <= {0, 1}
    assert len(at1.points) == len(dataset.points[dataset.points["batch"] <= 1])
    assert set(at1.latest["model"].astype(str)) == {"qwen3.5"}
    assert dataset.at_revision(dataset.revision.split("+")[0]) is dataset
    assert dataset.at_revision("0").points["batch"].eq(0).all()
    assert dataset.at_revision("3") is None and dataset.at_revision("x") is None


def test_a_hand_copied_file_changes_the_revision(empty_data_dir):
    store = FolderStore(empty_data_dir)
    before = store.revision()
    shutil.copy(SEED_DIR / "agg_bmk.json", empty_data_dir / "results.json")
    after = store.revision()
    assert after != before and after.startswith("0+")
    assert len(store.load().points) == 27


def test_an_edited_reference_table_changes_the_revision(empty_data_dir):
    store = FolderStore(empty_data_dir)
    before = store.revision()
    with open(empty_data_dir / "hardware.csv", "a") as fh:
        fh.write("# a comment\n")
    assert store.revision() != before


def test_an_unwritable_manifest_keeps_the_results_file_out(empty_data_dir):
    """The batch record and its file go in together: if the manifest cannot be updated, the
    file just written is removed again and the folder is as before."""
    (empty_data_dir / MANIFEST_NAME).write_text("{not json")
    before = sorted(p.relative_to(empty_data_dir) for p in empty_data_dir.rglob("*"))
    store = FolderStore(empty_data_dir)
    with pytest.raises(OSError, match="manifest is unreadable"):
        store.ingest([SEED_DIR])
    assert sorted(p.relative_to(empty_data_dir) for p in empty_data_dir.rglob("*")) == before
    dataset = store.load()
    assert dataset.points.empty
    assert any(p.file == MANIFEST_NAME and "unreadable" in p.message for p in dataset.problems)


def test_uploads_in_memory_are_ingested_like_files(empty_data_dir):
    records = agg_records(SEED_DIR / "agg_bmk.json")
    report = FolderStore(empty_data_dir).ingest([Upload("ci/agg_bmk.json", json.dumps(records).encode())])
    assert report.added == 27 and report.files == ["ci/agg_bmk.json"]


def test_open_store_from_settings(tmp_path):
    assert isinstance(open_store(Settings(data_dir=tmp_path)), FolderStore)
    settings = from_env({"FRONTIER_DATABASE_URL": "postgresql://u:pw@db/frontier", "FRONTIER_INGEST_TOKEN": "t0k"})
    assert settings.database_url == "postgresql://u:pw@db/frontier" and settings.ingest_token == "t0k"
    assert "pw" not in repr(settings) and "t0k" not in repr(settings)
    store = open_store(settings)
    assert store.backend == "postgres" and isinstance(store, Store)
    assert store.describe() == "PostgreSQL frontier at db"
    assert from_env({}).database_url is None and from_env({}).max_upload_bytes == 64 * 2**20
    assert from_env({"FRONTIER_MAX_UPLOAD_MB": "0.5"}).max_upload_bytes == 2**19


def test_cached_folder_dataset_still_gets_batches(empty_data_dir, tmp_path):
    cache = tmp_path / "cache"
    store = FolderStore(empty_data_dir, cache)
    store.ingest([SEED_DIR])
    first, second = store.load(), store.load()
    assert second.key == first.key
    assert set(second.points["batch"]) == {1} and second.revision == first.revision


def test_new_files_are_merged_into_the_served_dataset_as_a_full_load_would_build_it(empty_data_dir):
    store = FolderStore(empty_data_dir)
    store.ingest([API_DIR / "dsr1_history.json"])
    served = store.load()
    store.ingest([SEED_DIR])
    shutil.copy(API_DIR / "dsr1_latest.json", empty_data_dir / "copied.json")  # overlaps history: rebuild
    (empty_data_dir / "half.json").write_text('[{"hw": "b3')
    for previous in (served, None):
        merged = store.load(previous=previous)
        full = FolderStore(empty_data_dir).load()
        assert not merged.key.startswith("merged@")  # the new files repeat measurements: rebuilt
        assert merged.revision == full.revision
        for name in ("points", "latest"):
            a, b = getattr(merged, name), getattr(full, name)
            assert list(a.columns) == list(b.columns)
            assert a.astype(object).where(a.notna(), None).values.tolist() == \
                b.astype(object).where(b.notna(), None).values.tolist()
        assert sorted(p.describe() for p in merged.problems) == sorted(p.describe() for p in full.problems)
    (empty_data_dir / "copied.json").unlink()
    no_overlap = store.load(previous=served)
    assert no_overlap.key.startswith("merged@") and served.key and not served.key.startswith("merged@")
    assert point_table(no_overlap.points) == point_table(FolderStore(empty_data_dir).load().points)
