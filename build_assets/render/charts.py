"""Static charts of the Optimizer Atlas: loss curves, learning-rate sensitivity, basin maps.

The public entry points, re-exported from their modules:

* :func:`save_loss_curves` / :func:`loss_curves_figure` (``loss.py``)
* :func:`save_lr_sensitivity` / :func:`lr_sensitivity_figure`, :func:`reaching_lrs`
  (``sensitivity.py``)

Every ``save_*`` writes a PNG atomically with deterministic bytes; every ``*_figure``
returns the :class:`matplotlib.figure.Figure` for tests and composition.
"""

from build_assets.render.loss import loss_curves_figure, save_loss_curves
from build_assets.render.sensitivity import lr_sensitivity_figure, reaching_lrs, save_lr_sensitivity

__all__ = [
    "loss_curves_figure", "save_loss_curves",
    "lr_sensitivity_figure", "reaching_lrs", "save_lr_sensitivity",
]
