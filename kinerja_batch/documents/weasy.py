"""How kinerja-batch drives WeasyPrint: one template and stylesheet per kind of PDF, the package's
fonts only, no resource from anywhere else, and a user-agent stylesheet without the rules our
documents never use.

WeasyPrint may read only files under `templates_dir()` (the stylesheets' fonts); every other URL is
refused, so rendering never touches the network or the rest of the disk.

Speed: WeasyPrint's own user-agent stylesheet styles the pseudo-elements `::marker`,
`::footnote-call`, `::footnote-marker`, `::note-call`, `::note-marker` and `::note-callback` of
*every* element, so it computes six styles that are never used for each element of a document:
about a tenth of a feedback PDF's cost. Our documents have no footnotes or notes and only `li`
elements are list items, so `LeanHTML` uses a copy of that stylesheet with `::marker` limited to
`li` and without the footnote and note rules. Every page draws exactly the same (tests/test_pdf.py
compares the pages' drawing operators byte for byte); where the stock stylesheet is not what this module expects
(another WeasyPrint version), the stock one is used unchanged.
"""

from __future__ import annotations

import mimetypes
import re
import shutil
import weakref
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from kinerja_batch.formatting import FILTERS
from kinerja_batch.fsutil import templates_dir
from kinerja_batch.parsing import format_nip

# --- resources -----------------------------------------------------------------------------------


class ResourceRefused(ValueError):
    """WeasyPrint asked for a URL outside the templates folder."""


def resolve_template_resource(url: str, root: Path) -> Path:
    """The file a `file://` URL names, if it is a regular file under `root`; else `ResourceRefused`.

    Refused: any scheme but `file` (http, https, ftp, data, ...), a remote host, and any path that
    leads outside `root` once `..` and symbolic links are resolved.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise ResourceRefused(f"Hanya berkas templat yang boleh dibaca, bukan {url!r}")
    if parts.netloc not in ("", "localhost"):
        raise ResourceRefused(f"Berkas di komputer lain tidak boleh dibaca: {url!r}")
    raw_path = url2pathname(parts.path)
    if "\x00" in raw_path:
        raise ResourceRefused(f"Alamat berkas tidak valid: {url!r}")
    base = root.resolve()
    try:
        path = Path(raw_path).resolve(strict=True)
    except (OSError, RuntimeError):
        raise ResourceRefused(f"Berkas tidak ditemukan: {url!r}") from None
    if not path.is_relative_to(base) or not path.is_file():
        raise ResourceRefused(f"Berkas di luar folder templat tidak boleh dibaca: {url!r}")
    return path


def fetch_template_resource(url: str, root: Path) -> URLFetcherResponse:
    """Serve a file under `root` to WeasyPrint; refuse everything else (see above)."""
    path = resolve_template_resource(url, root)
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


class TemplatesOnlyFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint is untyped
    """WeasyPrint's fetcher interface (it must be a `URLFetcher`) around `fetch_template_resource`.

    No network handler is ever reached: `fetch` is replaced, and every other method calls it.
    """

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        return fetch_template_resource(url, self.root)


# --- the user-agent stylesheet ------------------------------------------------------------------

_ANY_MARKER = re.compile(r"^::marker\b", re.MULTILINE)
_NOTE_RULES = re.compile(r"^::(?:footnote|note)-[a-z]+\s*\{[^}]*\}[ \t]*\n?", re.MULTILINE)
# ::footnote-call, ::footnote-marker, ::note-call, ::note-marker and ::note-callback
NOTE_RULES_EXPECTED = 5


def lean_user_agent_css(stock: str) -> str | None:
    """The stock user-agent stylesheet with `::marker` for `li` only and no footnote or note rules;
    None when `stock` does not have exactly the rules this expects (then use it unchanged)."""
    lean, markers = _ANY_MARKER.subn("li::marker", stock)
    lean, notes = _NOTE_RULES.subn("", lean)
    if markers != 1 or notes != NOTE_RULES_EXPECTED:
        return None
    return lean


@cache
def _lean_user_agent_stylesheet() -> CSS | None:
    from weasyprint import html as weasy_html  # the stock stylesheet's text and counter styles

    lean = lean_user_agent_css(weasy_html.UA)
    if lean is None:
        return None
    return CSS(string=lean, counter_style=weasy_html.UA_COUNTER_STYLE)


class LeanHTML(HTML):  # type: ignore[misc]  # weasyprint is untyped
    """An HTML document styled with the lean user-agent stylesheet (see the module's docstring).

    `_ua_stylesheets` is the hook WeasyPrint's own test suite overrides for the same purpose."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        lean = _lean_user_agent_stylesheet()
        if forms or lean is None:
            stock: list[CSS] = super()._ua_stylesheets(forms)
            return stock
        return [lean]


# --- font subsetting ----------------------------------------------------------------------------

SLOW_SUBSETTING_NOTE = (
    "Catatan: pustaka libharfbuzz-subset0 tidak terpasang, jadi PDF dibuat lebih lambat (sekitar "
    "dua kali) dengan hasil yang sama. Pasang dengan `sudo apt-get install libharfbuzz-subset0` "
    "agar lebih cepat."
)


def fast_font_subsetting() -> bool:
    """Whether WeasyPrint embeds fonts with HarfBuzz's subsetter (libharfbuzz-subset0, 4.1 or
    newer) rather than with fontTools, which takes about as long as laying out the document."""
    from weasyprint.pdf import fonts

    return fonts.harfbuzz_subset is not None and bool(fonts.harfbuzz.hb_version_atleast(4, 1, 0))


# --- a kind of PDF -------------------------------------------------------------------------------


def _remove_folder(folder: Path | str | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


class PdfTemplate:
    """One Jinja2 template and its stylesheet, rendered by WeasyPrint with the package's fonts only.

    Built once per renderer (and per worker process): the environment, the parsed CSS and the font
    configuration are reused for every document."""

    def __init__(
        self, template: str, stylesheet: str, filters: Mapping[str, Callable[..., Any]]
    ) -> None:
        root = templates_dir()
        self._base_url = str(root)
        self._fetcher = TemplatesOnlyFetcher(root)
        env = Environment(
            loader=FileSystemLoader(root),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            keep_trailing_newline=True,
        )
        env.filters.update(FILTERS)
        env.filters["nip"] = format_nip
        env.filters.update(filters)
        self._template = env.get_template(template)
        self._font_config = FontConfiguration()
        self._css = CSS(
            string=(root / stylesheet).read_text(encoding="utf-8"),
            base_url=self._base_url,
            url_fetcher=self._fetcher,
            font_config=self._font_config,
        )
        # WeasyPrint copies the stylesheet's fonts into a temporary folder (`weasyprint-*`) that
        # it removes only when the font configuration is garbage-collected, which may never
        # happen before the process ends. Remove it when the template is closed, or at the
        # latest when the interpreter exits.
        folder = getattr(self._font_config, "_folder", None)
        self._cleanup = weakref.finalize(self, _remove_folder, folder)

    def close(self) -> None:
        """Remove the fonts' temporary folder; the template cannot lay out documents after this."""
        self._cleanup()

    def html(self, context: Mapping[str, Any]) -> str:
        return self._template.render(context)

    def pdf(self, html: str) -> bytes:
        document = LeanHTML(string=html, base_url=self._base_url, url_fetcher=self._fetcher)
        data: bytes = document.write_pdf(stylesheets=[self._css], font_config=self._font_config)
        return data
