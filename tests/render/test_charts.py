"""Static charts: files, deterministic bytes, scales, markers and basin categories."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from build_assets.render.charts import (
    BasinMap,
    basin_categories,
    basin_map_panels,
    basin_metrics,
    loss_curves_figure,
    lr_sensitivity_panels,
    reaching_lrs,
    save_loss_curves,
)
from build_assets.render.chart_common import smallest_text_px
from build_assets.render.panels import save_panels
from build_assets.render.style import make_run
from optimizers import SURFACES, evaluate, lr_sweep, make, run, run_verified, score

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def a_run(name, surface_key, steps, **hp):
    surface = SURFACES[surface_key]
    traj = run(make(name, **hp), surface, surface.start, steps)
    return make_run(name, traj.points, int(traj.diverged_at))


def artists_with_gid(fig, gid):
    return [a for a in fig.findobj() if getattr(a, "get_gid", lambda: None)() == gid]


def legend_texts(fig):
    return [t.get_text() for legend in fig.legends + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
            for t in legend.get_texts()]


# --- loss curves ----------------------------------------------------------------------------

def test_loss_curves_png_is_valid_wide_and_deterministic(tmp_path):
    runs = [a_run("sgd", "rosenbrock", 40, lr=0.001), a_run("adam", "rosenbrock", 40, lr=0.1)]
    first, second = tmp_path / "a" / "loss.png", tmp_path / "loss2.png"
    save_loss_curves(first, SURFACES["rosenbrock"], runs)
    save_loss_curves(second, SURFACES["rosenbrock"], runs)
    data = first.read_bytes()
    assert data == second.read_bytes()
    width, height = png_size(data)
    assert width >= 720 and height > 300
    assert b"Software" not in data
    assert not list(first.parent.glob(".*.tmp"))  # the atomic write left no temporary file


@pytest.mark.parametrize("key, scale", [
    ("rosenbrock", "log"), ("himmelblau", "log"), ("ill_conditioned_bowl", "log"),
    ("saddle", "symlog"),  # no minimum
    ("cubic", "symlog"),  # f* = 0 is only a local minimum: f falls to -inf past the saddle
])
def test_loss_curves_scale_follows_the_surface(key, scale):
    fig = loss_curves_figure(SURFACES[key], [a_run("adam", key, 20, lr=0.05)])
    assert fig.axes[0].get_yscale() == scale


def test_loss_curves_mark_divergence_and_leaving_the_plot():
    diverging = a_run("sgd", "rosenbrock", 50, lr=0.01)
    assert diverging.diverged_at > 0
    calm = a_run("adam", "rosenbrock", 50, lr=0.01)
    fig = loss_curves_figure(SURFACES["rosenbrock"], [diverging, calm])
    markers = artists_with_gid(fig, "diverged")
    assert len(markers) == 1
    assert markers[0].get_xdata()[0] == diverging.diverged_at
    texts = legend_texts(fig)
    assert f"SGD (diverged at step {diverging.diverged_at})" in texts
    assert "Adam" in texts and "target" in texts
    # the line stops before the frozen copy of the last good point
    line = next(line for line in fig.axes[0].get_lines() if line.get_label().startswith("SGD"))
    assert line.get_xdata()[-1] == diverging.diverged_at - 1

    escaping = a_run("adam", "saddle", 60, lr=0.1)
    fig = loss_curves_figure(SURFACES["saddle"], [escaping])
    assert any(t.startswith("Adam (left the plot at step ") for t in legend_texts(fig))


def test_loss_curves_floor_exact_hits_and_draw_the_target():
    # Newton on the bowl lands on the minimum in one step: f - f* = 0 must still plot.
    fig = loss_curves_figure(SURFACES["ill_conditioned_bowl"], [a_run("newton", "ill_conditioned_bowl", 5)])
    ax = fig.axes[0]
    y = ax.get_lines()[0].get_ydata()
    assert np.all(y > 0) and y[-1] == pytest.approx(1e-16)
    assert ax.get_ylim()[0] < 1e-16
    target = [line for line in ax.get_lines() if line.get_label() == "target"]
    assert target and target[0].get_ydata()[0] == SURFACES["ill_conditioned_bowl"].loss_tol


# --- learning-rate sensitivity --------------------------------------------------------------

@pytest.fixture(scope="module")
def bowl_sweeps():
    surface = SURFACES["ill_conditioned_bowl"]
    lrs = np.logspace(-3, 1, 17)
    return {name: lr_sweep(name, surface, surface.start, 100, lrs=lrs) for name in ("sgd", "adam", "newton")}


def test_reaching_lrs_agree_with_the_score(bowl_sweeps):
    for result in bowl_sweeps.values():
        reached = reaching_lrs(result)
        assert np.array_equal(reached, result.scores <= 100)
    sgd = reaching_lrs(bowl_sweeps["sgd"])
    assert sgd.any() and not sgd.all()  # small lrs are too slow, large ones diverge


def test_lr_sensitivity_panels_files_and_markers(tmp_path, bowl_sweeps):
    surface = SURFACES["ill_conditioned_bowl"]
    first = save_panels(lr_sensitivity_panels(surface, bowl_sweeps), tmp_path / "a")
    again = save_panels(lr_sensitivity_panels(surface, bowl_sweeps), tmp_path / "b")
    assert [p.name for p in first] == ["sgd", "adam", "newton", "key"]
    for saved in first:
        data = (tmp_path / "a" / saved.file).read_bytes()
        assert data == (tmp_path / "b" / saved.file).read_bytes()  # deterministic bytes
        assert png_size(data) == (saved.width, saved.height)
    assert first == again

    panels = lr_sensitivity_panels(surface, bowl_sweeps)
    axes = [fig.axes[0] for fig in panels.figures.values()]
    assert all(ax.get_xscale() == "log" and ax.get_yscale() == "log" for ax in axes)
    # every panel has the same axes, so that they compare
    assert len({ax.get_xlim() for ax in axes}) == 1 and len({ax.get_ylim() for ax in axes}) == 1
    diverged = artists_with_gid(panels.figures["sgd"], "diverged")
    sgd = bowl_sweeps["sgd"]
    expected = ((sgd.metrics.diverged_at >= 0) & ~reaching_lrs(sgd)).sum()
    assert expected > 0 and len(diverged[0].get_xdata()) == expected
    # the failed markers sit in a row near the top of the axes, not at their (huge) values
    assert np.all(diverged[0].get_ydata() > 0.9)
    # every optimizer reaches the bowl's target
    assert all(len(artists_with_gid(fig, "best")) == 1 for fig in panels.figures.values())
    labels = [t.get_text() for t in panels.key.legends[0].get_texts()]
    assert "diverged" in labels and "target" in labels


def test_lr_sensitivity_uses_symlog_on_the_saddle():
    surface = SURFACES["saddle"]
    sweeps = {"adam": lr_sweep("adam", surface, surface.start, 50, lrs=np.logspace(-3, 0, 5))}
    panels = lr_sensitivity_panels(surface, sweeps)
    assert panels.figures["adam"].axes[0].get_yscale() == "symlog"


def test_smallest_text_is_measured_from_the_figure():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 2), dpi=100)
    ax = fig.add_subplot()
    ax.set_title("big", fontsize=20)
    ax.tick_params(labelsize=7.2)  # 10 px at 100 dpi: the smallest text
    assert smallest_text_px(fig) == pytest.approx(10.0)
    ax.tick_params(labelbottom=False, labelleft=False)  # hidden labels do not count
    assert smallest_text_px(fig) > 10.0


# --- basin maps -----------------------------------------------------------------------------

def test_basin_metrics_match_evaluate():
    surface = SURFACES["himmelblau"]
    result = basin_metrics(surface, "adam", {"lr": 0.1}, n=9, steps=40, max_bytes=2e4)  # several chunks
    # judged as optimizers.run_verified judges the same batch (held runs checked to 5 × 40 steps)
    _, metrics = run_verified(lambda index: make("adam", lr=0.1), surface, surface.grid(9).reshape(-1, 2), 40)
    assert result.steps == 40
    for field in ("steps_to_target", "nearest_minimum", "final_distance", "diverged_at"):
        assert np.array_equal(getattr(result, field).ravel(), getattr(metrics, field)), field
    assert np.array_equal(result.kind.ravel(), metrics.outcome.kind)


def test_sgd_on_the_bowl_arrives_from_everywhere():
    surface = SURFACES["ill_conditioned_bowl"]
    result = basin_metrics(surface, "sgd", {"lr": 0.5}, n=11, steps=300)
    assert result.steps_to_target.shape == (11, 11)
    assert np.all(result.steps_to_target >= 0)
    assert np.all(result.kind == "held")


def test_himmelblau_starts_end_in_their_own_minimum_and_other_outcomes():
    surface = SURFACES["himmelblau"]
    minima = surface.minima
    starts = (minima + 0.1).reshape(2, 2, 2)
    metrics = evaluate(run(make("sgd", lr=0.01), surface, starts, 300), surface)
    cats = basin_categories(surface, metrics)
    assert cats.index.tolist() == [[0, 1], [2, 3]]
    assert cats.labels[0] == f"minimum ({minima[0][0]:.2f}, {minima[0][1]:.2f})"

    maximum = next(p.location for p in surface.stationary_points if p.kind == "maximum")
    saddle = next(p.location for p in surface.stationary_points if p.kind == "saddle")
    starts = np.array([maximum, saddle, (3.0, 2.5), (1e7, 0.0)])
    # Newton from a stationary point stays there; from (3, 2.5) it needs more than 1 step.
    metrics = evaluate(run(make("newton"), surface, starts, 1), surface)
    cats = basin_categories(surface, metrics)
    assert [cats.labels[k] for k in cats.index] == [
        "stuck at a maximum", "stuck at a saddle", "still moving", "diverged"]


def test_hovering_near_a_minimum_gets_the_lighter_tint():
    surface = SURFACES["himmelblau"]
    fake = BasinMap(
        steps_to_target=np.array([-1, -1]),
        kind=np.array(["moving", "moving"]),
        nearest_minimum=np.array([2, 2]),
        final_distance=np.array([0.05, 1.0]),  # 1% of the plot width is 0.1
        diverged_at=np.array([-1, -1]),
        steps=10,
    )
    cats = basin_categories(surface, fake)
    assert cats.index[0] == 4 + 2 and cats.labels[cats.index[0]].startswith("near minimum")
    assert cats.labels[cats.index[1]] == "still moving"


def test_rastrigin_global_versus_local_minimum():
    surface = SURFACES["rastrigin"]
    starts = np.array([(0.05, -0.05), (1.02, 0.98), (-3.0, 2.0)])
    metrics = evaluate(run(make("sgd", lr=0.001), surface, starts, 300), surface)
    cats = basin_categories(surface, metrics)
    assert [cats.labels[k] for k in cats.index] == ["global minimum", "another local minimum",
                                                    "another local minimum"]


def test_basin_map_modes_markers_and_determinism(tmp_path):
    himmelblau = SURFACES["himmelblau"]
    maps = {name: basin_metrics(himmelblau, name, hp, n=12, steps=60)
            for name, hp in (("sgd", {"lr": 0.01}), ("newton", {}))}
    panels = basin_map_panels(himmelblau, maps)
    assert not panels.key.axes  # categorical: a legend, no colour bar
    for fig in panels.figures.values():
        assert len(artists_with_gid(fig, "minima")) == 1 and len(artists_with_gid(fig, "start")) == 1
    texts = legend_texts(panels.key)
    assert "stuck at a maximum" in texts  # Newton from the maximum's neighbourhood
    assert sum(t.startswith("minimum (") for t in texts) == 4
    first = save_panels(panels, tmp_path / "a")
    save_panels(basin_map_panels(himmelblau, maps), tmp_path / "b")
    for saved in first:
        assert (tmp_path / "a" / saved.file).read_bytes() == (tmp_path / "b" / saved.file).read_bytes()

    bowl = SURFACES["ill_conditioned_bowl"]
    panels = basin_map_panels(bowl, {"sgd": basin_metrics(bowl, "sgd", {"lr": 0.5}, n=8)})
    assert [ax.get_xlabel() for ax in panels.key.axes] == ["steps to the target"]  # one minimum: a colour bar
    # Metrics of a batched run are accepted too (with the run's length passed in)
    metrics = evaluate(run(make("sgd", lr=0.5), bowl, bowl.grid(8), 30), bowl)
    assert basin_map_panels(bowl, {"sgd": metrics}, steps=30).figures["sgd"]


def test_score_counts_runs_that_arrive_and_then_leave():
    # reaching_lrs relies on this reading of optimizers.sweep.score
    surface = SURFACES["saddle"]
    traj = run(make("adam", lr=0.5), surface, np.array([surface.start]), 100)
    metrics = evaluate(traj, surface)
    assert metrics.left_plot_at[0] > metrics.steps_to_target[0] >= 0
    assert score(traj, surface, metrics)[0] == metrics.steps_to_target[0]


def test_loss_curves_phone_rendering_is_narrow_with_the_legend_below(tmp_path):
    runs = [a_run("sgd", "rosenbrock", 40, lr=0.001), a_run("adam", "rosenbrock", 40, lr=0.1)]
    surface = SURFACES["rosenbrock"]
    wide_px = save_loss_curves(tmp_path / "wide.png", surface, runs)
    phone_px = save_loss_curves(tmp_path / "phone.png", surface, runs, phone=True)
    wide, phone = (png_size((tmp_path / f"{n}.png").read_bytes()) for n in ("wide", "phone"))
    # in a phone's 343 px column the phone rendering's text is at least 11 px
    assert phone[0] < wide[0] / 2 and phone_px * 343 / phone[0] >= 11
    assert phone_px >= wide_px  # the same text, on a narrower picture
    fig = loss_curves_figure(surface, runs, phone=True)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    legend, ax = fig.legends[0].get_window_extent(renderer), fig.axes[0].get_window_extent(renderer)
    assert legend.y1 <= ax.y0  # below the plot
