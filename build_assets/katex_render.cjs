// Typesets formulas for build_assets/math_typeset.py with KaTeX from node_modules.
//
// Protocol (one process serves a whole build): each line on stdin is a JSON array of
// requests [{"tex": "...", "display": true|false}, ...]; for each line, one line on stdout
// with a JSON array of the same length: {"html": "..."} or {"error": "KaTeX's message"}.
// Batching a page's formulas into one line keeps the pipes from filling up in both
// directions at once.
"use strict";

const readline = require("node:readline");
const katex = require("katex");

// strict "error": what KaTeX would only warn about in the browser fails the build.
const OPTIONS = { throwOnError: true, strict: "error", output: "htmlAndMathml" };

function typeset({ tex, display }) {
  try {
    return { html: katex.renderToString(tex, { ...OPTIONS, displayMode: display }) };
  } catch (error) {
    return { error: String(error.message || error).replace(/\s+/g, " ") };
  }
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  process.stdout.write(JSON.stringify(JSON.parse(line).map(typeset)) + "\n");
});
