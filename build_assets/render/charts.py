"""Static charts of the Optimizer Atlas: loss curves, learning-rate sensitivity, basin maps.

The public entry points, re-exported from their modules:

* :func:`save_loss_curves` / :func:`loss_curves_figure` (``loss.py``)

Every ``save_*`` writes a PNG atomically with deterministic bytes; every ``*_figure``
returns the :class:`matplotlib.figure.Figure` for tests and composition.
"""

from build_assets.render.loss import loss_curves_figure, save_loss_curves

__all__ = ["loss_curves_figure", "save_loss_curves"]
