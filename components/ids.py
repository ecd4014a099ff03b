"""Every element id in one place. The SPEC §6 ids are stable: tests, bookmarks and users'
scripts depend on them."""

import json

URL = "url"  # the shell's location: routing only
PAGE_URL = "page-url"  # the page's location: the resolver reads and writes it
VIEW_STATE = "view-state"
PAGE = "page-content"
RENDERED = "rendered-page"  # the address the page content was rendered for
THEME = "theme-store"
THEME_SWITCH = "theme-switch"
DATA_NOTICE = "data-notice"
URL_NOTICE = "url-notice"
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
TARGETS = "control-targets"
TARGETS_RESET = "control-targets-reset"

# like-for-like filters (SPEC §9), one pill group each; best per GPU
FILTERS = {"vendor": "filter-vendor", "framework": "filter-framework", "deployment": "filter-deployment",
           "spec": "filter-spec", "gpucount": "filter-gpucount"}
BEST = "control-best"

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

# The ids assets/*.js use, by constant name. The page carries them as window.FRONTIER_IDS
# (app.py, FrontierDash.interpolate_index), so the browser code follows a rename here;
# tests/unit/test_browser_ids.py checks the JS reads no other id and hard-codes none.
BROWSER = ("CHART", "CHART_DRAWN", "CHART_LEGEND", "DOWNLOAD_CSV", "HIDDEN_SERIES", "PAGE_URL", "POINTS_TABLE",
           "THEME_SWITCH", "TOGGLES", "FIRST_LAYOUT", "FIRST_DEPENDENCIES")


def browser_ids() -> str:
    """``BROWSER`` as a JSON object ({"CHART": "main-chart", ...}), safe inside a <script>."""
    return json.dumps({name: globals()[name] for name in BROWSER}, sort_keys=True).replace("</", "<\\/")
