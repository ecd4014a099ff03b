"""The calculator and the history (SPEC §11-§12) through their page views, their resolvers
(``callbacks.decide.resolve_decision``, called directly) and their JSON: what a page shows is
what the API says, every control is in the address, and bad values are noticed."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from callbacks.decide import PAGES, page_outputs, resolve_decision
from components import ids
from presenters.decide import HISTORY_TABLE_ROWS
from presenters.pageview import page_view
from tests.callbacks.conftest import find, text_of, texts

CALC = ids.CALCULATOR
HIST = ids.HISTORY
DEEP = "?model=dsr1&seq=1k1k&precision=fp8&target=40&users=1000"
MARKS = ("⚑", "▼")


def q(search: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}


def cell_text(cell) -> str:
    """A table cell as read: its text without the marks beside it."""
    words = [t for t in texts(cell) if t.strip() not in MARKS]
    return " ".join(w.strip() for w in words if w.strip())


def table_rows(layout, table_id: str) -> tuple[list[str], list[list]]:
    """(the header keys, each body row's cells) of a table in a page's component tree."""
    table = find(layout, table_id)
    head, body = table.children
    keys = [getattr(th, "data-key", None) for th in head.children.children]
    return keys, [row.children for row in body.children]


def api(client, path: str, search: str) -> dict:
    r = client.get(f"/api/v1/{path}{search}")
    assert r.status_code == 200, r.data[:300]
    return r.get_json()


# ---- the calculator ---------------------------------------------------------------------------

@pytest.mark.parametrize("search", [DEEP, DEEP + "&by=series&sort=-cost", "?model=dsr1&seq=8k1k&precision=fp4&target=75",
                                    DEEP + "&maxcost=0.3&provider=neocloud&price=b200:4.2&vendor=nvidia"])
def test_every_calculator_cell_is_the_apis_text(client, index, search):
    layout = page_view(index, "/calculator", search).layout()
    keys, rows = table_rows(layout, CALC.table)
    data = api(client, "calculator", search)
    assert len(rows) == len(data["rows"]) > 0
    for n, (cells, row) in enumerate(zip(rows, data["rows"]), 1):
        assert cell_text(cells[0]) == str(n) and cell_text(cells[1]) == row["label"]
        values = [c["key"] for c in data["columns"]]
        assert [k for k in keys if k in values] == values  # every value column is on the page, in order
        assert len(values) == (8 if data["users"] else 5)
        for key, cell in zip(keys, cells):
            if key in values:
                assert cell_text(cell) == row[key]["text"], (row["label"], key)
        assert ("⚑" in text_of(cells)) == row["clamped"]


def test_calculator_reads_spec_11(client, index):
    data = api(client, "calculator", DEEP)
    assert (data["model"], data["seq"], data["precision"], data["target"], data["users"]) == ("dsr1", "1k1k", "fp8", 40,
                                                                                           1000)
    tputs = [r["throughput"]["value"] for r in data["rows"]]
    assert tputs == sorted(tputs, reverse=True)  # ranked by throughput, highest first
    for row in data["rows"]:
        out = row["output_throughput"]["value"]
        gpus = row["gpus_needed"]["value"]
        assert gpus - 1 < 1000 * 40 / out <= gpus  # ceil(N x target / output tok/s/GPU)
        assert row["monthly_cost"]["value"] == pytest.approx(gpus * row["price_per_gpu_hour"] * 730)
        assert row["megawatts"]["value"] == pytest.approx(gpus * row["kw_per_gpu"] / 1000)
    assert data["page"] == "/calculator" + DEEP


def test_a_row_links_to_its_comparison_with_the_leader(index):
    layout = page_view(index, "/calculator", DEEP).layout()
    _keys, rows = table_rows(layout, CALC.table)
    leader = cell_text(rows[0][1])
    links = [c.children for c in (row[-1] for row in rows[1:])]
    for link in links:
        path, _, query = link.href.partition("?")
        view = page_view(index, path, "?" + query)
        assert view.status == 200 and view.canonical_search == "?" + query  # the canonical page: no redirect
        assert q(query) == {"seq": "1k1k", "precision": "fp8"}
        assert leader in view.title
        assert "row-link" in link.className
    assert rows[0][-1].children == ""  # the leader compares with no one


def test_rows_above_the_cost_cap_are_hidden_and_counted(client, index):
    full = api(client, "calculator", DEEP)
    cap = sorted(r["cost"]["value"] for r in full["rows"])[3]
    capped = api(client, "calculator", DEEP + f"&maxcost={cap}")
    assert len(capped["rows"]) == 4 and capped["hidden"] == len(full["rows"]) - 4
    summary = page_view(index, "/calculator", DEEP + f"&maxcost={cap}").values("calculator")[(CALC.summary, "children")]
    assert f"{len(full['rows']) - 4} rows above $" in summary


def test_accuracy_beside_each_row(client, index):
    data = api(client, "calculator", "?model=dsr1&seq=1k1k&precision=fp8&target=35&sort=-throughput")
    rows = data["rows"]
    evaluated = [r for r in rows if r["accuracy"]["found"]]
    assert evaluated and len(evaluated) < len(rows)  # some GPUs have an evaluation, some not
    leader = rows[0]
    layout = page_view(index, "/calculator", "?model=dsr1&seq=1k1k&precision=fp8&target=35&sort=-throughput").layout()
    keys, cells = table_rows(layout, CALC.table)
    column = keys.index("accuracy")
    for row, cell in zip(rows, cells):
        found = row["accuracy"]["found"]
        shown = cell_text(cell[column])
        assert shown.startswith("not evaluated") == (not found)
        if len(found) == 1:
            a = found[0]
            assert shown.startswith(f"{a['value'] * 100:.1f}% (")
        if row is not leader and found and leader["accuracy"]["found"]:
            assert row["accuracy"]["within_noise_of_leader"] is not None
            assert ("within noise of the leader" in shown) == row["accuracy"]["within_noise_of_leader"]


@pytest.mark.parametrize("search, named", [
    ("?target=0", "target"), ("?target=abc", "target"), ("?users=2.5", "users"), ("?users=-3", "users"),
    ("?maxcost=inf", "maxcost"), ("?by=vendor", "by"), ("?sort=price", "sort"), ("?precision=fp2", "fp2"),
    ("?model=nope", "nope"), ("?seq=9k9k", "9k9k"), ("?vendor=intel", "intel"), ("?price=b200:-1", "price"),
    ("?provider=aws", "aws"), ("?colour=red", "colour"), ("?precision=fp4,fp8", "one precision"),
])
def test_bad_calculator_parameters_are_noticed_and_the_page_still_shows(index, search, named):
    view = page_view(index, "/calculator", search)
    assert view.status == 200 and view.state is not None
    assert any(named in n for n in view.notices), view.notices
    assert find(view.layout(), CALC.table).children  # the table is there all the same


# ---- its resolver -----------------------------------------------------------------------------

def current(index, search: str, page: str = "calculator") -> dict:
    return page_view(index, "/" + page, search).state_dict


def change(index, trigger, value, search=DEEP, page="calculator", boxes=None, **more):
    controls = {trigger: value} if isinstance(trigger, str) else {}
    controls.update(more)
    return resolve_decision(index, page, "/" + page, search, trigger, controls, current(index, search, page), boxes)


@pytest.mark.parametrize("trigger, value, expect", [
    (CALC.target, 60, {"target": "60"}),
    (CALC.target, 12.5, {"target": "12.5"}),
    (CALC.users, 250, {"users": "250"}),
    (CALC.maxcost, 0.25, {"maxcost": "0.25"}),
    (CALC.by, "series", {"by": "series"}),
    (CALC.sequence, "8k1k", {"seq": "8k1k"}),
    (CALC.precision, "fp4", {"precision": "fp4"}),
    (CALC.prices.provider, "rental", {"provider": "rental"}),
    (CALC.filters["vendor"], ["amd"], {"vendor": "amd"}),
    (CALC.filters["gpucount"], ["8", "16"], {"gpucount": "8,16"}),
])
def test_a_control_change_rewrites_its_parameter_only(index, trigger, value, expect):
    written = change(index, trigger, value)
    search = written[(CALC.url, "search")]
    want = dict(q(DEEP), **expect)
    assert q(search) == want
    assert written[(CALC.state, "data")]["search"] == search  # the view is the address's
    assert (CALC.table, "children") in written and (CALC.chart_data, "data") in written
    assert written[(ids.URL_NOTICE, "is_open")] is False


def test_emptying_a_box_drops_its_parameter(index):
    written = change(index, CALC.users, None)
    assert "users" not in q(written[(CALC.url, "search")])
    assert "Enter a number of users" in written[(CALC.summary, "children")]
    keys = [getattr(th, "data-key", None) for th in written[(CALC.table, "children")][0].children.children]
    assert "gpus_needed" not in keys and "monthly_cost" not in keys  # no fleet without users


def test_a_header_click_ranks_by_that_column_then_reverses(index):
    first = change(index, {"type": CALC.sort, "column": "cost"}, None)
    assert q(first[(CALC.url, "search")])["sort"] == "cost"  # a new column: its best first
    ranked = current(index, DEEP + "&sort=cost")
    again = resolve_decision(index, "calculator", "/calculator", DEEP + "&sort=cost",
                             {"type": CALC.sort, "column": "cost"}, {}, ranked)
    assert q(again[(CALC.url, "search")])["sort"] == "-cost"
    back = resolve_decision(index, "calculator", "/calculator", DEEP, {"type": CALC.sort, "column": "throughput"}, {},
                            current(index, DEEP))
    assert q(back[(CALC.url, "search")])["sort"] == "-throughput"  # throughput is already the ranking
    assert change(index, {"type": CALC.sort, "column": "nonsense"}, None) == {}


def test_price_boxes_and_their_reset(index):
    boxes = {"price": [({"type": CALC.prices.price_input, "gpu": "b200"}, 3.9)], "kw": []}
    written = change(index, {"type": CALC.prices.price_input, "gpu": "b200"}, None, boxes=boxes)
    search = written[(CALC.url, "search")]
    assert q(search)["price"] == "b200:3.9"
    assert written[(CALC.prices.badge, "children")] == "custom prices in force"
    reset = resolve_decision(index, "calculator", "/calculator", search, CALC.prices.reset, {},
                             current(index, search), boxes)
    assert "price" not in q(reset[(CALC.url, "search")])


def test_back_and_forward_read_the_address_without_pushing_it(index):
    written = resolve_decision(index, "calculator", "/calculator", "?model=dsr1&target=20&by=series", CALC.url, {},
                               current(index, DEEP))
    assert (CALC.url, "search") not in written
    assert written[(CALC.state, "data")]["params"]["target"] == 20
    assert written[(CALC.by, "value")] == "series" and written[(CALC.target, "value")] == 20


def test_a_change_the_data_cannot_keep_is_said(index):
    written = change(index, CALC.model, "qwen3.5")  # its data is FP4 only
    notice = texts(written[(ids.URL_NOTICE, "children")])
    assert written[(ids.URL_NOTICE, "is_open")] and notice[0].startswith("Some of your choices had to change")
    assert any("'fp8'" in n for n in notice)
    state = written[(CALC.state, "data")]
    assert (state["model"], state["precision"]) == ("qwen3.5", "fp4") and written[(CALC.precision, "value")] == "fp4"


def test_every_written_pair_is_a_declared_output(index):
    for name, page in PAGES.items():
        declared = set(page_outputs(page))
        for search in ("", DEEP + "&price=b200:3"):
            for trigger in (page.url, page.target):
                written = resolve_decision(index, name, "/" + name, search, trigger, {page.target: 44},
                                           current(index, search, name))
                assert written and set(written) <= declared, set(written) - declared


# ---- the history ------------------------------------------------------------------------------

HISTORY = "?model=dsr1&seq=1k1k&precision=fp8&target=40"


@pytest.mark.parametrize("search", [HISTORY, HISTORY + "&gpus=b200,mi355x&metric=cost", "?model=dsr1&seq=8k1k&precision=fp4",
                                    HISTORY + "&framework=sglang&price=h200:2.5"])
def test_every_history_cell_is_the_apis_text(client, index, search):
    layout = page_view(index, "/history", search).layout()
    _keys, rows = table_rows(layout, HIST.table)
    data = api(client, "history", search)
    by_key = {(r["date"], r["gpu_label"]): r for r in data["rows"]}
    ran = [r for r in data["rows"] if r["measured"]]
    assert len(rows) == len(data["listed"]) == min(len(ran), HISTORY_TABLE_ROWS) > 0
    dates = [cell_text(cells[0]) for cells in rows]
    assert dates == sorted(dates, reverse=True)  # newest first
    for cells, listed in zip(rows, data["listed"]):
        date, gpu_label, throughput, cost, change = (cell_text(c) for c in cells)
        row = by_key[(date, gpu_label)]
        assert (row["date"], row["gpu"]) == (listed["date"], listed["gpu"])
        assert (throughput, cost, change) == (row["throughput"]["text"], row["cost"]["text"], row["change"]["text"])
        assert row["measured"] > 0
        assert ("⚑" in text_of(cells)) == row["clamped"] and ("▼" in text_of(cells)) == row["regression"]


def test_history_json_is_one_object_per_gpu_and_date(client):
    data = api(client, "history", HISTORY)
    first_date = {}
    for r in data["rows"]:
        first_date.setdefault(r["gpu"], r["date"])
    # every GPU on every run date from its first on, each with its values and clamped flag
    for gpu, first in first_date.items():
        mine = [r["date"] for r in data["rows"] if r["gpu"] == gpu]
        assert mine == [d for d in data["dates"] if d >= first]
    row = data["rows"][0]
    assert {"date", "gpu", "throughput", "cost", "clamped", "change"} <= set(row)
    assert set(row["throughput"]) == {"value", "text"}


def test_the_largest_drops_are_called_out(client, index):
    data = api(client, "history", HISTORY)
    drops = data["largest_drops"]
    assert drops and all(d["change"] < -0.05 for d in drops)
    assert [d["change"] for d in drops] == sorted(d["change"] for d in drops)
    worst = min(r["change"]["value"] for r in data["rows"] if r["change"]["value"] is not None)
    assert drops[0]["change"] == worst
    notes = text_of(page_view(index, "/history", HISTORY).values("history")[(HIST.notes, "children")])
    assert "Largest drops of more than 5%" in notes
    row = next(r for r in data["rows"] if (r["date"], r["gpu"]) == (drops[0]["date"], drops[0]["gpu"]))
    assert f"{row['gpu_label']} on {row['date']}: {row['change']['text']}" in notes


def test_the_history_chart_draws_a_line_per_gpu(index):
    from tests.callbacks.test_callbacks import decode

    figure = page_view(index, "/history", HISTORY).values("history")[(HIST.chart_data, "data")]
    lines = [t for t in figure["data"] if t["mode"] == "lines+markers"]
    result = index.history(page_view(index, "/history", HISTORY).state)
    assert [t["name"] for t in lines] == [index.reference.gpu_label(g) for g in result.gpus]
    for trace, gpu in zip(lines, result.gpus):
        rows = result.series(gpu)
        assert list(decode(trace["y"])) == [r.values["throughput"] for r in rows]
        assert list(decode(trace["marker"]["symbol"])) == [100 if r.clamped else 0 for r in rows]  # open: clamped
    cost = page_view(index, "/history", HISTORY + "&metric=cost").values("history")[(HIST.chart_data, "data")]
    assert "Cost" in cost["layout"]["yaxis"]["title"]["text"]


@pytest.mark.parametrize("trigger, value, expect", [
    (HIST.target, 55, {"target": "55"}), (HIST.metric, "cost", {"metric": "cost"}),
    (HIST.gpus, ["b200", "h200"], {"gpus": "b200,h200"}), (HIST.filters["framework"], ["sglang"], {"framework": "sglang"}),
])
def test_history_controls_are_in_the_address(index, trigger, value, expect):
    written = change(index, trigger, value, search=HISTORY, page="history")
    assert q(written[(HIST.url, "search")]) == dict(q(HISTORY), **expect)
    restored = page_view(index, "/history", written[(HIST.url, "search")]).values("decision-controls")
    assert restored[(trigger, "value")] == value


@pytest.mark.parametrize("search, named", [("?target=-1", "target"), ("?metric=jtok", "jtok"), ("?gpus=z9", "z9"),
                                           ("?spec=maybe", "maybe"), ("?when=now", "when")])
def test_bad_history_parameters_are_noticed(index, search, named):
    view = page_view(index, "/history", search)
    assert view.status == 200 and any(named in n for n in view.notices), view.notices


# ---- structure --------------------------------------------------------------------------------

def page_ids(component) -> set[str]:
    out, stack = set(), [component]
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
        elif hasattr(node, "to_plotly_json"):
            if isinstance(getattr(node, "id", None), str):
                out.add(node.id)
            stack.append(getattr(node, "children", None))
    return out


@pytest.mark.parametrize("path, search", [("/", ""), ("/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off", "?seq=1k1k"),
                                          ("/calculator", DEEP), ("/history", HISTORY)])
def test_each_callback_has_all_its_inputs_on_a_page_or_none(app, index, path, search):
    """Dash refuses a callback with some of its inputs missing (a console error, the change
    lost): the decision pages' ids must not meet the explorer's callbacks, nor the reverse."""
    from components.layout import shell

    present = page_ids(shell(index.dataset, page_view(index, path, search).layout()))
    for output, spec in app.callback_map.items():
        wanted = {d["id"] for d in spec["inputs"] if not d["id"].startswith("{") and not d.get("allow_optional")}
        found = wanted & present
        assert found in (set(), wanted), (output[:80], wanted - present)


def test_the_navbar_leads_to_both_pages(index):
    from components.layout import navbar

    links = {link.href: text_of(link) for link in _links(navbar())}
    assert links["/calculator"] == "Calculator" and links["/history"] == "History"


def _links(component):
    stack, out = [component], []
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
        elif hasattr(node, "to_plotly_json"):
            if getattr(node, "href", None):
                out.append(node)
            stack.append(getattr(node, "children", None))
    return out


def test_first_loads_carry_their_view(client):
    """The page's layout is inline in its HTML, filled in: no callback is needed to show it."""
    for page, search, table in (("calculator", DEEP, CALC.table), ("history", HISTORY, HIST.table)):
        html = client.get(f"/{page}{search}").get_data(as_text=True)
        data = api(client, page, search)
        listed = data.get("listed", [{"date": r.get("date"), "gpu": r["gpu"]} for r in data["rows"]])[0]
        first = next(r for r in data["rows"] if (r.get("date"), r["gpu"]) == (listed["date"], listed["gpu"]))
        assert f'"{table}"' in html and f'"{first["throughput"]["text"]}"' in html
