// The build's export (build_assets/playground.py): settings, hyperparameter specs,
// surface metadata, outcome parameters, styles and constants such as NAdam's
// MOMENTUM_DECAY. One source of truth: nothing here is typed a second time. esbuild
// inlines it into the page's bundle; Node reads it from the build output.
import atlas from "../../docs/assets/generated/playground/atlas.json" with { type: "json" };

export default atlas;
