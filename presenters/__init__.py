"""Presentation: what each page element shows for a view, shared by the page callbacks and
the JSON/CSV API. ``pageview.py`` is the entry point: (address, data) -> element properties.
No callback is registered here; the logic underneath lives in ``frontier/``."""
