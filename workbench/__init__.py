"""Capacity Workbench core library.

Forecast, capacity and architecture engines plus the workshop layer that joins them.
Nothing in this package imports Streamlit: the pages and the CLI call the same functions.
"""

__version__ = "0.1.0"
