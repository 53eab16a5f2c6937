"""Static charts of the Optimizer Atlas: loss curves, learning-rate sensitivity, basin maps.

The public entry points, re-exported from their modules:

* :func:`save_loss_curves` / :func:`loss_curves_figure` (``loss.py``)
* :func:`lr_sensitivity_panels`, :func:`reaching_lrs` (``sensitivity.py``)
* :func:`basin_map_panels`, :func:`basin_metrics` (the batched
  run over ``surface.grid(n)`` that a map needs), :class:`BasinMap`,
  :func:`basin_categories` (``basins.py``)

Every ``save_*`` writes a PNG atomically with deterministic bytes; every ``*_figure``
returns the :class:`matplotlib.figure.Figure` for tests and composition, every ``*_panels``
one figure per optimizer and a key (saved by ``panels.save_panels``).
"""

from build_assets.render.basins import (
    DEFAULT_N,
    BasinMap,
    basin_categories,
    basin_map_panels,
    basin_metrics,
)
from build_assets.render.loss import loss_curves_figure, save_loss_curves
from build_assets.render.sensitivity import lr_sensitivity_panels, reaching_lrs

__all__ = [
    "loss_curves_figure", "save_loss_curves",
    "lr_sensitivity_panels", "reaching_lrs",
    "DEFAULT_N", "BasinMap", "basin_categories", "basin_map_panels", "basin_metrics",
]
