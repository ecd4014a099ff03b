"""The one URL resolver, ``callbacks.state.resolve_change``, called directly (no Dash, no browser)."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from callbacks.state import RESOLVER_OUTPUTS, parse_targets_text, resolve_change
from callbacks.wiring import answer
from components import ids
from presenters.pageview import page_view
from tests.callbacks.conftest import texts

EXPLORER_DEFAULT = "?model=dsr1&seq=1k1k&precision=fp8&metric=tput&x=intvty"
SEED_PATH = "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off"
CONTROL = {"model": ids.MODEL, "seq": ids.SEQUENCE, "precisions": ids.PRECISION, "metric": ids.METRIC, "x": ids.X,
           "gpus": ids.GPUS, "optimal": ids.OPTIMAL, "date": ids.DATE, "targets": ids.TARGETS}
OPTION = {"model_options": ids.MODEL, "seq_options": ids.SEQUENCE, "precision_options": ids.PRECISION,
          "gpu_options": ids.GPUS, "date_options": ids.DATE}


class Written:
    """What the resolver wrote, read by name."""

    def __init__(self, values: dict):
        self.values = values
        self.search = values.get((ids.PAGE_URL, "search"))
        self.pathname = values.get((ids.PAGE_URL, "pathname"))
        self.state = values.get((ids.VIEW_STATE, "data"))
        self.toggles = values.get((ids.TOGGLES, "value"))
        self.controls = {name: values[(id_, "value")] for name, id_ in CONTROL.items() if (id_, "value") in values}
        self.controls.update({name: values[(id_, "options")] for name, id_ in OPTION.items() if (id_, "options") in values})
        notice = values.get((ids.URL_NOTICE, "children"))
        # the notice's items (its first text is the heading)
        self.notices = None if notice is None else texts(notice)[1:]


def q(search: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}


def controls(**over) -> dict:
    """Control values as the browser sends them (explorer defaults), by control id."""
    base = {"model": "dsr1", "seq": "1k1k", "precisions": ["fp8"], "metric": "tput", "x": "intvty", "gpus": [],
            "optimal": [], "date": "", "targets": ""}
    base.update(over)
    return {CONTROL[k]: v for k, v in base.items()}


def resolve_view(index, pathname, search, trigger, control_values, toggles, current=None, hidden=()) -> Written:
    return Written(resolve_change(index, pathname, search, trigger, control_values, toggles, current, hidden=hidden))


def from_url(index, search, pathname="/"):
    return resolve_view(index, pathname, search, ids.PAGE_URL, {}, [])


def from_control(index, trigger, pathname="/", search=EXPLORER_DEFAULT, toggles=None, hidden=(), **over):
    return resolve_view(index, pathname, search, trigger, controls(**over), toggles or [], hidden=hidden)


# ---- URL-triggered --------------------------------------------------------------------------

@pytest.mark.parametrize("trigger", [ids.PAGE_URL, None], ids=["page-url", "initial"])
def test_url_sets_every_control_and_does_not_push_the_url(index, trigger):
    search = ("?model=dsr1&seq=8k1k&precision=fp4,fp8&metric=cost&x=e2el&gpus=b200,mi355x&optimal=1&log=1"
              "&labels=1&contrast=1&date=2026-03-03")
    r = resolve_view(index, "/", search, trigger, {}, [])
    assert r.state["page"] == "explorer"
    assert r.search is None and r.pathname is None  # reading the URL never writes it (no history entry)
    c = r.controls
    assert (c["model"], c["seq"], c["precisions"], c["metric"], c["x"]) == ("dsr1", "8k1k", ["fp4", "fp8"], "cost", "e2el")
    assert c["gpus"] == ["b200", "mi355x"]
    assert c["optimal"] == ["optimal"]
    assert c["date"] == "2026-03-03"
    assert sorted(r.toggles) == ["contrast", "labels", "log"]
    assert r.notices == []
    assert r.state == {"page": "explorer", "model": "dsr1", "seq": "8k1k", "precisions": ["fp4", "fp8"],
                       "metric": "cost", "x": "e2el", "gpus": ["b200", "mi355x"], "optimal": True, "log": True,
                       "labels": True, "contrast": True, "date": "2026-03-03", "dates": [], "best": False,
                       "filters": {"vendor": [], "framework": [], "deployment": [], "spec": [], "gpucount": []},
                       "prices": {"provider": "hyperscaler", "price": [], "kw": []}, "hidden": [], "rev": None,
                       "search": "?model=dsr1&seq=8k1k&precision=fp4,fp8&metric=cost&x=e2el&gpus=b200,mi355x"
                                 "&date=2026-03-03&optimal=1&log=1&labels=1&contrast=1"}
    # every control value is among that control's options (Dash 4 dropdowns drop values that are not)
    assert c["model"] in [o["value"] for o in c["model_options"]]
    assert c["seq"] in [o["value"] for o in c["seq_options"] if not o["disabled"]]
    assert set(c["precisions"]) <= {o["value"] for o in c["precision_options"]}
    assert set(c["gpus"]) <= {o["value"] for o in c["gpu_options"]}


def test_url_accepts_the_slash_sequence_form(index):
    r = from_url(index, "?seq=1k%2F8k")
    assert r.controls["seq"] == "1k8k" and r.notices == []


def test_empty_url_gives_the_default_view_without_notices(index):
    r = from_url(index, "")
    assert r.search is None and r.notices == [] and r.toggles == []
    assert r.controls["model"] == "dsr1" and r.controls["seq"] == "1k1k" and r.controls["precisions"] == ["fp8"]


@pytest.mark.parametrize("search, named", [
    ("?model=nosuchmodel", "nosuchmodel"),
    ("?seq=2k2k", "2k2k"),
    ("?precision=fp2", "fp2"),
    ("?metric=bogus", "bogus"),
    ("?x=sideways", "sideways"),
    ("?gpus=z9000", "z9000"),
    ("?date=yesterday", "yesterday"),
    ("?date=1999-01-01", "1999-01-01"),
    ("?log=maybe", "maybe"),
    ("?colour=red", "colour"),
])
def test_bad_url_parameters_are_ignored_with_a_notice_naming_them(index, search, named):
    r = from_url(index, search)
    assert r.state is not None, "a bad parameter must never break the page"
    assert r.notices and any(named in n for n in r.notices), r.notices
    assert r.search is None
    # ignored: the view is the default one (of an address with a query: every configuration;
    # only the bare landing address shows best per GPU)
    default = from_url(index, "?best=0")
    assert {k: v for k, v in r.state.items() if k != "search"} == {k: v for k, v in default.state.items() if k != "search"}


def test_notices_are_cleared_by_a_users_change(index):
    r = from_control(index, ids.METRIC, search="?model=nosuchmodel", metric="jtok")
    assert r.notices == []
    assert q(r.search)["metric"] == "jtok"
    assert "nosuchmodel" not in r.search


# ---- control-triggered ------------------------------------------------------------------------

@pytest.mark.parametrize("trigger, over, expect", [
    (ids.MODEL, {"model": "qwen3.5"}, {"model": "qwen3.5", "precision": "fp4"}),
    (ids.SEQUENCE, {"seq": "8k1k"}, {"seq": "8k1k"}),
    (ids.PRECISION, {"precisions": ["fp8", "fp4"]}, {"precision": "fp4,fp8"}),
    (ids.METRIC, {"metric": "tokmw"}, {"metric": "tokmw"}),
    (ids.X, {"x": "ttft"}, {"x": "ttft"}),
    (ids.GPUS, {"gpus": ["mi355x", "b200"]}, {"gpus": "mi355x,b200"}),
    (ids.OPTIMAL, {"optimal": ["optimal"]}, {"optimal": "1"}),
    (ids.DATE, {"date": "2026-01-05"}, {"date": "2026-01-05"}),
])
def test_a_control_change_produces_the_canonical_url(index, trigger, over, expect):
    r = from_control(index, trigger, **over)
    assert r.search is not None and r.search.startswith("?model=")
    got = q(r.search)
    for key, value in expect.items():
        assert got[key] == value
    assert list(got)[:5] == ["model", "seq", "precision", "metric", "x"]  # the five main choices, always
    # the canonical URL read back gives the same state, and does not push again
    again = from_url(index, r.search)
    assert again.state == r.state and again.notices == []
    assert from_control(index, trigger, search=r.search, **over).search is None


def test_a_control_change_to_the_current_view_does_not_push(index):
    assert from_control(index, ids.METRIC, search=EXPLORER_DEFAULT).search is None


def test_cascade_a_model_without_the_chosen_sequence_falls_back(index):
    # Qwen 3.5 has only 1k/1k and FP4 on B300
    r = from_control(index, ids.MODEL, model="qwen3.5", seq="8k1k", precisions=["fp8"], gpus=["b200"])
    assert r.controls["seq"] == "1k1k"
    assert r.controls["precisions"] == ["fp4"]
    assert r.controls["gpus"] == []
    assert [o["value"] for o in r.controls["seq_options"] if not o["disabled"]] == ["1k1k"]
    assert [o["value"] for o in r.controls["precision_options"]] == ["fp4"]
    assert [o["value"] for o in r.controls["gpu_options"]] == ["b300"]
    assert q(r.search) == {"model": "qwen3.5", "seq": "1k1k", "precision": "fp4", "metric": "tput", "x": "intvty"}
    # issue 10: every choice the new model cannot keep is named, with the reason
    assert r.notices == ["Qwen 3.5 397B-A17B has no 8k/1k results: showing 1k/1k.",
                         "Qwen 3.5 397B-A17B 1k/1k has no FP8 results: showing FP4.",
                         "B200 has no Qwen 3.5 397B-A17B 1k/1k results: left out of the GPU filter, showing every GPU."]


def test_a_new_model_keeps_every_choice_it_supports_silently(index):
    search = "?model=dsr1&seq=8k1k&precision=fp8&metric=cost&x=intvty&gpus=b200,mi355x&optimal=1"
    r = from_control(index, ids.SEQUENCE, search=search, seq="1k8k", precisions=["fp8"], metric="cost",
                     gpus=["b200", "mi355x"], optimal=["optimal"])
    got = q(r.search)
    assert (got["seq"], got["precision"], got["metric"], got["gpus"], got["optimal"]) == ("1k8k", "fp8", "cost",
                                                                                          "b200,mi355x", "1")
    assert r.notices == []


def test_emptying_the_precision_list_falls_back_to_the_default_precision(index):
    r = from_control(index, ids.PRECISION, precisions=[])
    assert r.controls["precisions"] == ["fp8"]


def test_toggles_from_state_are_kept_in_the_url(index):
    r = from_control(index, ids.SEQUENCE, seq="8k1k", toggles=["contrast", "log"])
    got = q(r.search)
    assert got["log"] == "1" and got["contrast"] == "1" and "labels" not in got
    assert r.toggles is None  # the resolver does not rewrite the toggles on a control change
    assert r.state["log"] and r.state["contrast"] and not r.state["labels"]


def test_toggles_only_in_the_url_come_back_as_control_values(index):
    r = from_url(index, EXPLORER_DEFAULT + "&labels=1")
    assert r.toggles == ["labels"]
    assert answer(r.values, RESOLVER_OUTPUTS)[f"{ids.TOGGLES}.value"] == ["labels"]


def test_none_from_a_dropdown_is_ignored(index):
    search = "?model=dsr1&seq=1k1k&precision=fp8&metric=tput&x=intvty&date=2026-03-01"
    r = from_control(index, ids.DATE, search=search, date=None)
    assert r.search is None or q(r.search).get("date") == "2026-03-01"
    r = from_control(index, ids.MODEL, search="?model=qwen3.5&seq=1k1k&precision=fp4&metric=tput&x=intvty",
                     model=None, seq="1k1k", precisions=["fp4"])
    assert r.search is None or q(r.search)["model"] == "qwen3.5"


# ---- comparison pages -------------------------------------------------------------------------

def compare_controls(**over) -> dict:
    return controls(**{"model": "qwen3.5", "precisions": ["fp4"], "targets": "", **over})


def test_comparison_page_from_url(index):
    r = resolve_view(index, SEED_PATH, "?seq=1k1k&targets=100,150&log=1", ids.PAGE_URL, {}, [])
    assert r.state["page"] == "spec-decode" and r.search is None
    assert r.state["slug"] == "qwen3.5-b300-fp4-mtp-vs-off" and r.state["table_precision"] == "fp4"
    assert r.controls["targets"] == "100, 150"
    assert r.toggles == ["log"]
    assert r.controls["gpus"] == [] and r.controls["date"] == ""


def test_comparison_page_target_edit_and_reset(index):
    r = resolve_view(index, SEED_PATH, "?seq=1k1k", ids.TARGETS, compare_controls(targets="100; 150"), [])
    assert q(r.search)["targets"] == "100,150"
    assert r.state["targets"] == [100, 150]
    r = resolve_view(index, SEED_PATH, r.search, ids.TARGETS_RESET, compare_controls(targets="100, 150"), [])
    assert "targets" not in q(r.search)
    assert r.controls["targets"] == "" and r.state["targets"] == []


def test_comparison_page_precision_control_keeps_the_table_precision(index):
    path = "/compare-spec-decode/dsr1-b200-fp4-mtp-vs-off"
    r = resolve_view(index, path, "?seq=1k1k", ids.PRECISION,
                     controls(precisions=["fp4", "fp8"]), [])
    assert q(r.search)["precision"] == "fp4,fp8"
    assert r.state["table_precision"] == "fp4" and r.state["precisions"] == ["fp4", "fp8"]


def test_gpu_page_precision_from_the_url(index):
    r = resolve_view(index, "/compare/dsr1-b200-vs-gb200", "?seq=1k1k&precision=fp4", ids.PAGE_URL, {}, [])
    assert r.state["table_precision"] == "fp4" and r.controls["precisions"] == "fp4"
    r = resolve_view(index, "/compare/dsr1-b200-vs-gb200", "?seq=1k1k", ids.PAGE_URL, {}, [])
    assert r.state["table_precision"] == "fp8"  # the precision both GPUs have most points for


def test_gpu_page_precision_control_switches_to_the_newly_chosen_precision(index):
    # GPU pages render the precision control as a radio (one value); a two-item list (an older
    # checklist, or a script) still switches to the newly added precision.
    for chosen in ("fp4", ["fp8", "fp4"]):
        r = resolve_view(index, "/compare/dsr1-b200-vs-gb200", "?seq=1k1k&precision=fp8", ids.PRECISION,
                         controls(precisions=chosen), [])
        assert r.state["table_precision"] == "fp4"
        # the radio ends on the one precision (left alone when it already shows it)
        assert r.controls.get("precisions", chosen) == "fp4"


def test_comparison_page_model_change_returns_a_new_pathname(index):
    path = "/compare-spec-decode/dsr1-b300-fp4-mtp-vs-off"
    current = from_url(index, "?seq=1k1k&targets=50", path).state
    r = resolve_view(index, path, "?seq=1k1k&targets=50", ids.MODEL, controls(model="qwen3.5", precisions=["fp4"]), [],
                     current)
    assert r.pathname == SEED_PATH
    assert r.state is None  # the new page resolves its own state once it is rendered
    assert q(r.search) == {"seq": "1k1k", "precision": "fp4"}  # targets belong to the old page
    assert r.notices == []
    out = answer(r.values, RESOLVER_OUTPUTS)
    assert out[f"{ids.PAGE_URL}.search"] == r.search and out[f"{ids.PAGE_URL}.pathname"] == SEED_PATH


def test_comparison_page_model_without_that_comparison_stays(index):
    path = "/compare/dsr1-b200-vs-b300"  # Qwen has no B200: no such comparison for it
    current = from_url(index, "?seq=1k1k", path).state
    r = resolve_view(index, path, "?seq=1k1k", ids.MODEL, controls(model="qwen3.5"), [], current)
    assert r.pathname is None and r.state is None  # same page, same view: nothing to redraw
    assert r.controls["model"] == "dsr1"  # the model control goes back to the page's model


def test_unknown_comparison_resolves_to_nothing(index):
    r = resolve_view(index, "/compare-spec-decode/dsr1-h100-fp4-mtp-vs-off", "?seq=1k1k", ids.PAGE_URL, {}, [])
    assert r.state is None and r.search is None and r.pathname is None


def test_comparison_page_bad_params_give_notices(index):
    r = resolve_view(index, SEED_PATH, "?seq=8k1k&targets=abc&foo=1", ids.PAGE_URL, {}, [])
    joined = " ".join(r.notices)
    assert "8k1k" in joined and "abc" in joined and "foo" in joined
    assert r.state["seq"] == "1k1k"


def test_resolver_on_a_404_path_does_nothing(index):
    r = resolve_view(index, "/no-such-page", "", ids.PAGE_URL, {}, [])
    assert r.state is None and r.search is None


def test_resolver_on_the_compare_index_does_nothing(index):
    r = resolve_view(index, "/compare", "", ids.PAGE_URL, {}, [])
    assert r.state is None and r.search is None


# ---- helpers --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, parts", [
    ("100, 150", ["100", "150"]), ("100;150", ["100", "150"]), ("100 150", ["100", "150"]), ("", []), (None, []),
])
def test_parse_targets_text(text, parts):
    assert parse_targets_text(text) == parts


def test_a_page_without_a_view_writes_nothing(index):
    import dash

    assert resolve_change(index, "/compare-spec-decode/dsr1-h100-fp4-mtp-vs-off", "", ids.METRIC, controls(), [], None) == {}
    out = answer({}, RESOLVER_OUTPUTS)
    assert len(out) == len(RESOLVER_OUTPUTS) and all(v is dash.no_update for v in out.values())


def test_outputs_are_named_so_a_value_cannot_land_in_another_slot(index):
    """Every value the resolver writes is keyed by its (element id, property) and lands there."""
    r = from_url(index, "?model=dsr1&seq=8k1k&metric=cost")
    out = answer(r.values, RESOLVER_OUTPUTS)
    assert out[f"{ids.SEQUENCE}.value"] == "8k1k" and out[f"{ids.METRIC}.value"] == "cost"
    assert out[f"{ids.VIEW_STATE}.data"]["seq"] == "8k1k"
    assert set(r.values) <= set(RESOLVER_OUTPUTS)


def test_a_page_stands_aside_when_the_address_moves_to_another_page(index):
    """Following a link from the explorer to a comparison: the explorer's resolver sees the
    new address first and must leave it to the router (it would otherwise resolve the new
    page with the old page's controls)."""
    here = resolve_view(index, "/", "?model=dsr1&seq=1k1k&precision=fp8", ids.PAGE_URL, {}, [])
    assert here.state["page"] == "explorer"
    moved = resolve_view(index, SEED_PATH, "?seq=1k1k", ids.PAGE_URL, {}, [], current=here.state)
    assert moved.state is None and moved.search is None and moved.pathname is None
    # ...while the same page, read again from its own address, still resolves
    again = resolve_view(index, "/", "?model=qwen3.5", ids.PAGE_URL, {}, [], current=here.state)
    assert again.state["model"] == "qwen3.5"


# ---- series hidden in the legend (hide=) ----------------------------------------------------------

def page_state(index, search, pathname="/"):
    return page_view(index, pathname, search).state


def test_a_deep_link_with_hide_opens_those_series_hidden(index):
    keys = index.series_keys(page_state(index, EXPLORER_DEFAULT))
    r = from_url(index, EXPLORER_DEFAULT + f"&hide={keys[2]},{keys[0]}")
    assert r.state["hidden"] == [keys[0], keys[2]]  # in legend order: one canonical form
    assert r.values[(ids.HIDDEN_SERIES, "data")] == [keys[0], keys[2]]
    assert r.notices == []


def test_hide_keys_not_in_the_view_are_dropped_silently_malformed_ones_are_named(index):
    keys = index.series_keys(page_state(index, EXPLORER_DEFAULT))
    r = from_url(index, EXPLORER_DEFAULT + f"&hide={keys[1]},gb300/nosuch/mtp/fp8,h100/trt/none/fp4,<script>")
    assert r.state["hidden"] == [keys[1]]
    assert len(r.notices) == 1 and "'<script>'" in r.notices[0] and "nosuch" not in r.notices[0]
    many = ",".join(f"x{n}/y/z/fp8" for n in range(300))
    r = from_url(index, EXPLORER_DEFAULT + f"&hide={many}")
    assert r.state["hidden"] == [] and r.notices == ["Kept the first 200 hidden series."]
    r = from_url(index, EXPLORER_DEFAULT + "&hide=" + "a/" + "b" * 200)
    assert r.state["hidden"] == [] and "not a series key" in r.notices[0]


@pytest.mark.parametrize("trigger, over", [
    (ids.METRIC, {"metric": "jtok"}), (ids.X, {"x": "ttft"}), (ids.OPTIMAL, {"optimal": ["optimal"]}),
    (ids.PRECISION, {"precisions": ["fp4", "fp8"]}),
], ids=["metric", "x", "optimal", "precision"])
def test_hidden_series_stay_hidden_through_a_control_change(index, trigger, over):
    keys = index.series_keys(page_state(index, EXPLORER_DEFAULT))
    hidden = [keys[0], keys[3]]
    r = from_control(index, trigger, hidden=hidden, **over)
    assert r.state["hidden"] == hidden
    assert q(r.search)["hide"] == ",".join(hidden)
    assert r.values[(ids.HIDDEN_SERIES, "data")] == hidden


def test_hidden_series_a_new_view_lacks_are_dropped_from_hide(index):
    keys = index.series_keys(page_state(index, EXPLORER_DEFAULT))
    b200 = [k for k in keys if k.startswith("b200/")]
    other = next(k for k in keys if not k.startswith("b200/"))
    r = from_control(index, ids.GPUS, hidden=[b200[0], other], gpus=["b200"])
    assert r.state["hidden"] == [b200[0]] and q(r.search)["hide"] == b200[0]
    r = from_control(index, ids.GPUS, hidden=[other], gpus=["b200"])
    assert r.state["hidden"] == [] and "hide" not in q(r.search)


def test_the_legend_is_newer_than_the_address_hide(index):
    """A series shown again in the legend stays shown: the control change reads the legend's
    keys, not the hide= the page was opened with."""
    keys = index.series_keys(page_state(index, EXPLORER_DEFAULT))
    r = from_control(index, ids.METRIC, search=EXPLORER_DEFAULT + f"&hide={keys[0]}", hidden=[], metric="jtok")
    assert r.state["hidden"] == [] and "hide" not in q(r.search)


def test_comparison_sides_are_hidden_by_side_and_precision(index):
    r = from_url(index, "?seq=1k1k&hide=b/fp4", pathname=SEED_PATH)
    assert r.state["hidden"] == ["b/fp4"]
    r = from_control(index, ids.METRIC, pathname=SEED_PATH, search="?seq=1k1k", hidden=["b/fp4"], model="qwen3.5",
                     precisions=["fp4"], metric="cost")
    assert r.state["hidden"] == ["b/fp4"] and q(r.search)["hide"] == "b/fp4"
