"""What the exports hold: the CSV of a view (its columns, numbers, provider, rows, name), the
browser's request for the rows its table lists, and what an exported image is told (title,
legend entries' keys, run dates and sources). Issue 10, items 7 and 8."""

from __future__ import annotations

import csv
import io

import pytest

from components import ids
from frontier.urlstate import series_key
from presenters import chart as chart_presenter
from presenters.chart import csv_export, requested_csv
from presenters.pageview import page_view

EXPLORER = "?model=dsr1&seq=1k1k&precision=fp8&metric=tput&x=intvty"
SEED_PATH = "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off"

CSV_COLUMNS = [
    "series", "series_key", "model", "isl", "osl", "gpu", "gpu_label", "framework", "precision", "spec_decoding",
    "deployment", "parallelism", "tp", "ep", "dp_attention", "prefill_num_workers", "prefill_tp", "prefill_ep",
    "prefill_dp_attention", "num_prefill_gpu", "decode_num_workers", "decode_tp", "decode_ep", "decode_dp_attention",
    "num_decode_gpu", "gpus", "conc", "x_intvty", "y_tput", "on_frontier", "tput_per_gpu", "input_tput_per_gpu",
    "output_tput_per_gpu", "median_ttft", "p90_ttft", "p99_ttft", "median_tpot", "p90_tpot", "p99_tpot",
    "median_intvty", "p90_intvty", "p99_intvty", "median_e2el", "p90_e2el", "p99_e2el", "cost_provider",
    "cost_per_m_tokens", "cost_per_m_input_tokens", "cost_per_m_output_tokens", "tok_s_per_mw", "joules_per_token",
    "date", "image", "run_url",
]
INTEGERS = ["isl", "osl", "tp", "ep", "prefill_num_workers", "prefill_tp", "prefill_ep", "num_prefill_gpu",
            "decode_num_workers", "decode_tp", "decode_ep", "num_decode_gpu", "gpus", "conc"]


def state_of(index, search, pathname="/"):
    return page_view(index, pathname, search).state


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def table_of(index, search, pathname="/") -> dict:
    return page_view(index, pathname, search).values("table")[(ids.POINTS_DATA, "data")]


# ---- the CSV --------------------------------------------------------------------------------------

def test_the_csv_has_the_columns_inferencex_users_expect(index):
    text, _name = csv_export(index, state_of(index, EXPLORER))
    assert next(csv.reader(io.StringIO(text))) == CSV_COLUMNS
    text, _name = csv_export(index, state_of(index, "?seq=1k1k", SEED_PATH))
    header = next(csv.reader(io.StringIO(text)))
    assert header[0] == "side" and header[1:] == CSV_COLUMNS
    assert {r["side"] for r in rows_of(text)} == {"MTP", "Off"}


def test_the_csv_writes_whole_numbers_as_integers_and_flags_as_words(index):
    rows = rows_of(csv_export(index, state_of(index, "?model=dsr1&seq=1k1k&precision=fp4,fp8"))[0])
    assert len(rows) > 100
    for column in INTEGERS:
        values = [r[column] for r in rows if r[column] != ""]
        assert values, column
        assert all(v.isdigit() for v in values), (column, [v for v in values if not v.isdigit()][:3])
    assert "16" in {r["conc"] for r in rows} | {r["gpus"] for r in rows}
    for column in ("dp_attention", "prefill_dp_attention", "decode_dp_attention", "on_frontier"):
        assert {r[column] for r in rows} <= {"true", "false"}, column


def test_the_csv_numbers_are_the_views_own(index):
    state = state_of(index, "?model=dsr1&seq=1k1k&precision=fp8&metric=jtok&x=ttft")
    view = chart_presenter.chart_view(index, state)
    rows = rows_of(csv_export(index, state)[0])
    assert len(rows) == len(view.points)
    for row, (_label, point) in zip(rows, view.points.iterrows()):
        assert float(row["x_ttft"]) == pytest.approx(point["ttft_median"], rel=1e-12)
        assert float(row["y_jtok"]) == pytest.approx(point["jtok"], rel=1e-12)
        assert float(row["tput_per_gpu"]) == pytest.approx(point["tput"], rel=1e-12)
        assert float(row["median_intvty"]) == pytest.approx(point["intvty"], rel=1e-12)
        assert (row["gpu"], row["framework"], int(row["conc"]), row["date"]) == (
            point["gpu"], point["framework"], point["conc"], point["date"])
    # interactivity at a TPOT percentile is 1 / that TPOT (InferenceX's definition); blank where unmeasured
    with_p99 = [r for r in rows if r["p99_tpot"]]
    assert with_p99 and all(float(r["p99_intvty"]) == pytest.approx(1 / float(r["p99_tpot"])) for r in with_p99)
    assert all(r["p90_intvty"] == "" for r in rows if r["p90_tpot"] == "")
    # the series and frontier columns agree with the chart's series
    names = {s.url_key: s.name for s in view.series}
    assert all(names[r["series_key"]] == r["series"] for r in rows)
    assert sum(r["on_frontier"] == "true" for r in rows) == sum(len(s.frontier) for s in view.series)


@pytest.mark.parametrize("pathname, search, provider", [
    ("/", EXPLORER, "hyperscaler"),
    ("/", "?model=dsr1&seq=1k1k&precision=fp8&metric=cost_output_neocloud", "neocloud"),
    ("/", "?model=dsr1&seq=1k1k&precision=fp8&metric=tokmw", "hyperscaler"),
    (SEED_PATH, "?seq=1k1k&provider=rental", "rental"),
    (SEED_PATH, "?seq=1k1k&metric=cost_input_neocloud", "neocloud"),
])
def test_the_csv_prices_with_the_views_provider(index, pathname, search, provider):
    state = state_of(index, search, pathname)
    view = chart_presenter.chart_view(index, state)
    rows = rows_of(csv_export(index, state)[0])
    assert {r["cost_provider"] for r in rows} == {provider}
    for row, (_label, point) in zip(rows, view.points.iterrows()):
        assert float(row["cost_per_m_tokens"]) == pytest.approx(point[f"cost_total_{provider}"])
        assert float(row["cost_per_m_output_tokens"]) == pytest.approx(point[f"cost_output_{provider}"])


def test_the_csv_leaves_out_hidden_series(index):
    keys = index.series_keys(state_of(index, EXPLORER))
    everything = rows_of(csv_export(index, state_of(index, EXPLORER))[0])
    text, name = csv_export(index, state_of(index, EXPLORER + f"&hide={keys[0]},{keys[2]}"))
    rows = rows_of(text)
    assert {r["series_key"] for r in rows} == set(keys) - {keys[0], keys[2]}
    assert len(rows) == sum(r["series_key"] not in (keys[0], keys[2]) for r in everything)
    assert "_2-hidden_" in name and "filtered" not in name


@pytest.mark.parametrize("search, name", [
    (EXPLORER, "inference-frontier_dsr1_1k1k_fp8_tput-vs-intvty_latest-2026-06-02.csv"),
    ("?model=dsr1&seq=8k1k&precision=fp4,fp8&metric=cost&x=e2el&gpus=b200,mi355x&optimal=1&date=2026-03-03",
     "inference-frontier_dsr1_8k1k_fp4-fp8_cost-vs-e2el_gpus-b200-mi355x_optimal_as-of-2026-03-03.csv"),
])
def test_the_file_name_says_the_view(index, search, name):
    assert csv_export(index, state_of(index, search))[1] == name


# ---- the browser's request for the rows its table lists --------------------------------------------

def test_a_request_gets_exactly_the_rows_listed_in_the_tables_order(index):
    table = table_of(index, EXPLORER)
    wanted = [7, 2, 30]
    text, name = requested_csv(index, {"view": table["view"], "rows": wanted, "hidden": [], "clicks": 1})
    rows = rows_of(text)
    names = [c["name"] for c in table["columns"]]
    conc, date = names.index("Concurrency"), names.index("Date")
    assert [(int(r["conc"]), r["date"]) for r in rows] == [(table["rows"][i][conc], table["rows"][i][date]) for i in wanted]
    assert name.endswith("_filtered_latest-2026-06-02.csv")
    # rows of a series the request hides are not written, whatever the row list says
    hidden = table["keys"][table["series"][2]]
    rows = rows_of(requested_csv(index, {"view": table["view"], "rows": wanted, "hidden": [hidden]})[0])
    assert len(rows) == 2 and hidden not in {r["series_key"] for r in rows}


def test_a_request_of_a_comparison_page_keeps_its_provider(index):
    table = table_of(index, "?seq=1k1k&provider=neocloud", SEED_PATH)
    assert table["view"] == SEED_PATH + "?seq=1k1k&precision=fp4&provider=neocloud"
    rows = rows_of(requested_csv(index, {"view": table["view"], "rows": list(range(len(table["rows"])))})[0])
    assert len(rows) == 27 and {r["cost_provider"] for r in rows} == {"neocloud"}


def test_an_empty_request_writes_the_header_only(index):
    table = table_of(index, EXPLORER)
    text, name = requested_csv(index, {"view": table["view"], "rows": [], "hidden": []})
    assert rows_of(text) == [] and text.startswith("series,series_key,")
    assert "_filtered_" in name


@pytest.mark.parametrize("change", [
    {"rows": [0, 0]}, {"rows": [-1]}, {"rows": [10_000]}, {"rows": [1.0]}, {"rows": [True]}, {"rows": ["1"]},
    {"rows": None}, {"rows": {"0": 1}}, {"rows": list(range(10_000))}, {"view": None}, {"view": "/?" + "x" * 5000},
    {"view": "/nowhere?seq=1k1k"}, {"view": "/compare-spec-decode/nosuch-b300-fp4-mtp-vs-off?seq=1k1k"},
    {"hidden": "a/fp4"}, {"hidden": [f"x{n}/y" for n in range(201)]},
], ids=lambda c: repr(c)[:40])
def test_a_request_that_is_not_one_gets_no_csv(index, change):
    table = table_of(index, EXPLORER)
    request = {"view": table["view"], "rows": [0, 1], "hidden": [], "clicks": 1}
    assert requested_csv(index, {**request, **change}) is None
    assert requested_csv(index, "rows") is None


def test_an_unknown_or_malformed_hidden_key_in_a_request_is_ignored(index):
    table = table_of(index, EXPLORER)
    text, name = requested_csv(index, {"view": table["view"], "rows": [0, 1], "hidden": ["nosuch/x/y/z", "<b>", 7]})
    assert len(rows_of(text)) == 2 and "hidden" not in name


# ---- series keys and what an exported image is told ------------------------------------------------

def test_series_keys_are_built_from_what_a_series_is():
    assert series_key("b200", "dynamo-sglang", "mtp", "fp8") == "b200/dynamo-sglang/mtp/fp8"
    assert series_key("a", "fp4") == "a/fp4"
    assert series_key("My GPU", "vLLM 0.9/x", "none", "FP8") == "my-gpu/vllm-0.9-x/none/fp8"  # safe in hide=


def test_series_keys_do_not_depend_on_the_series_position(index):
    all_gpus = {s.url_key: s.name for s in chart_presenter.chart_view(index, state_of(index, EXPLORER)).series}
    one_gpu = chart_presenter.chart_view(index, state_of(index, EXPLORER + "&gpus=mi355x")).series
    assert one_gpu and all(all_gpus[s.url_key] == s.name for s in one_gpu)
    assert len(set(all_gpus)) == len(all_gpus)
    sides = chart_presenter.chart_view(index, state_of(index, "?seq=1k1k", SEED_PATH)).series
    assert [s.url_key for s in sides] == ["a/fp4", "b/fp4"]
    two = chart_presenter.chart_view(index, state_of(index, "?seq=1k1k&precision=fp4,fp8",
                                                     "/compare-spec-decode/dsr1-b200-fp4-mtp-vs-off")).series
    assert sorted(s.url_key for s in two) == ["a/fp4", "a/fp8", "b/fp4", "b/fp8"]


def test_the_figure_tells_an_export_its_title_name_dates_and_sources(index):
    state = state_of(index, "?model=dsr1&seq=1k1k&precision=fp4,fp8&metric=cost&x=e2el&date=2026-03-03")
    view = chart_presenter.chart_view(index, state)
    meta = view.figure["layout"]["meta"]
    about = dict(meta["export"])
    gpu_files = about.pop("gpu_files")
    assert about == {
        "title": "DeepSeek R1 0528 · 1k/1k · FP4/FP8 · as of 2026-03-03: Cost per million all tokens (Hyperscaler) "
                 "vs End-to-end latency (median)",
        "name": "inference-frontier_dsr1_1k1k_fp4-fp8_cost-vs-e2el", "when": "as-of-2026-03-03",
        # the parts the browser names a subset of the GPUs' files from (assets/app.js narrowExport)
        "stem": "inference-frontier_dsr1_1k1k_fp4-fp8_cost-vs-e2el", "tail": "", "dated": True}
    assert gpu_files == {s.gpu: s.gpu for s in view.series}
    for entry, series in zip(meta["series"], view.series):
        dates = sorted(series.points["date"].astype(str))
        assert entry["key"] == series.url_key
        assert entry["dates"] == [dates[0], dates[-1]] and dates[-1] <= "2026-03-03"
        assert entry["sources"] == ["SemiAnalysis InferenceX"]
    seed = chart_presenter.chart_view(index, state_of(index, "?seq=1k1k", SEED_PATH)).figure["layout"]["meta"]
    assert seed["export"]["title"] == ("B300 FP4: MTP vs Off speculative decoding · 1k/1k · FP4: Throughput per GPU "
                                       "(input + output) vs Interactivity (median)")
    assert {s for entry in seed["series"] for s in entry["sources"]} == {"InferenceX runner aggregates"}


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    """A record whose image, framework or run URL begins with =, +, -, @, tab or CR reaches
    the CSV with an apostrophe in front (OWASP CSV injection); numbers stay numbers."""
    import csv as csv_module
    import io
    import json
    import shutil

    from tests.conftest import DATA, make_app

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    seed = json.loads((data / "benchmarks" / "qwen35-b300-fp4-1k1k" / "agg_bmk.json").read_text())
    seed[0]["image"] = "=HYPERLINK(\"http://evil.example\",\"click\")"
    seed[1]["image"] = "@SUM(1+1)"
    seed[2]["image"] = "\tcmd"
    (data / "benchmarks" / "qwen35-b300-fp4-1k1k" / "agg_bmk.json").write_text(json.dumps(seed))
    client = make_app(data, tmp_path / "cache").server.test_client()
    text = client.get("/api/v1/points.csv?model=qwen3.5&seq=1k1k").get_data(as_text=True)
    rows = list(csv_module.DictReader(io.StringIO(text)))
    images = {r["image"] for r in rows}
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in images and "'@SUM(1+1)" in images and "'\tcmd" in images
    assert not any(v.startswith(("=", "@", "\t", "+")) for r in rows for v in r.values())
    assert all(r["conc"].isdigit() for r in rows)  # numbers untouched
