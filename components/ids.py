"""Every element id in one place. The SPEC §6, §11 and §12 ids are stable: tests, bookmarks
and users' scripts depend on them."""

import json
from dataclasses import dataclass

URL = "url"  # the shell's location: routing only
PAGE_URL = "page-url"  # the page's location: the resolver reads and writes it
VIEW_STATE = "view-state"
PAGE = "page-content"
RENDERED = "rendered-page"  # the address the page content was rendered for
THEME = "theme-store"
THEME_SWITCH = "theme-switch"
DATA_NOTICE = "data-notice"
URL_NOTICE = "url-notice"
# an address the page's Location moved to (back/forward) that the page does not show: the
# resolver's input, so that an address the browser wrote for a view it drew costs no request
ADDRESS_CHANGE = "address-change"
PAGE_TITLE = "page-title-sink"
ERROR_TOAST = "error-toast"

# controls (SPEC §6)
MODEL = "control-model"
SEQUENCE = "control-sequence"
PRECISION = "control-precision"
METRIC = "control-metric"
X = "control-x"
GPUS = "control-gpus"
OPTIMAL = "control-optimal"
TOGGLES = "control-toggles"
DATE = "control-date"
DATES = "control-dates"  # frontiers as of these dates over the view (dates=)
TARGETS = "control-targets"
TARGETS_RESET = "control-targets-reset"

# like-for-like filters (SPEC §9), one pill group each; best per GPU
FILTERS = {"vendor": "filter-vendor", "framework": "filter-framework", "deployment": "filter-deployment",
           "spec": "filter-spec", "gpucount": "filter-gpucount"}
# the filters that keep a series whole or drop it, which the browser can apply by itself
FILTER_VENDOR, FILTER_FRAMEWORK, FILTER_SPEC = FILTERS["vendor"], FILTERS["framework"], FILTERS["spec"]
SERIES_FILTERS = {"vendor": FILTER_VENDOR, "framework": FILTER_FRAMEWORK, "spec": FILTER_SPEC}
BEST = "control-best"
FILTERS_PANEL = "filters-panel"  # the explorer's and comparison pages' filters, folded unless one is on
FILTERS_BADGE = "filters-badge"

# "only this" actions: one click shows only one precision or GPU
ONLY = "only-choice"  # pattern-matching type: {"type": ONLY, "control": "precision" | "gpus", "value": key}
ONLY_PRECISION = "only-precision-links"
ONLY_GPUS = "only-gpu-links"

# your own prices and power (SPEC §10)
PROVIDER = "control-provider"
PRICES_PANEL = "prices-panel"
PRICE_ROWS = "price-rows"  # one row per GPU of the view, each with the two inputs below
PRICE_INPUT = "price-input"  # pattern-matching type: {"type": PRICE_INPUT, "gpu": key}
KW_INPUT = "kw-input"
PRICES_RESET = "prices-reset"
PRICES_BADGE = "prices-badge"


@dataclass(frozen=True)
class PricesIds:
    """The ids of one prices panel (a page has one; the decision pages have their own)."""

    provider: str
    panel: str
    rows: str
    price_input: str  # pattern-matching types: {"type": price_input, "gpu": key}
    kw_input: str
    reset: str
    badge: str


PRICES = PricesIds(PROVIDER, PRICES_PANEL, PRICE_ROWS, PRICE_INPUT, KW_INPUT, PRICES_RESET, PRICES_BADGE)

# chart and what goes with it
CHART = "main-chart"
CHART_DATA = "chart-data"
CHART_DRAWN = "chart-drawn"  # set by the browser once a new chart is drawn: the table follows
CHART_EMPTY = "chart-empty"
CHART_LEGEND = "chart-legend"
POINT_DETAILS = "point-details"
COPY_LINK = "copy-link"
COPY_LINK_DONE = "copy-link-done"
DOWNLOAD_PNG = "download-png"
DOWNLOAD_CSV = "download-csv-button"
CSV_DOWNLOAD = "download-csv"
CSV_REQUEST = "download-csv-request"  # the browser's ask: which rows of which view (assets/points_table.js)
# a GPU or series-filter choice the browser could not draw from what it has: {"control": id, "value": [...]}
CHOICE_REQUEST = "choice-request"
HIDDEN_SERIES = "hidden-series"  # keys of the series switched off in the legend (hide=)
POINTS_TABLE = "points-table"  # filled by assets/points_table.js from POINTS_DATA
POINTS_DATA = "points-data"  # the shown points as compact rows: {"columns": [...], "rows": [[...], ...]}
POINTS_SUMMARY = "points-summary"

# a page's first view, inline in its HTML (app.py FrontierDash, assets/first_view.js)
FIRST_LAYOUT = "frontier-first-layout"
FIRST_DEPENDENCIES = "frontier-first-dependencies"

# comparison pages (SPEC §6)
COMPARISON_TABLE = "comparison-table"
COMPARISON_NARRATIVE = "comparison-narrative"
COMPARISON_HEADER = "comparison-header"
COMPARISON_PINNED = "comparison-pinned"
COMPARISON_API_LINK = "comparison-api-link"
COMPARISON_ACCURACY = "comparison-accuracy"  # both sides' GSM8K accuracy (precision and spec-decode pages)

PRESETS = "curated-views"  # the explorer's curated views (frontier/presets.py)


class DecisionIds:
    """The calculator's and the history's own ids (SPEC §11-§12), each prefixed by its page:
    ``CALCULATOR.table`` is "calculator-table", ``HISTORY.model`` "history-model". A Dash
    callback runs only when all its inputs are on the page, so these pages' controls must not
    share an id with the explorer's (its resolver would fire there and fail)."""

    def __init__(self, page: str):
        def own(name: str) -> str:
            return f"{page}-{name}"

        self.page = page
        self.url, self.state = own("url"), own("state")  # the page's Location and view state
        self.model, self.sequence, self.precision, self.target = own("model"), own("sequence"), own("precision"), \
            own("target")
        self.users, self.maxcost, self.by = own("users"), own("maxcost"), own("by")  # the calculator's
        self.gpus, self.metric = own("gpus"), own("metric")  # the history's
        self.filters = {key: own(f"filter-{key}") for key in FILTERS}
        self.filters_panel, self.filters_badge = own("filters-panel"), own("filters-badge")
        self.prices = PricesIds(own("provider"), own("prices-panel"), own("price-rows"), own("price-input"),
                                own("kw-input"), own("prices-reset"), own("prices-badge"))
        self.table, self.summary, self.notes = own("table"), own("summary"), own("notes")
        self.chart, self.chart_data = own("chart"), own("chart-data")
        self.sort = own("sort")  # pattern-matching type of the table's headers: {"type": sort, "column": key}
        self.api_link = own("api-link")


CALCULATOR = DecisionIds("calculator")
HISTORY = DecisionIds("history")
CALCULATOR_TABLE = CALCULATOR.table  # "calculator-table" (SPEC §11)
HISTORY_TABLE = HISTORY.table  # "history-table" (SPEC §12)

# Dash's own: the element its renderer draws the live page in (a page's picture stands before it,
# presenters/first_paint.py)
DASH_ENTRY = "react-entry-point"

# the scripts a page holds back until its picture's chart is drawn (app.py split_scripts)
HELD_SCRIPTS = "frontier-held-scripts"

# where the browser asks for the resolver's answers to the choices one click away (callbacks/prefetch.py)
NEXT_PATH = "/_frontier/next"

# The ids assets/*.js use, by constant name. The page carries them as window.FRONTIER_IDS
# (app.py, FrontierDash.interpolate_index), so the browser code follows a rename here;
# tests/unit/test_browser_ids.py checks the JS reads no other id and hard-codes none.
BROWSER = ("CHART", "CHART_DRAWN", "CHART_LEGEND", "DOWNLOAD_CSV", "HIDDEN_SERIES", "PAGE_URL", "POINTS_TABLE",
           "THEME_SWITCH", "TOGGLES", "FIRST_LAYOUT", "FIRST_DEPENDENCIES", "CALCULATOR_TABLE",
           # what the browser reads and writes when it draws a subset of the series itself
           # (assets/app.js viewChoice)
           "CHART_DATA", "POINTS_DATA", "POINTS_SUMMARY", "VIEW_STATE", "GPUS", "URL_NOTICE", "FILTERS_BADGE",
           "FILTERS_PANEL", "FILTER_VENDOR", "FILTER_FRAMEWORK", "FILTER_SPEC",
           # what it needs to answer a control change from a prefetched answer (assets/prefetch.js)
           "MODEL", "SEQUENCE", "PRECISION", "METRIC", "X", "ONLY", "ADDRESS_CHANGE",
           # where the live page is drawn beneath the page's picture (assets/first_paint.js)
           "DASH_ENTRY")


def browser_ids() -> str:
    """``BROWSER`` as a JSON object ({"CHART": "main-chart", ...}), safe inside a <script>."""
    return json.dumps({name: globals()[name] for name in BROWSER}, sort_keys=True).replace("</", "<\\/")


def browser_paths() -> str:
    """The addresses assets/*.js ask the server for, as a JSON object, safe inside a <script>."""
    return json.dumps({"NEXT": NEXT_PATH}).replace("</", "<\\/")
