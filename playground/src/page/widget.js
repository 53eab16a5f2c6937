// The playground widget: controls, the contour view, the loss chart and the readout, kept
// in step with one state object that also lives in the URL.
import atlas from "../atlas.js";
import { createChart } from "./chart.js";
import { createRunCache } from "./compute.js";
import { createContour } from "./contour.js";
import { announcement, describeChart, describePlot } from "./describe.js";
import { h, swatch } from "./dom.js";
import { plotHeight, roundToPlot } from "./geometry.js";
import { hyperparameterFields } from "./hyperparameters.js";
import { createPlayer, prefersReducedMotion } from "./player.js";
import { MAX_BUDGET, PRESETS, fromQuery, initialState, insideBounds, optimizerNames, presetHparams, toQuery } from "./state.js";
import { createReadout, setText } from "./readout.js";
import { SURFACES } from "../surfaces.js";

const SPEEDS = [5, 15, 30, 60, 120, 300];
const HORIZON_FACTOR = atlas.constants.HORIZON_FACTOR;
const URL_DELAY_MS = 100;
const READOUT_INTERVAL_MS = 100;
const DESCRIBE_DELAY_MS = 400; // the text alternatives follow a moment after the last change

export function createWidget(root) {
  const computeRuns = createRunCache();
  const fromUrl = fromQuery(location.search);
  let state = fromUrl.state;
  const urlHadStep = new URLSearchParams(location.search).has("step");
  let runs = null;
  let readoutAt = 0; // when the readout last followed the step
  let geometry = null;

  const surfaceSelect = h("select", { id: "oa-pg-surface", onchange: () => changeSurface(surfaceSelect.value) },
    Object.entries(atlas.surfaces).map(([key, s]) => h("option", { value: key, text: s.title })));
  const presetButtons = Object.entries(PRESETS).map(([preset, label]) =>
    h("button", { type: "button", "data-preset": preset, text: label, onclick: () => applyPreset(preset) }));
  const budgetInput = h("input", { type: "number", id: "oa-pg-budget", min: 1, max: MAX_BUDGET, step: 1,
    onchange: () => changeBudget() });
  const message = h("p", { class: "oa-pg-error", role: "alert" });
  if (fromUrl.refused.length) message.textContent = `From the address, refused and left at the defaults: ${fromUrl.refused.join("; ")}.`;
  const plotDescription = h("p", { id: "oa-pg-plot-description", class: "oa-pg-sr" });
  const chartDescription = h("p", { id: "oa-pg-chart-description", class: "oa-pg-sr" });
  const announcer = h("p", { role: "status", class: "oa-pg-sr" });
  const plotCanvas = h("canvas", { tabindex: 0, role: "img", "aria-describedby": plotDescription.id,
    "aria-label": "Contour plot with the optimizers' paths. Click or drag to set the start; the arrow keys step back and forth." });
  const chartCanvas = h("canvas", { role: "img", "aria-label": "Loss per step of every optimizer shown",
    "aria-describedby": chartDescription.id });
  const readoutBody = h("tbody");
  const readout = createReadout(readoutBody);
  const playButton = h("button", { type: "button", "aria-pressed": "false", onclick: () => player.toggle() }, "▶ Play");
  const scrub = h("input", { type: "range", min: 0, step: 1, "aria-label": "Step",
    oninput: () => setStep(Number(scrub.value), { announce: "" }) }); // the slider speaks for itself
  const statusText = document.createTextNode("");
  const status = h("output", { class: "oa-pg-status", "aria-live": "off" }, statusText);
  const speedSelect = h("select", { id: "oa-pg-speed", onchange: () => { player.speed = Number(speedSelect.value); } },
    SPEEDS.map((s) => h("option", { value: s, text: `${s} steps/s` })));
  speedSelect.value = "30";
  const optimizerPanels = h("div", { class: "oa-pg-opts" });
  const panels = {};

  const player = createPlayer({
    getStep: () => state.step, setStep: (step) => setStep(step, { quiet: true }), getEnd: () => state.budget,
    isAttached: () => root.isConnected,
    onChange: (playing) => {
      playButton.textContent = playing ? "❚❚ Pause" : "▶ Play";
      playButton.setAttribute("aria-pressed", String(playing));
      if (!playing) {
        readout.update(state, runs); // it may lag a playing run by a few frames
        writeUrl();
        describeLater();
      }
    },
  });

  root.replaceChildren(h("div", { class: "oa-pg" },
    h("div", { class: "oa-pg-bar" },
      h("label", { for: "oa-pg-surface" }, "Surface", surfaceSelect),
      h("span", { class: "oa-pg-presets", role: "group", "aria-label": "Preset" }, "Preset:", presetButtons),
      h("label", { for: "oa-pg-budget" }, "Steps", budgetInput)),
    message,
    h("div", { class: "oa-pg-views" },
      h("div", { class: "oa-pg-plot" }, plotCanvas, plotDescription),
      h("div", { class: "oa-pg-chart" }, chartCanvas, chartDescription)),
    announcer,
    h("div", { class: "oa-pg-transport" },
      h("button", { type: "button", onclick: () => { player.pause(); setStep(0); } }, "Reset"),
      h("button", { type: "button", onclick: () => { player.pause(); setStep(state.step - 1); } }, "◀ Back"),
      playButton,
      h("button", { type: "button", onclick: () => { player.pause(); setStep(state.step + 1); } }, "Step ▶"),
      scrub, status,
      h("label", { for: "oa-pg-speed" }, "Speed", speedSelect)),
    h("div", { class: "oa-pg-table" }, h("table", { class: "oa-pg-readout" },
      h("thead", {}, h("tr", {}, ["Optimizer", "step", "f", "|∇f|", `outcome (run on to ${HORIZON_FACTOR}× the steps)`]
        .map((t) => h("th", { scope: "col", text: t })))),
      readoutBody)),
    h("h3", { text: "Optimizers" }),
    optimizerPanels));

  function buildOptimizerPanels() {
    optimizerPanels.replaceChildren();
    for (const name of optimizerNames(state.surface)) {
      const box = h("input", { type: "checkbox", id: `oa-pg-on-${name}`, checked: state.on.includes(name) || null,
        onchange: () => toggle(name, box.checked) });
      const fields = hyperparameterFields(name, state.hparams[name], (key, value) => {
        state.hparams[name] = { ...state.hparams[name], [key]: value };
        recompute();
      });
      panels[name] = { box, fields };
      optimizerPanels.append(h("div", { class: "oa-pg-opt" },
        h("label", { for: `oa-pg-on-${name}` }, box, swatch(atlas.styles[name]), atlas.optimizers[name].title),
        fields.element));
    }
  }

  function toggle(name, on) {
    const order = optimizerNames(state.surface);
    state.on = order.filter((n) => (n === name ? on : state.on.includes(n)));
    recompute();
  }

  function changeSurface(key) {
    player.pause();
    state = { ...initialState(key), on: state.on };
    buildOptimizerPanels();
    recompute({ step: startingStep() });
  }

  function applyPreset(preset) {
    player.pause();
    const fresh = initialState(state.surface);
    state = { ...state, hparams: presetHparams(state.surface, preset), start: fresh.start, budget: fresh.budget };
    for (const name of Object.keys(panels)) panels[name].fields.set(state.hparams[name]);
    recompute({ step: startingStep() });
  }

  function changeBudget() {
    const value = Number(budgetInput.value);
    if (!Number.isInteger(value) || value < 1 || value > MAX_BUDGET) {
      message.textContent = `Steps = ${budgetInput.value || "(empty)"} refused: it must be a whole number from 1 to ${MAX_BUDGET}.`;
      budgetInput.setAttribute("aria-invalid", "true");
      return;
    }
    message.textContent = "";
    budgetInput.removeAttribute("aria-invalid");
    state.budget = value;
    recompute({ step: Math.min(state.step, value) });
  }

  function setStart(point) {
    if (!insideBounds(state.surface, point)) return;
    state.start = roundToPlot(SURFACES[state.surface].bounds, point);
    recompute({ step: state.budget });
  }

  /** Reduced motion: the whole run at once; otherwise from step 0, played. */
  function startingStep() { return prefersReducedMotion() ? state.budget : 0; }

  /** After a change of settings: the runs, the controls that show them, and everything drawn. */
  function recompute({ step = state.step, quiet = false, announce = "outcomes" } = {}) {
    runs = computeRuns(state);
    surfaceSelect.value = state.surface;
    if (document.activeElement !== budgetInput) budgetInput.value = String(state.budget);
    scrub.max = String(state.budget);
    for (const [name, { box }] of Object.entries(panels)) box.checked = state.on.includes(name);
    setStep(step, { quiet, announce });
  }

  /** Show step `step`. quiet: leave the URL (a playing run writes it when it stops);
   * announce: what a screen reader hears once the reader stops ("step", "outcomes" or ""). */
  function setStep(step, { quiet = false, announce = "step" } = {}) {
    state.step = Math.max(0, Math.min(state.budget, Math.round(step)));
    render();
    if (!quiet) writeUrl();
    if (!player.playing) describeLater(announce);
  }

  // Written a moment after the last change (scrubbing would otherwise write on every input).
  let urlTimer = 0;
  function writeUrl() {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      if (!root.isConnected) return; // the reader has navigated away
      history.replaceState(history.state, "", `${location.pathname}?${toQuery(state)}${location.hash}`);
    }, URL_DELAY_MS);
  }

  // The canvases' text alternatives, and the announcement, follow a moment after the last
  // change and not while a run plays: a screen reader hears where things stand once.
  let describeTimer = 0, pendingAnnouncement = "";
  function describeLater(announce = "step") {
    if (announce === "outcomes" || !pendingAnnouncement) pendingAnnouncement = announce;
    clearTimeout(describeTimer);
    describeTimer = setTimeout(() => {
      if (!root.isConnected || player.playing) return;
      setText(plotDescription.firstChild ?? plotDescription.appendChild(document.createTextNode("")), describePlot(state, runs));
      setText(chartDescription.firstChild ?? chartDescription.appendChild(document.createTextNode("")), describeChart(state, runs));
      if (pendingAnnouncement) announcer.textContent = announcement(state, runs, { outcomes: pendingAnnouncement === "outcomes" });
      pendingAnnouncement = "";
    }, DESCRIBE_DELAY_MS);
  }

  /** Everything that follows the step: drawn on every frame of a playing run, so it writes
   * only what changed. */
  function render() {
    const step = String(state.step);
    if (scrub.value !== step) scrub.value = step;
    const valueText = `step ${state.step} of ${state.budget}`;
    if (scrub.getAttribute("aria-valuetext") !== valueText) scrub.setAttribute("aria-valuetext", valueText);
    setText(statusText, `step ${state.step} / ${state.budget}`);
    // The widths are measured when the layout changes (below), not here: reading them after
    // the readout's update would force a layout on every frame.
    const width = Math.max(260, widths.plot || 600);
    const height = plotHeight(SURFACES[state.surface].bounds, width);
    geometry = contour.update(width, height, state, runs);
    const chartWidth = Math.max(240, widths.chart || 400);
    chart.update(chartWidth, Math.round(Math.min(height, 360, chartWidth * 0.75)), state, runs);
    // While a run plays the numbers change faster than anyone reads them: the table follows
    // a few times a second (each update costs a layout), the views every frame.
    const now = performance.now();
    if (!player.playing || now - readoutAt >= READOUT_INTERVAL_MS || state.step >= state.budget) {
      readout.update(state, runs);
      readoutAt = now;
    }
  }

  // Pointer: click or drag on the plot sets the start.
  let dragging = false;
  const pointAt = (event) => {
    const rect = plotCanvas.getBoundingClientRect();
    return geometry.toPoint([event.clientX - rect.left, event.clientY - rect.top]);
  };
  plotCanvas.addEventListener("pointerdown", (event) => {
    player.pause();
    dragging = true;
    plotCanvas.setPointerCapture(event.pointerId);
    setStart(pointAt(event));
  });
  plotCanvas.addEventListener("pointermove", (event) => { if (dragging) setStart(pointAt(event)); });
  plotCanvas.addEventListener("pointerup", () => { dragging = false; });
  // Keyboard: Space plays or pauses (except on controls that use it); arrows step on the plot.
  root.addEventListener("keydown", (event) => {
    const onControl = event.target.closest("button, input, select, textarea, a, label");
    if (event.key === " " && !onControl) { event.preventDefault(); player.toggle(); return; }
    if (event.target === plotCanvas && ["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) {
      event.preventDefault();
      player.pause();
      const step = { ArrowLeft: state.step - 1, ArrowRight: state.step + 1, Home: 0, End: state.budget }[event.key];
      setStep(step);
    }
  });
  const widths = { plot: 0, chart: 0 };
  const measure = () => {
    widths.plot = plotCanvas.parentElement.clientWidth;
    widths.chart = chartCanvas.parentElement.clientWidth;
  };
  const resize = new ResizeObserver(() => {
    if (!root.isConnected) return;
    const before = `${widths.plot}|${widths.chart}`;
    measure();
    if (`${widths.plot}|${widths.chart}` !== before) render();
  });
  resize.observe(root);

  const contour = createContour(plotCanvas.parentElement, plotCanvas);
  const chart = createChart(chartCanvas.parentElement, chartCanvas);
  buildOptimizerPanels();
  measure();
  // (The URL is left as it came until the reader changes something; nothing is announced.)
  recompute({ step: urlHadStep ? state.step : startingStep(), quiet: true, announce: "" });
  if (!urlHadStep && !prefersReducedMotion()) player.play();
  return {
    get state() { return state; },
    get runs() { return runs; },
    /** The plot rectangle in CSS pixels, relative to the canvas. */
    plotRect: () => ({ left: geometry.left, top: geometry.top, width: geometry.width, height: geometry.height }),
    player,
    destroy: () => { player.pause(); resize.disconnect(); },
  };
}
