// The readout under the plot: per optimizer shown, the current step, f, |∇f| and how the
// run ended. Its rows are built when the runs change; while a run plays only the text of
// the cells whose value changed is rewritten (rebuilding the table every frame cost a
// layout per frame).
import atlas from "../atlas.js";
import { SURFACES } from "../surfaces.js";
import { gradNorm } from "./compute.js";
import { h, swatch } from "./dom.js";
import { fmt, outcomeText } from "./format.js";

/** The readout in `tbody`; update(state, runs) brings it to the state's step. */
export function createReadout(tbody) {
  let shown = { runs: null, on: "" };
  let rows = [];

  function build(state, runs) {
    const surface = SURFACES[state.surface];
    rows = state.on.map((name) => {
      const cells = { step: text(), f: text(), grad: text() };
      tbody.append(h("tr", { "data-optimizer": name },
        h("th", { scope: "row" }, swatch(atlas.styles[name]), " ", atlas.optimizers[name].title),
        h("td", {}, cells.step), h("td", {}, cells.f), h("td", {}, cells.grad),
        h("td", { text: outcomeText(runs[name].outcome, surface, runs[name].leftPlotAt) })));
      return { name, cells };
    });
  }

  return {
    update(state, runs) {
      if (shown.runs !== runs || shown.on !== state.on.join()) {
        tbody.replaceChildren();
        build(state, runs);
        shown = { runs, on: state.on.join() };
      }
      for (const { name, cells } of rows) {
        const run = runs[name];
        setText(cells.step, String(state.step));
        setText(cells.f, fmt(run.losses[state.step]));
        setText(cells.grad, fmt(gradNorm(state.surface, run, state.step)));
      }
    },
  };
}

const text = () => document.createTextNode("");

/** Rewrite a text node only when its text changes (an unchanged write still costs a layout). */
export function setText(node, value) {
  if (node.data !== value) node.data = value;
}
