// The public contract of the JavaScript core (see playground/README.md): the registries
// keyed as in Python and run(name, hparams, surfaceKey, x0, steps) -> {points, losses, divergedAt};
// `schedules` mirrors optimizers.schedules (lr may be a schedule or its describe() object).
export { OPTIMIZERS, make } from "./optimizers/index.js";
export { SURFACES } from "./surfaces.js";
export { run, trajectory, violation, withDefaults } from "./runner.js";
export { classify, classifyTrajectory, horizonFor } from "./outcomes.js";
export { default as atlas } from "./atlas.js";
export * as schedules from "./schedules.js";
