"""Load and validate ``experiments.yml``: the experiments are data.

Every problem is reported as one ``ConfigError`` line naming the file, the
entry (a dotted path such as ``surfaces.cubic.seed.adam.lr``) and the value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from optimizers import OPTIMIZERS, SURFACES, make

SETTINGS = ("seed", "tuned")
VIEWS = ("3d", "contour")
MAX_STEPS = 100_000
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_TOP = "(top level)"


class ConfigError(Exception):
    """A one-line, user-facing description of what is wrong in the experiments file."""


@dataclass(frozen=True)
class SurfaceExperiment:
    key: str
    start: tuple[float, float]
    steps: int
    seed: dict[str, dict[str, float]]  # optimizer -> hyperparameters, in display order


@dataclass(frozen=True)
class Tuning:
    lrs: tuple[float, ...]
    grids: dict[str, dict[str, tuple[float, ...]]]  # optimizer -> extra hyperparameter grids


@dataclass(frozen=True)
class SetFigure:
    surface: str
    setting: str
    view: str


@dataclass(frozen=True)
class FigureSet:
    key: str
    title: str
    optimizers: tuple[str, ...]
    colours: dict[str, str]
    figures: tuple[SetFigure, ...]


@dataclass(frozen=True)
class Experiments:
    path: Path
    surfaces: dict[str, SurfaceExperiment]
    tuning: Tuning
    sets: dict[str, FigureSet]
    raw: dict[str, Any]  # the parsed file, for cache keys


class _Reader:
    """Walks the parsed YAML, raising ConfigError with the file and entry path."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, entry: str, message: str):
        raise ConfigError(f"{self.path}: {entry}: {message}")

    def mapping(self, value, entry: str, allowed: tuple[str, ...] | None = None, required=()) -> dict:
        if not isinstance(value, dict):
            self.fail(entry, f"expected a mapping, got {value!r}")
        for key in value:
            if allowed is not None and key not in allowed:
                self.fail(key if entry == _TOP else f"{entry}.{key}",
                          f"unknown key {key!r} (allowed: {', '.join(allowed)})")
        for key in required:
            if key not in value:
                self.fail(entry, f"missing key {key!r}")
        return value

    def number(self, value, entry: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(entry, f"{value!r} is not a number")
        return float(value)

    def numbers(self, value, entry: str) -> tuple[float, ...]:
        if not isinstance(value, list) or not value:
            self.fail(entry, f"expected a non-empty list of numbers, got {value!r}")
        return tuple(self.number(v, f"{entry}[{i}]") for i, v in enumerate(value))

    def optimizer(self, name, entry: str) -> str:
        if name not in OPTIMIZERS:
            self.fail(entry, f"unknown optimizer {name!r} (known: {', '.join(OPTIMIZERS)})")
        return name

    def surface(self, key, entry: str) -> str:
        if key not in SURFACES:
            self.fail(entry, f"unknown surface {key!r} (known: {', '.join(SURFACES)})")
        return key

    def hyperparameters(self, name: str, value, entry: str) -> dict[str, float]:
        params = {k: self.number(v, f"{entry}.{k}") for k, v in self.mapping(value, entry).items()}
        for key, number in params.items():  # one at a time, to name the entry of a bad one
            try:
                make(name, **{key: number})
            except ValueError as error:  # names the optimizer, parameter and value
                self.fail(f"{entry}.{key}", str(error))
        try:
            make(name, **params)
        except ValueError as error:
            self.fail(entry, str(error))
        return params


def load(path: str | Path) -> Experiments:
    path = Path(path)
    read = _Reader(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConfigError(f"{path}: {where}: invalid YAML: {problem}") from None
    read.mapping(raw, _TOP, allowed=("surfaces", "tuning", "sets"), required=("surfaces", "tuning"))
    surfaces = {
        read.surface(key, f"surfaces.{key}"): _surface(read, key, entry)
        for key, entry in read.mapping(raw["surfaces"], "surfaces").items()
    }
    tuning = _tuning(read, raw["tuning"])
    sets = {
        key: _figure_set(read, key, entry, surfaces)
        for key, entry in read.mapping(raw.get("sets") or {}, "sets").items()
    }
    return Experiments(path, surfaces, tuning, sets, raw)


def _surface(read: _Reader, key: str, entry) -> SurfaceExperiment:
    where = f"surfaces.{key}"
    read.mapping(entry, where, allowed=("start", "steps", "seed"), required=("seed",))
    surface = SURFACES[key]
    start = entry.get("start", list(surface.start))
    if not isinstance(start, list) or len(start) != 2:
        read.fail(f"{where}.start", f"expected [x1, x2], got {start!r}")
    start = tuple(read.number(v, f"{where}.start") for v in start)
    if not surface.inside(start):
        (lo1, hi1), (lo2, hi2) = surface.bounds
        read.fail(f"{where}.start", f"{list(start)} lies outside the plot range "
                                    f"[{lo1:g}, {hi1:g}] × [{lo2:g}, {hi2:g}]")
    steps = entry.get("steps", surface.steps)
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        read.fail(f"{where}.steps", f"{steps!r} is invalid: must be a whole number in [1, {MAX_STEPS}]")
    seed = {
        read.optimizer(name, f"{where}.seed.{name}"): read.hyperparameters(name, params or {}, f"{where}.seed.{name}")
        for name, params in read.mapping(entry["seed"], f"{where}.seed").items()
    }
    if not seed:
        read.fail(f"{where}.seed", "lists no optimizer")
    return SurfaceExperiment(key, start, steps, seed)


def _tuning(read: _Reader, entry) -> Tuning:
    read.mapping(entry, "tuning", allowed=("lr", "grids"), required=("lr",))
    lr = read.mapping(entry["lr"], "tuning.lr", allowed=("min", "max", "count"), required=("min", "max", "count"))
    low, high = read.number(lr["min"], "tuning.lr.min"), read.number(lr["max"], "tuning.lr.max")
    count = lr["count"]
    if not 0 < low < high:
        read.fail("tuning.lr", f"min={low!r}, max={high!r}: need 0 < min < max")
    if isinstance(count, bool) or not isinstance(count, int) or not 2 <= count <= 1000:
        read.fail("tuning.lr.count", f"{count!r} is invalid: must be a whole number in [2, 1000]")
    ratio = (high / low) ** (1 / (count - 1))
    lrs = tuple(float(low * ratio**i) for i in range(count))
    grids = {}
    for name, grid in read.mapping(entry.get("grids") or {}, "tuning.grids").items():
        read.optimizer(name, f"tuning.grids.{name}")
        where = f"tuning.grids.{name}"
        grids[name] = {k: read.numbers(v, f"{where}.{k}") for k, v in read.mapping(grid, where).items()}
        for key, values in grids[name].items():
            if key == "lr":
                read.fail(f"{where}.lr", "the learning rate grid is tuning.lr")
            for value in values:
                read.hyperparameters(name, {key: value}, where)
    return Tuning(lrs, grids)


def _figure_set(read: _Reader, key: str, entry, surfaces) -> FigureSet:
    where = f"sets.{key}"
    read.mapping(entry, where, allowed=("title", "optimizers", "colours", "figures"),
                 required=("title", "optimizers", "figures"))
    if not isinstance(entry["optimizers"], list) or not entry["optimizers"]:
        read.fail(f"{where}.optimizers", f"expected a non-empty list, got {entry['optimizers']!r}")
    names = tuple(read.optimizer(n, f"{where}.optimizers") for n in entry["optimizers"])
    colours = {}
    for name, colour in read.mapping(entry.get("colours") or {}, f"{where}.colours").items():
        read.optimizer(name, f"{where}.colours.{name}")
        if not isinstance(colour, str) or not _HEX_COLOUR.match(colour):
            read.fail(f"{where}.colours.{name}", f"{colour!r} is not a colour like '#1f77b4'")
        colours[name] = colour
    if not isinstance(entry["figures"], list) or not entry["figures"]:
        read.fail(f"{where}.figures", f"expected a non-empty list, got {entry['figures']!r}")
    figures = []
    for i, figure in enumerate(entry["figures"]):
        at = f"{where}.figures[{i}]"
        read.mapping(figure, at, allowed=("surface", "setting", "view"), required=("surface", "view"))
        surface = read.surface(figure["surface"], f"{at}.surface")
        if surface not in surfaces:
            read.fail(f"{at}.surface", f"{surface!r} has no entry under surfaces")
        setting = figure.get("setting", "seed")
        if setting not in SETTINGS:
            read.fail(f"{at}.setting", f"unknown setting {setting!r} (known: {', '.join(SETTINGS)})")
        if figure["view"] not in VIEWS:
            read.fail(f"{at}.view", f"unknown view {figure['view']!r} (known: {', '.join(VIEWS)})")
        if setting == "seed":
            missing = [n for n in names if n not in surfaces[surface].seed]
            if missing:
                read.fail(f"{at}.surface", f"surfaces.{surface}.seed has no settings for {', '.join(missing)}")
        figures.append(SetFigure(surface, setting, figure["view"]))
    return FigureSet(key, str(entry["title"]), names, colours, tuple(figures))
