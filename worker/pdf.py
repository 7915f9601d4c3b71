"""HTML to PDF with WeasyPrint: tagged PDF/UA-1, one FontConfiguration per process.

What was measured on this machine (ARCHITECTURE.md): fixed table layout with explicit column widths is
about 1.7x faster than the automatic layout; writing the PDF is ~40% of the time. The stylesheet of a
document is its own business (templates/pdf/); this module only renders.

The fonts a PDF embeds are subset by HarfBuzz-Subset (Debian: libharfbuzz-subset0) when WeasyPrint finds it, else by
fontTools, which costs ~0.25 CPU seconds a document for DejaVu Sans and its bold (fontTools 4.68 reads both fonts'
GSUB and GPOS tables each time), ~40% of a consultation report section's render (bench/section_render.py,
2026-12-04). Debian's chromium package depends on that library, so a machine with Chromium has it anyway; a worker
set up without it must install it (README). A process that has to use fontTools says so once in its log.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass

log = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"
_font_config = None
_font_config_pid = None

# WeasyPrint logs every layout step at INFO; a worker's log should show jobs, not pages.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    pages: int


def font_config():
    """Built once per process (a forked child makes its own): it caches the fonts it loads."""
    global _font_config, _font_config_pid
    if _font_config is None or _font_config_pid != os.getpid():
        from weasyprint.text.fonts import FontConfiguration

        _font_config, _font_config_pid = FontConfiguration(), os.getpid()
        if font_subsetter() != "harfbuzz":
            log.warning("PDF fonts are subset with fontTools, not HarfBuzz-Subset: ~0.25 CPU seconds more a "
                        "document; install libharfbuzz-subset0 (>= 4.1)")
    return _font_config


def font_subsetter() -> str:
    """What WeasyPrint subsets embedded fonts with in this process: "harfbuzz" or "fonttools" (its fallback)."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return "harfbuzz" if harfbuzz_subset and harfbuzz.hb_version_atleast(4, 1, 0) else "fonttools"


def render_pdf(html: str, *, base_url: str | None = None, variant: str | None = PDF_VARIANT) -> RenderedPdf:
    from weasyprint import HTML

    fc = font_config()
    options = {"pdf_variant": variant} if variant else {}
    document = HTML(string=html, base_url=base_url).render(font_config=fc, **options)
    pdf = document.write_pdf(**options)
    return RenderedPdf(pdf=pdf, pages=len(document.pages))
