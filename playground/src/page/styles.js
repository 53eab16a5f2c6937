// The widget's stylesheet, injected once; colours follow Material's light and dark schemes
// through its CSS variables, and the plots are shown in dark mode as the site's figures are.
const CSS = `
.oa-pg { --oa-gap: .6rem; display: grid; gap: var(--oa-gap); }
.oa-pg-bar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; }
.oa-pg-bar label { display: inline-flex; gap: .35rem; align-items: center; }
.oa-pg button, .oa-pg select, .oa-pg input[type=number] {
  font: inherit; font-size: .72rem; color: var(--md-default-fg-color); background: var(--md-default-bg-color);
  border: 1px solid var(--md-default-fg-color--lighter); border-radius: .2rem; padding: .2rem .45rem; }
.oa-pg button[aria-pressed=true] { background: var(--md-accent-fg-color--transparent); border-color: var(--md-accent-fg-color); }
.oa-pg input[type=number] { width: 6.5rem; }
.oa-pg :focus-visible { outline: 2px solid var(--md-accent-fg-color); outline-offset: 2px; }
.oa-pg-views { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: var(--oa-gap); align-items: start; }
@media (max-width: 76.25em) { .oa-pg-views { grid-template-columns: minmax(0, 1fr); } }
.oa-pg-table { overflow-x: auto; }
.oa-pg-plot { position: relative; }
.oa-pg-plot canvas { display: block; position: relative; touch-action: none; cursor: crosshair; border-radius: .2rem; }
.oa-pg-plot canvas.oa-pg-background { position: absolute; left: 0; top: 0; }
.oa-pg-chart { position: relative; }
.oa-pg-chart canvas { display: block; border-radius: .2rem; }
/* The step cursor over the chart: moved by a transform, on its own layer (no repaint). */
.oa-pg-cursor { position: absolute; left: 0; width: 1px; background: #555; will-change: transform; pointer-events: none; }
[data-md-color-scheme=slate] .oa-pg-cursor { background: #bbb; }
/* Read by screen readers, not shown (the canvases' descriptions, the announcements). */
.oa-pg-sr { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }
.oa-pg-transport { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
.oa-pg-transport input[type=range] { flex: 1 1 12rem; min-width: 8rem; }
.oa-pg-readout { font-size: .68rem; width: 100%; display: table !important; }
.oa-pg-readout td, .oa-pg-readout th { padding: .2rem .4rem !important; vertical-align: top; text-align: left; }
.oa-pg-readout tbody th { font-weight: normal; }
.oa-pg-readout td:nth-child(2), .oa-pg-readout td:nth-child(3), .oa-pg-readout td:nth-child(4) { font-variant-numeric: tabular-nums; }
.oa-pg-opts { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .4rem; }
.oa-pg-opt { border: 1px solid var(--md-default-fg-color--lightest); border-radius: .2rem; padding: .3rem .5rem; font-size: .7rem; }
.oa-pg-opt > label { display: flex; gap: .4rem; align-items: center; font-weight: 600; }
.oa-pg-field { display: grid; grid-template-columns: 3.6rem minmax(0, 1fr); gap: 0 .4rem; align-items: center; margin-top: .25rem; }
.oa-pg-field small { grid-column: 2; color: var(--md-default-fg-color); }
.oa-pg-inputs { display: flex; gap: .4rem; align-items: center; }
.oa-pg-inputs input[type=range] { flex: 1 1 3rem; min-width: 3rem; margin: 0; }
.oa-pg-inputs input[type=number] { width: 6.2em; flex: 0 0 auto; }
.oa-pg-error { color: #c62828; margin: .2rem 0 0; font-size: .68rem; min-height: 0; }
[data-md-color-scheme=slate] .oa-pg-error { color: #ff8a80; }
.oa-pg-swatch { vertical-align: middle; background: #fff; border-radius: 2px; }
/* Dark mode: the plots as the site's generated figures (docs/stylesheets/figures.css), their
   lightness inverted and hues turned back, so the optimizers keep their colours' hues. */
[data-md-color-scheme=slate] .oa-pg canvas, [data-md-color-scheme=slate] .oa-pg-swatch { filter: invert(0.9) hue-rotate(180deg); }
.oa-pg-status { font-variant-numeric: tabular-nums; min-width: 8rem; }
`;

export function injectStyles() {
  if (document.getElementById("oa-pg-style")) return;
  const style = document.createElement("style");
  style.id = "oa-pg-style";
  style.textContent = CSS;
  document.head.append(style);
}
