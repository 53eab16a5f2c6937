"""GIF encoding: one global palette, exact reserved colours, deltas, timing, loop,
deterministic bytes, atomic writes."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from PIL import Image

from build_assets.render.gif import (
    MAX_COLORS,
    PaletteMapper,
    build_palette,
    to_rgb8,
    write_gif,
)

RED = (204, 51, 17)
GREEN = (34, 136, 51)


def _frames(n=12, h=48, w=64):
    """A light gradient background with a red square moving right and a green trail."""
    y, x = np.mgrid[0:h, 0:w]
    bg = np.stack([200 + x * 0.8, 210 + y * 0.8, np.full_like(x, 235.0)], axis=-1).astype(np.uint8)
    bg[:4] = 255  # a white band
    out = []
    for i in range(n):
        f = bg.copy()
        f[20:28, 2 + 4 * i : 10 + 4 * i] = RED
        f[30, 2 : 2 + 4 * i + 1] = GREEN
        out.append(f)
    return out


def parse_gif(data: bytes) -> dict:
    """Walk the GIF block structure: global table size, loop count, and per frame
    the delay, transparency, whether it has a local colour table, and its rectangle."""
    assert data[:6] == b"GIF89a"
    w, h, flags = struct.unpack("<HHB", data[6:11])
    pos = 13
    info = {"size": (w, h), "global_table": bool(flags & 0x80), "loop": None, "frames": []}
    if flags & 0x80:
        pos += 3 * 2 ** ((flags & 7) + 1)
    gce = None
    while True:
        b = data[pos]
        if b == 0x3B:  # trailer
            info["trailing"] = data[pos + 1 :]
            return info
        if b == 0x21:  # extension
            label = data[pos + 1]
            pos += 2
            blocks = []
            while data[pos]:
                blocks.append(data[pos + 1 : pos + 1 + data[pos]])
                pos += 1 + data[pos]
            pos += 1
            if label == 0xF9:
                packed, delay, tindex = struct.unpack("<BHB", blocks[0][:4])
                gce = {"delay_cs": delay, "transparent": tindex if packed & 1 else None,
                       "disposal": (packed >> 2) & 7}
            elif label == 0xFF and blocks[0] == b"NETSCAPE2.0":
                info["loop"] = struct.unpack("<H", blocks[1][1:3])[0]
        elif b == 0x2C:  # image descriptor
            x, y, fw, fh, fflags = struct.unpack("<HHHHB", data[pos + 1 : pos + 10])
            pos += 10
            local = bool(fflags & 0x80)
            if local:
                pos += 3 * 2 ** ((fflags & 7) + 1)
            pos += 1  # LZW minimum code size
            while data[pos]:
                pos += 1 + data[pos]
            pos += 1
            info["frames"].append({"rect": (x, y, fw, fh), "local_table": local, **(gce or {})})
            gce = None
        else:
            raise AssertionError(f"unexpected block 0x{b:02x} at {pos}")


def test_animated_gif_structure_and_timing(tmp_path):
    frames = _frames(12)
    durations = [50] * 11 + [2000]
    path = tmp_path / "a.gif"
    stats = write_gif(path, frames, durations, loop=0, reserved_colors=[RED, GREEN])
    assert stats.n_frames == 12 and stats.n_bytes == path.stat().st_size
    g = parse_gif(path.read_bytes())
    assert g["size"] == (64, 48)
    assert g["global_table"] and g["loop"] == 0 and g["trailing"] == b""
    assert len(g["frames"]) == 12
    assert not any(f["local_table"] for f in g["frames"])  # one palette for the animation
    assert [f["delay_cs"] for f in g["frames"]] == [5] * 11 + [200]
    assert g["frames"][0]["rect"] == (0, 0, 64, 48)
    # Later frames store only the changed rectangle, unchanged pixels transparent.
    for f in g["frames"][1:]:
        x, y, w, h = f["rect"]
        assert w * h < 64 * 48 / 4
        assert f["transparent"] == 255
        assert f["disposal"] == 0
    # Pillow agrees.
    with Image.open(path) as im:
        assert im.is_animated and im.n_frames == 12 and im.info["loop"] == 0


def test_decoded_frames_equal_the_palette_mapped_frames(tmp_path):
    frames = _frames(10)
    path = tmp_path / "b.gif"
    palette = build_palette([frames[0], frames[-1]], [RED, GREEN])
    write_gif(path, frames, 40, palette=palette)
    mapper = PaletteMapper(palette)
    with Image.open(path) as im:
        for i, f in enumerate(frames):
            im.seek(i)
            got = np.asarray(im.convert("RGB"))
            np.testing.assert_array_equal(got, palette[mapper(f)])
            # Reserved colours survive exactly; so does pure white.
            assert tuple(got[24, 4 + 4 * i]) == RED
            assert tuple(got[0, 0]) == (255, 255, 255)
            assert np.abs(got.astype(int) - f.astype(int)).max() <= 16  # no visible shift


def test_reserved_colours_win_over_near_duplicates():
    near_white = (253, 253, 253)
    palette = np.array([[255, 255, 255], [0, 0, 0], near_white, RED, (205, 51, 17)], np.uint8)
    m = PaletteMapper(palette)
    px = np.array([[[255, 255, 255], near_white, RED, (205, 51, 17), (254, 254, 254)]], np.uint8)
    assert m(px).tolist() == [[0, 2, 3, 4, 0]]
    # RGBA input maps the same way.
    rgba = np.concatenate([px, np.full((1, 5, 1), 255, np.uint8)], axis=2)
    assert PaletteMapper(palette)(rgba).tolist() == [[0, 2, 3, 4, 0]]


def test_palette_has_reserved_entries_first_and_no_duplicates():
    frames = _frames(3)
    pal = build_palette(frames, ["#CC3311", GREEN, (255, 255, 255)])
    assert len(pal) <= MAX_COLORS
    assert [tuple(c) for c in pal[:4]] == [(255, 255, 255), (0, 0, 0), RED, GREEN]
    assert len({tuple(c) for c in pal}) == len(pal)
    assert to_rgb8("#CC3311") == RED and to_rgb8((0.0, 1.0, 0.0)) == (0, 255, 0)


def test_identical_frames_are_merged_into_a_longer_frame(tmp_path):
    f = _frames(3)
    frames = [f[0], f[1], f[1], f[1], f[2]]
    path = tmp_path / "m.gif"
    write_gif(path, frames, [50, 50, 50, 50, 2000])
    g = parse_gif(path.read_bytes())
    assert [fr["delay_cs"] for fr in g["frames"]] == [5, 15, 200]


def test_bytes_are_deterministic(tmp_path):
    frames = _frames(8)
    a, b = tmp_path / "a.gif", tmp_path / "b.gif"
    write_gif(a, frames, 50, reserved_colors=[RED])
    write_gif(b, iter(frames), 50, reserved_colors=[RED])
    assert a.read_bytes() == b.read_bytes()


def test_loop_none_plays_once(tmp_path):
    path = tmp_path / "once.gif"
    write_gif(path, _frames(3), 50, loop=None)
    assert parse_gif(path.read_bytes())["loop"] is None


def test_bad_input_is_rejected(tmp_path):
    with pytest.raises(ValueError):
        write_gif(tmp_path / "x.gif", [], 50)
    with pytest.raises(ValueError):
        write_gif(tmp_path / "x.gif", _frames(3), [50, 50])
    with pytest.raises(ValueError):
        write_gif(tmp_path / "x.gif", [np.zeros((4, 4), np.uint8)], 50)
    f = _frames(2)
    with pytest.raises(ValueError):
        write_gif(tmp_path / "x.gif", [f[0], f[1][:10]], 50, palette=build_palette(f))
    assert list(tmp_path.iterdir()) == []


def test_failure_mid_write_leaves_no_file_and_no_temporary(tmp_path):
    frames = _frames(6)
    palette = build_palette([frames[0], frames[-1]])

    def failing():
        yield from frames[:3]
        raise RuntimeError("renderer crashed")

    target = tmp_path / "anim.gif"
    with pytest.raises(RuntimeError):
        write_gif(target, failing(), 50, palette=palette)
    assert list(tmp_path.iterdir()) == []

    # An existing file survives a failed rewrite untouched.
    write_gif(target, frames, 50, palette=palette)
    before = target.read_bytes()
    with pytest.raises(RuntimeError):
        write_gif(target, failing(), 50, palette=palette)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["anim.gif"]
