"""GIF encoding with one global palette per animation.

Why: a palette per frame costs ~30 ms per frame and makes files 3-20x larger
(a changing palette defeats storing only the changed pixels).  Here the
palette is built once from representative frames (the static background and
the final frame), exact entries are reserved for pure white, black and the run
colours, and every frame is mapped to it by an exact nearest-colour lookup
without dithering.  Each frame is stored as the bounding box of the
changed pixels, with unchanged pixels inside that box transparent.

The output bytes depend only on the frames, durations, loop count and
palette: no timestamps, comments or other metadata.

Not imageio: it would hand the frames to Pillow's ``save``, which with the same
global palette writes the same bytes' worth but takes about 2.5x as long (it
remaps and compares whole frames); measured by benchmarks/bench_gif_writer.py,
see "The GIF encoder" in docs/building.md.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
from matplotlib.colors import to_rgb
from PIL import GifImagePlugin, Image

from ..atomic import atomic_write

__all__ = [
    "GifStats",
    "PaletteMapper",
    "build_palette",
    "write_gif",
    "to_rgb8",
]

#: At most 255 colours: index 255 marks unchanged (transparent) pixels.
MAX_COLORS = 255
TRANSPARENT = 255
# Channel weights of the colour distance (a cheap perceptual approximation).
_W = np.array([2, 4, 3], dtype=np.int32)


class GifStats(NamedTuple):
    path: str
    n_frames: int  # frames passed in (identical consecutive ones are merged in the file)
    n_bytes: int
    palette_size: int


def to_rgb8(color) -> tuple[int, int, int]:
    """A matplotlib colour (hex string, name, RGB(A) tuple in 0-1 or 0-255
    ints) as an (r, g, b) tuple of 0-255 ints."""
    if isinstance(color, (tuple, list, np.ndarray)) and len(color) in (3, 4) and all(
        isinstance(c, (int, np.integer)) for c in color
    ):
        return tuple(int(c) for c in color[:3])  # type: ignore[return-value]
    r, g, b = to_rgb(color)
    return (round(r * 255), round(g * 255), round(b * 255))


def _as_rgb_array(frame) -> np.ndarray:
    a = np.asarray(frame)
    if a.ndim != 3 or a.shape[2] not in (3, 4) or a.dtype != np.uint8:
        raise ValueError(f"frames must be HxWx3 (or HxWx4) uint8 arrays, got {a.shape} {a.dtype}")
    return a


def _keys(frame: np.ndarray) -> np.ndarray:
    """24-bit keys r | g << 8 | b << 16 of all pixels, flat uint32."""
    if frame.shape[2] == 4 and frame.flags.c_contiguous:
        # RGBA bytes read as little/big-endian uint32; mask off alpha.
        k = frame.view(np.uint32).reshape(-1)
        if np.little_endian:
            return k & np.uint32(0xFFFFFF)
        k = k >> np.uint32(8)  # big-endian: r g b a -> r<<24|g<<16|b<<8|a
        return ((k & 0xFF) << 16) | (k & 0xFF00) | ((k >> 16) & 0xFF)
    f = frame.reshape(-1, frame.shape[2])
    return f[:, 0].astype(np.uint32) | (f[:, 1].astype(np.uint32) << 8) | (
        f[:, 2].astype(np.uint32) << 16
    )


def build_palette(
    frames: Sequence[np.ndarray],
    reserved_colors: Iterable = (),
    n_colors: int = MAX_COLORS,
) -> np.ndarray:
    """A palette (k, 3) uint8, k <= ``n_colors``, for an animation whose
    typical content is ``frames`` (e.g. the background and the final frame).

    Entries 0, 1, ... are exactly white, black, then ``reserved_colors`` in
    order (duplicates removed); the rest is a median-cut quantisation of the
    frames.  All entries are distinct.
    """
    reserved: list[tuple[int, int, int]] = []
    for c in [(255, 255, 255), (0, 0, 0), *[to_rgb8(c) for c in reserved_colors]]:
        if c not in reserved:
            reserved.append(c)
    if len(reserved) >= n_colors:
        raise ValueError(f"{len(reserved)} reserved colours leave no room in {n_colors}")
    arrays = [_as_rgb_array(f)[:, :, :3] for f in frames]
    if arrays:
        width = max(a.shape[1] for a in arrays)
        stacked = np.concatenate(
            [np.pad(a, ((0, 0), (0, width - a.shape[1]), (0, 0)), mode="edge") for a in arrays]
        )
        # Every other pixel is plenty for the quantiser (4x faster); exact
        # colours that matter are reserved anyway.
        img = Image.fromarray(np.ascontiguousarray(stacked[::2, ::2]))
        q = img.quantize(
            colors=n_colors - len(reserved),
            method=Image.Quantize.MEDIANCUT,
            dither=Image.Dither.NONE,
        )
        pal = np.array(q.getpalette(), dtype=np.uint8).reshape(-1, 3)
        used = np.flatnonzero(np.bincount(np.asarray(q).reshape(-1), minlength=len(pal)))
        extra = [tuple(int(v) for v in pal[i]) for i in used]
    else:
        extra = []
    seen = set(reserved)
    out = list(reserved)
    for c in extra:
        if c not in seen:
            seen.add(c)
            out.append(c)
    return np.array(out[:n_colors], dtype=np.uint8)


class PaletteMapper:
    """Exact nearest-colour mapping of frames to a fixed palette.

    Colours are looked up in a lazily filled table over all 2^24 RGB values,
    so a colour present in the palette always maps to its own entry and the
    mapping of a colour never changes between frames (which keeps unchanged
    pixels unchanged and the GIF deltas small).  Only pixels that differ from
    the reference frame (the first frame mapped, or :meth:`set_reference`)
    are looked up, so mapping an animation frame costs about a millisecond.
    """

    def __init__(self, palette: np.ndarray) -> None:
        pal = np.asarray(palette, dtype=np.uint8).reshape(-1, 3)
        if not 1 <= len(pal) <= 256:
            raise ValueError("palette must have 1..256 entries")
        self.palette = pal
        p = pal.astype(np.float64)
        self._pw = (p * _W).T.copy()  # (3, n): w * p
        self._pp = (p * p * _W).sum(axis=1)  # (n,): sum w p^2
        self._lut = np.full(1 << 24, -1, dtype=np.int16)
        self._ref_raw: np.ndarray | None = None
        self._ref_idx: np.ndarray | None = None

    def _fill(self, keys: np.ndarray) -> None:
        """Fill the table for the (unique) 24-bit ``keys``."""
        rgb = np.stack([keys & 0xFF, (keys >> 8) & 0xFF, (keys >> 16) & 0xFF], axis=1)
        rgb = rgb.astype(np.float64)
        out = np.empty(len(keys), dtype=np.int16)
        chunk = 8192
        for s in range(0, len(keys), chunk):
            u = rgb[s : s + chunk]
            # sum w (u - p)^2 without the constant sum w u^2 (exact in float64).
            d = self._pp[None, :] - 2.0 * (u @ self._pw)
            out[s : s + chunk] = np.argmin(d, axis=1)
        self._lut[keys] = out

    def _lookup(self, keys: np.ndarray) -> np.ndarray:
        idx = self._lut[keys]
        missing = idx < 0
        if missing.any():
            self._fill(np.unique(keys[missing]))
            idx = self._lut[keys]
        return idx.astype(np.uint8)

    @staticmethod
    def _raw(a: np.ndarray) -> np.ndarray:
        """Per-pixel comparable values: the RGBA words, or RGB keys."""
        if a.shape[2] == 4 and a.flags.c_contiguous:
            return a.view(np.uint32).reshape(-1)
        return _keys(a)

    def set_reference(self, frame) -> np.ndarray:
        """Map ``frame`` fully and use it as the reference for later frames;
        returns its indices (H, W)."""
        a = _as_rgb_array(frame)
        raw = self._raw(a).copy()
        idx = self._lookup(_keys(a))
        self._ref_raw, self._ref_idx = raw, idx
        return idx.reshape(a.shape[:2]).copy()

    def __call__(self, frame) -> np.ndarray:
        """Palette indices (H, W) uint8 of an HxWx3 or HxWx4 uint8 frame."""
        a = _as_rgb_array(frame)
        if self._ref_raw is None or self._ref_raw.size != a.shape[0] * a.shape[1]:
            return self.set_reference(a)
        raw = self._raw(a)
        changed = np.flatnonzero(raw != self._ref_raw)
        idx = self._ref_idx.copy()
        if changed.size:
            sub = raw[changed]
            if a.shape[2] == 4 and a.flags.c_contiguous:
                sub = _keys(sub.view(np.uint8).reshape(-1, 1, 4))
            idx[changed] = self._lookup(sub)
        return idx.reshape(a.shape[:2])


def write_still_png(path: str | os.PathLike[str], frame, mapper: PaletteMapper) -> None:
    """Write ``frame`` as a palette PNG with the animation's own colours (``mapper``),
    atomically; no metadata, so the same frame gives the same bytes."""
    image = Image.fromarray(np.ascontiguousarray(mapper(frame)), mode="P")
    image.putpalette(mapper.palette.reshape(-1).tolist())
    with atomic_write(path, "wb") as f:
        image.save(f, format="PNG", optimize=False)


def _durations(durations_ms, n: int) -> list[int]:
    if np.isscalar(durations_ms):
        d = [float(durations_ms)] * n  # type: ignore[arg-type]
    else:
        d = [float(x) for x in durations_ms]  # type: ignore[union-attr]
        if len(d) != n:
            raise ValueError(f"{len(d)} durations for {n} frames")
    # GIF stores centiseconds; browsers treat delays < 20 ms as 100 ms.
    return [max(20, int(round(x / 10.0)) * 10) for x in d]


def _header(width: int, height: int, palette: np.ndarray, loop: int | None) -> bytes:
    """GIF89a header, global colour table (padded to 256) and loop extension."""
    table = np.zeros((256, 3), dtype=np.uint8)
    table[: len(palette)] = palette
    out = [
        b"GIF89a",
        struct.pack("<HH", width, height),
        bytes([0xF7, 0, 0]),  # global table, 8 bits/colour, 256 entries; bg 0; aspect 0
        table.tobytes(),
    ]
    if loop is not None:
        out.append(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", loop) + b"\x00")
    return b"".join(out)


def _frame_bytes(idx: np.ndarray, offset: tuple[int, int], duration: int,
                 transparency: int | None) -> bytes:
    """Graphic control extension, image descriptor and LZW data of one frame
    (``idx``: palette indices of the frame's rectangle), using Pillow's GIF
    encoder; no local colour table."""
    im = Image.fromarray(np.ascontiguousarray(idx))  # mode "L": raw indices
    params: dict = {"duration": duration}
    if transparency is not None:
        params["transparency"] = transparency
    return b"".join(GifImagePlugin.getdata(im, offset=offset, **params))


def write_gif(
    path: str | os.PathLike[str],
    frames_rgb,
    durations_ms,
    loop: int = 0,
    *,
    reserved_colors: Iterable = (),
    palette: np.ndarray | None = None,
    palette_frames: Sequence[np.ndarray] | None = None,
    mapper: PaletteMapper | None = None,
) -> GifStats:
    """Encode ``frames_rgb`` (iterable of HxWx3 or HxWx4 uint8 arrays, all the
    same size) as an animated GIF at ``path``, written atomically.

    ``durations_ms``: one number for all frames or one per frame (rounded to
    10 ms, at least 20 ms).  ``loop=0`` loops forever; ``None`` plays once.
    The single global palette is ``palette`` if given, else built by
    :func:`build_palette` from ``palette_frames`` (default: the first and last
    frame, which requires materialising the iterable) with exact entries for
    white, black and ``reserved_colors``.  Frames are mapped and encoded one
    at a time when a palette, ``palette_frames`` or ``mapper`` is supplied.

    Each frame after the first stores only the bounding box of the pixels
    that changed, with unchanged pixels inside it transparent (palette index
    255, never a colour); identical consecutive frames are merged (their
    durations added).  No dithering, no local colour tables, no metadata.
    Returns :class:`GifStats`.
    """
    if mapper is None:
        if palette is None:
            if palette_frames is None:
                frames_rgb = list(frames_rgb)
                if not frames_rgb:
                    raise ValueError("no frames")
                palette_frames = [frames_rgb[0], frames_rgb[-1]]
            palette = build_palette(palette_frames, reserved_colors)
        mapper = PaletteMapper(palette)
    pal = mapper.palette
    if len(pal) > MAX_COLORS:
        raise ValueError(f"palette has {len(pal)} colours; at most {MAX_COLORS} (index "
                         f"{TRANSPARENT} is kept free for transparency)")
    n_given = None if np.isscalar(durations_ms) else len(durations_ms)
    durations = None if n_given is None else _durations(durations_ms, n_given)
    single = None if n_given is not None else _durations(durations_ms, 1)[0]

    with atomic_write(path, "wb") as f:
        prev: np.ndarray | None = None
        pending: list = []  # [idx, offset, duration, transparency] not yet written
        n_frames = 0
        for i, frame in enumerate(frames_rgb):
            if durations is not None and i >= len(durations):
                raise ValueError(f"more frames than durations ({len(durations)})")
            dur = durations[i] if durations is not None else single
            idx = mapper(frame)
            n_frames += 1
            if prev is None:
                f.write(_header(idx.shape[1], idx.shape[0], pal, loop))
                pending = [idx.copy(), (0, 0), dur, None]
                prev = pending[0]
                continue
            if idx.shape != prev.shape:
                raise ValueError(f"frame size {idx.shape} differs from {prev.shape}")
            changed = idx != prev
            rows = np.flatnonzero(changed.any(axis=1))
            if rows.size == 0:
                pending[2] += dur  # identical frame: hold the previous one longer
                continue
            cols = np.flatnonzero(changed[rows[0] : rows[-1] + 1].any(axis=0))
            r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
            crop = np.where(changed[r0:r1, c0:c1], idx[r0:r1, c0:c1], np.uint8(TRANSPARENT))
            f.write(_frame_bytes(*pending))
            pending = [crop, (int(c0), int(r0)), dur, TRANSPARENT]
            prev = idx
        if prev is None:
            raise ValueError("no frames")
        if durations is not None and n_frames != len(durations):
            raise ValueError(f"{n_frames} frames but {len(durations)} durations")
        f.write(_frame_bytes(*pending))
        f.write(b";")
        n_bytes = f.tell()
    return GifStats(os.fspath(path), n_frames, n_bytes, len(pal))
