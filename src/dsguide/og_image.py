"""Open Graph images: one 1200×630 PNG per note (title, topic, site name), for link previews when shared.

Drawn with Pillow's own built-in font (`ImageFont.load_default(size=…)`), so the pixels do not depend
on the fonts a machine has installed, and saved without a timestamp or text chunks, so two builds of
the same note write the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .model import Note, Site
from .write import link_file

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
BACKGROUND = (29, 78, 137)  # the site's accent colour (static/site.css --accent)
TEXT = (255, 255, 255)
SOFT = (214, 228, 245)
TITLE_SIZE, TITLE_LINES = 68, 4
FOLDER = "og"


DRAWING = "1"  # change when render_og_image draws differently, so published images are redrawn


def og_card(site: Site, note: Note) -> tuple[str, str, str]:
    """What a note's image shows: (title, topic, site name)."""
    topic = site.config.topic(note.topics[0]).name if note.topics else "Note"
    return note.title, topic, site.config.title


def og_image_path(site: Site, note: Note) -> str:
    """Where a note's image is published, relative to the site root. The name carries a digest of
    what the image shows, so an unchanged image can be carried over from the published site and a
    changed one gets a new URL (which social sites' caches then fetch again)."""
    digest = hashlib.sha256("\0".join((DRAWING, *og_card(site, note))).encode("utf-8")).hexdigest()[:10]
    return f"{FOLDER}/{note.slug}.{digest}.png"


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
          width: int, max_lines: int) -> list[str]:
    """Words in lines no wider than `width`; the last line ends in … when the text does not fit."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and draw.textlength(last + " …", font=font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines = [*lines[:max_lines - 1], last + " …"]
    return lines


def render_og_image(title: str, topic: str, site_title: str) -> bytes:
    """The PNG bytes of one note's image."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    small = ImageFont.load_default(size=34)
    big = ImageFont.load_default(size=TITLE_SIZE)
    draw.text((MARGIN, MARGIN), topic.upper(), font=small, fill=SOFT)
    y = MARGIN + 80
    for line in _wrap(draw, title, big, WIDTH - 2 * MARGIN, TITLE_LINES):
        draw.text((MARGIN, y), line, font=big, fill=TEXT)
        y += int(TITLE_SIZE * 1.2)
    draw.rectangle((MARGIN, HEIGHT - MARGIN - 58, MARGIN + 90, HEIGHT - MARGIN - 52), fill=SOFT)
    draw.text((MARGIN, HEIGHT - MARGIN - 34), site_title, font=small, fill=TEXT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def write_og_images(site: Site, out_dir: Path, published: Path | None = None, jobs: int = 1) -> int:
    """Write every note's image under `out_dir`, hard-linking the ones `published` (the current site)
    already has under the same name; returns how many were drawn. Drawing (~25 ms an image) is spread
    over `jobs` processes, since a large site has thousands of them."""
    (out_dir / FOLDER).mkdir(parents=True, exist_ok=True)
    to_draw: list[tuple[str, tuple[str, str, str]]] = []
    for note in site.content.notes:
        name = og_image_path(site, note)
        if published is not None and (published / name).is_file():
            link_file(published / name, out_dir / name)
        else:
            to_draw.append((str(out_dir / name), og_card(site, note)))
    if jobs > 1 and len(to_draw) >= PARALLEL_FROM:
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        with context.Pool(jobs) as pool:
            pool.map(_draw, to_draw, chunksize=max(1, len(to_draw) // (jobs * 8)))
    else:
        for item in to_draw:
            _draw(item)
    return len(to_draw)


PARALLEL_FROM = 50  # fewer images than this are drawn in-process: starting workers would cost more


def _draw(item: tuple[str, tuple[str, str, str]]) -> None:
    target, card = item
    Path(target).write_bytes(render_og_image(*card))
