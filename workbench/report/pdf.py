"""The report as PDF, made on the server from the report's HTML by WeasyPrint.

Why WeasyPrint: it implements CSS Paged Media (running headers, ``counter(page)``/``counter(pages)``,
``target-counter`` for the table of contents), needs no browser, and is actively maintained (BSD).
It needs Pango from the system (Debian ``libpango-1.0-0``, ``libpangoft2-1.0-0``) and finds the CJK
glyphs in ``fonts-noto-cjk``.

The HTML is trusted output of our own template, but the text in it is the user's: the URL fetcher
only serves ``data:`` URIs (our embedded figures), so a hostile string can never make the server
read a local file or reach the network.
"""

from __future__ import annotations

import logging
from typing import Any

from workbench.errors import WorkbenchError

log = logging.getLogger(__name__)


class PdfError(WorkbenchError):
    """The PDF could not be made (engine missing, or it failed); HTML and Markdown still work."""


def _data_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and refuses everything else."""
    from weasyprint.urls import URLFetcher

    class DataOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                raise ValueError("only data: URLs are loaded into the PDF")
            return super().fetch(url, headers)

    return DataOnly()


def pdf_available() -> bool:
    """True when WeasyPrint and its system libraries load."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def render_pdf(html: str) -> bytes:
    """A4 PDF bytes of the report ``html`` (from :func:`workbench.report.render.render_html`)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise PdfError("errors.report.pdf_unavailable") from exc
    try:
        return bytes(HTML(string=html, url_fetcher=_data_only_fetcher()).write_pdf())
    except Exception as exc:
        log.exception("PDF rendering failed")
        raise PdfError("errors.report.pdf_failed", detail=type(exc).__name__) from exc
