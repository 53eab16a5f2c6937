// The page's entry point (bundled by esbuild): mounts the playground on its element and
// exposes the core as window.OptimizerAtlas for browser tests and curious readers.
import * as core from "../index.js";
import { injectStyles } from "./styles.js";
import { createWidget } from "./widget.js";

let widget = null;

export function mount(root) {
  if (root.dataset.mounted === "true") return widget;
  root.dataset.mounted = "true";
  injectStyles();
  widget?.destroy();
  widget = createWidget(root);
  window.OptimizerAtlas = { ...core, widget };
  return widget;
}

window.OptimizerAtlas = { ...core };
