"""The markup of a panel grid: one image per panel with its text size, and alternative
texts that say what each panel shows, from the numbers the build computed."""
from __future__ import annotations

import re

from build_assets.panel_markup import basin_alt, key_alt, sensitivity_alt, write_panel_snippet
from build_assets.render.panels import SavedPanel


def test_snippet_lists_every_panel_with_its_text_size(tmp_path):
    saved = [SavedPanel("sgd", "sgd.png", 345, 292, 19.79), SavedPanel("key", "key.png", 345, 400, 17.5)]
    write_panel_snippet(tmp_path, "cubic", "basins", saved, {"sgd": "SGD [a]: x.", "key": "Key: y."})
    text = (tmp_path / "cubic" / "basins.md").read_text()
    images = re.findall(r'!\[([^\]]*)\]\(([^)]*)\)\{ loading=lazy data-text-px="([\d.]+)" \}', text)
    assert images == [("SGD (a): x.", "../assets/generated/cubic/basins/sgd.png", "19.79"),
                      ("Key: y.", "../assets/generated/cubic/basins/key.png", "17.5")]
    assert text.startswith('<div class="atlas-panels" markdown>') and text.rstrip().endswith("</div>")


def test_sensitivity_alt_text():
    lrs = [1e-4, 1e-3, 1e-2, 1e-1, 1.0]
    none = {"count": 0, "reaching_lrs": None, "decades": 0.0, "best_lr": 1e-4}
    assert sensitivity_alt("sgd", lrs, none, {"diverged": 2, "left": 0}) == (
        "SGD: none of the 5 learning rates from 0.0001 to 1 reaches and holds the target; 2 diverge.")
    some = {"count": 2, "reaching_lrs": [0.001, 0.01], "decades": 1.0, "best_lr": 0.01}
    assert sensitivity_alt("rmsprop", lrs, some, {"diverged": 1, "left": 2}) == (
        "RMSprop: 2 of the 5 learning rates from 0.0001 to 1 reach and hold the target, between 0.001 "
        "and 0.01 (1.0 decades); the best, 0.01, arrives first; 1 diverges and 2 leave the plot.")


def test_basin_alt_text_lists_outcomes_largest_first():
    summary = {"kinds": {"held": 0.25, "diverged": 0.7, "moving": 0.05, "saddle": 0.0, "cycling": 0.001}}
    assert basin_alt("adam", 48, summary) == (
        "Adam: of 48 × 48 starts over the plot, 70% diverge, 25% arrive and hold the target, "
        "5% are still moving, under 1% cycle.")


def test_key_alt_text_joins_wrapped_labels():
    assert key_alt(["target", "lrs that reach\nthe target"], "panels") == (
        "Key to the panels: target; lrs that reach the target.")
