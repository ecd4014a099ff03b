"""Curated views built from the bundled data: every link names data that exists."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from frontier.dataset import build_dataset
from frontier.history import history
from frontier.kinds import available_comparisons, kind_for_path
from frontier.presets import build_presets, preset_by_id

from .conftest import BENCH, DATA


@pytest.fixture(scope="module")
def presets(bundled_dataset):
    return build_presets(bundled_dataset.latest, bundled_dataset.points, bundled_dataset.reference)


def test_ids_unique_and_lookup(presets):
    ids = [p.id for p in presets]
    assert len(ids) == len(set(ids)) >= 6
    assert preset_by_id(presets, ids[0]) is presets[0]
    assert preset_by_id(presets, " " + ids[0].upper()) is presets[0]
    assert preset_by_id(presets, "nope") is None
    for p in presets:
        assert p.title and p.description and p.href == p.path + p.query
        assert set(p.to_json()) == {"id", "title", "description", "path", "query", "href", "kind"}


def test_expected_presets_on_the_bundled_data(presets):
    by_id = {p.id: p for p in presets}
    assert by_id["h200-vs-b200-fp8"].href == "/compare/dsr1-h200-vs-b200?seq=1k1k&precision=fp8"
    assert by_id["b200-vs-mi355x-fp4"].title == "B200 vs MI355X at FP4"
    assert by_id["mtp-on-b300"].path.startswith("/compare-spec-decode/dsr1-b300-")
    gains = by_id["b200-software-gains"]
    assert gains.kind == "history" and gains.title == "Software gains on B200 since November 2025"
    assert by_id["calculator-1000-users"].path == "/calculator"
    assert by_id["best-per-gpu"].query.endswith("&best=1")


def test_comparison_links_are_canonical_and_have_data(presets, bundled_dataset):
    available = {(a.spec.kind, a.spec.slug): a for a in
                 available_comparisons(bundled_dataset.latest, list(bundled_dataset.reference.gpus))}
    for p in presets:
        if p.kind != "comparison":
            continue
        kind, slug = kind_for_path(p.path)
        found = available[(kind.key, slug)]  # canonical: no redirect
        query = parse_qs(urlsplit(p.href).query)
        assert query["seq"][0] in found.seqs
        if "precision" in query:
            assert query["precision"][0] in found.precisions


def test_history_presets_have_several_dates(presets, bundled_dataset):
    for p in presets:
        if p.kind != "history":
            continue
        q = {k: v[0] for k, v in parse_qs(urlsplit(p.href).query).items()}
        result = history(bundled_dataset.points, bundled_dataset.reference, model=q["model"], seq=q["seq"],
                         precision=q["precision"], target=float(q["target"]), gpus=[q["gpus"]])
        rows = result.series(q["gpus"])
        assert sum(1 for r in rows if r.measured) >= 2
        assert rows[0].date[:7] in p.description or rows[0].date in p.description


def test_presets_skip_what_the_data_lacks(bundled_dataset):
    seed = build_dataset(BENCH / "qwen35-b300-fp4-1k1k", fallback_dir=DATA)
    presets = build_presets(seed.latest, seed.points, seed.reference)
    ids = {p.id for p in presets}
    assert "mtp-on-b300" in ids  # the seed has MTP and Off on B300
    assert not any("-vs-" in i for i in ids)  # one GPU only: no GPU pairs
    assert not any(p.kind == "history" for p in presets)  # one run date
    assert build_presets(seed.latest.iloc[0:0], seed.points.iloc[0:0], seed.reference) == []
