"""Static charts of the Optimizer Atlas: loss curves, learning-rate sensitivity, basin maps.

The public entry points, re-exported from their modules:

* :func:`save_loss_curves` / :func:`loss_curves_figure` (``loss.py``)
* :func:`save_lr_sensitivity` / :func:`lr_sensitivity_figure`, :func:`reaching_lrs`
  (``sensitivity.py``)
* :func:`save_basin_map` / :func:`basin_map_figure`, :func:`basin_metrics` (the batched
  run over ``surface.grid(n)`` that a map needs), :class:`BasinMap`,
  :func:`basin_categories` (``basins.py``)

Every ``save_*`` writes a PNG atomically with deterministic bytes; every ``*_figure``
returns the :class:`matplotlib.figure.Figure` for tests and composition.
"""

from build_assets.render.basins import (
    DEFAULT_N,
    BasinMap,
    basin_categories,
    basin_map_figure,
    basin_metrics,
    save_basin_map,
)
from build_assets.render.loss import loss_curves_figure, save_loss_curves
from build_assets.render.sensitivity import lr_sensitivity_figure, reaching_lrs, save_lr_sensitivity

__all__ = [
    "loss_curves_figure", "save_loss_curves",
    "lr_sensitivity_figure", "reaching_lrs", "save_lr_sensitivity",
    "DEFAULT_N", "BasinMap", "basin_categories", "basin_map_figure", "basin_metrics", "save_basin_map",
]
