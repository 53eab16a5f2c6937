// Per-optimizer hyperparameter fields: the learning rate on a log slider plus a number
// field, the other parameters as number fields, with the ranges of optimizers.make. An
// invalid value is refused with a message and the last valid one is kept.
import atlas from "../atlas.js";
import { violation } from "../runner.js";
import { h } from "./dom.js";

const LOG_LR = [-5, 1]; // the slider's range, log10 of the learning rate (the field takes any rate)

function rangeText(kind) {
  return { rate: "> 0", decay: "in [0, 1)", eps: "≥ 0" }[kind];
}

/** The fields of optimizer `name`; `onChange(key, value)` is called with valid values only. */
export function hyperparameterFields(name, values, onChange) {
  const hypers = atlas.optimizers[name].hypers;
  const message = h("p", { class: "oa-pg-error", role: "alert" });
  const fields = {};
  const rows = Object.entries(hypers).map(([key, hyper]) => {
    const id = `oa-pg-${name}-${key}`;
    const number = h("input", { type: "number", id, step: "any", value: String(values[key]),
      "aria-describedby": `${id}-range`, inputmode: "decimal" });
    let slider = null;
    const commit = (value, source) => {
      const reason = Number.isNaN(value) ? "is not a number" : violation(hyper.kind, value);
      if (reason) {
        message.textContent = `${atlas.optimizers[name].title}: ${key} = ${source.value || "(empty)"} refused: ${reason === "is not a number" ? reason : reason.replace("must", "it must")}.`;
        number.setAttribute("aria-invalid", "true");
        return;
      }
      message.textContent = "";
      number.removeAttribute("aria-invalid");
      if (source !== number) number.value = String(value);
      if (slider && source !== slider) slider.value = String(Math.log10(value));
      onChange(key, value);
    };
    number.addEventListener("change", () => commit(number.value.trim() === "" ? NaN : Number(number.value), number));
    if (hyper.kind === "rate") {
      slider = h("input", { type: "range", min: LOG_LR[0], max: LOG_LR[1], step: "0.01",
        value: String(Math.log10(values[key])), "aria-label": `${key} (log scale)` });
      slider.addEventListener("input", () => commit(Number((10 ** Number(slider.value)).toPrecision(3)), slider));
    }
    fields[key] = { number, slider };
    return h("div", { class: "oa-pg-field" },
      h("label", { for: id, text: key }), h("div", { class: "oa-pg-inputs" }, slider, number),
      h("small", { id: `${id}-range`, text: rangeText(hyper.kind) }));
  });
  const set = (newValues) => {
    for (const [key, { number, slider }] of Object.entries(fields)) {
      number.value = String(newValues[key]);
      number.removeAttribute("aria-invalid");
      if (slider) slider.value = String(Math.log10(newValues[key]));
    }
    message.textContent = "";
  };
  return { element: h("div", { class: "oa-pg-hypers" }, rows, message), set };
}
