// Importing this module registers every update rule (as optimizers/algorithms/__init__.py).
import "./algorithms/sgd.js";
import "./algorithms/momentum.js";
import "./algorithms/nesterov.js";
import "./algorithms/adagrad.js";
import "./algorithms/rmsprop.js";
import "./algorithms/adam.js";
import "./algorithms/amsgrad.js";
import "./algorithms/nadam.js";
import "./algorithms/adadelta.js";
import "./algorithms/lion.js";
import "./algorithms/newton.js";

export { OPTIMIZERS, make, register } from "./base.js";
