"""Rewrites of a built page's HTML that make it paint sooner and not shift while loading.

* :func:`add_image_sizes`: every ``<img>`` of a local image gets ``width`` and ``height``
  (its pixel size, read from the file at build time), so the browser reserves the space
  before the image arrives.  A width or height the page sets is kept and the other one
  follows from the image's aspect ratio.  (The CSS scales images down with
  ``max-width: 100%; height: auto``.)
* :func:`defer_lightbox`: the glightbox plugin puts its script and stylesheet in the
  ``<head>``, where they block the first paint although nothing uses them before a figure
  is opened.  The script gets ``defer``, the plugin's inline start-up script becomes a
  module (modules run after deferred scripts, in document order, so ``GLightbox`` exists
  by then), and the stylesheet loads without blocking (``media="print"`` until loaded).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from PIL import Image

IMG_RE = re.compile(r"<img\b[^>]*>")
ATTR_RE = r'\s{name}="(?P<value>[^"]*)"'


def _attr(tag: str, name: str) -> str | None:
    match = re.search(ATTR_RE.format(name=name), tag)
    return match["value"] if match else None


@cache
def _pixel_size(path: Path, mtime_ns: int) -> tuple[float, float] | None:
    if path.suffix.lower() == ".svg":
        return _svg_size(path)
    with Image.open(path) as image:
        return image.size


def _svg_size(path: Path) -> tuple[float, float] | None:
    root = ET.parse(path).getroot()
    width, height = root.get("width", ""), root.get("height", "")
    if width.replace(".", "", 1).isdigit() and height.replace(".", "", 1).isdigit():
        return float(width), float(height)
    box = (root.get("viewBox") or "").replace(",", " ").split()
    return (float(box[2]), float(box[3])) if len(box) == 4 else None


def local_file(docs_dir: Path, page_url: str, src: str) -> Path | None:
    """The file in ``docs_dir`` that ``src`` on the page at ``page_url`` refers to; None if
    it is not a local file."""
    parts = urlsplit(urljoin("/" + page_url, src))
    if parts.scheme or parts.netloc:
        return None
    path = docs_dir / unquote(parts.path).lstrip("/")
    return path if path.is_file() else None


def image_size(docs_dir: Path, page_url: str, src: str) -> tuple[float, float] | None:
    """Pixel size of the local image ``src`` on the page at ``page_url``; None if not local."""
    path = local_file(docs_dir, page_url, src)
    return None if path is None else _pixel_size(path, path.stat().st_mtime_ns)


def add_image_sizes(page_html: str, docs_dir: Path, page_url: str) -> str:
    """Give every local ``<img>`` both ``width`` and ``height`` (see module docstring)."""

    def sized(match: re.Match) -> str:
        tag = match.group(0)
        width, height = _attr(tag, "width"), _attr(tag, "height")
        src = _attr(tag, "src")
        if (width and height) or not src:
            return tag
        size = image_size(docs_dir, page_url, src)
        if size is None:
            return tag
        natural_w, natural_h = size
        if width:
            height = str(round(float(width) * natural_h / natural_w))
            return tag.replace(f' width="{width}"', f' width="{width}" height="{height}"', 1)
        if height:
            width = str(round(float(height) * natural_w / natural_h))
            return tag.replace(f' height="{height}"', f' width="{width}" height="{height}"', 1)
        return tag.replace("<img", f'<img width="{round(natural_w)}" height="{round(natural_h)}"', 1)

    return IMG_RE.sub(sized, page_html)


LIGHTBOX_SCRIPT_RE = re.compile(r'<script src="(?P<src>[^"]*glightbox\.min\.js)"></script>')
LIGHTBOX_INIT = '<script id="init-glightbox">'
LIGHTBOX_CSS_RE = re.compile(r'<link href="(?P<href>[^"]*glightbox\.min\.css)" rel="stylesheet">')


def defer_lightbox(page_html: str) -> str:
    """Load the glightbox plugin's script and stylesheet without blocking the first paint."""
    if LIGHTBOX_INIT not in page_html:  # a page without the lightbox
        return page_html
    page_html, scripts = LIGHTBOX_SCRIPT_RE.subn(r'<script src="\g<src>" defer></script>', page_html)
    page_html, sheets = LIGHTBOX_CSS_RE.subn(
        lambda m: f'<link href="{m["href"]}" rel="stylesheet" media="print" onload="this.media=\'all\'">',
        page_html)
    if (scripts, sheets) != (1, 1):
        raise ValueError("the glightbox plugin's <script>/<link> tags were not found where expected "
                         f"(found {scripts} script, {sheets} stylesheet): update build_assets/page_load.py")
    return page_html.replace(LIGHTBOX_INIT, '<script id="init-glightbox" type="module">', 1)
