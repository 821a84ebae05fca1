#!/usr/bin/env node
// Launcher of the repository's CLI (not shipped in the library package): runs the TypeScript CLI through ts-node
// (transpile only; `npm run typecheck` is the type check), with the repository's tsconfig.
/* global require, __dirname, process, console */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS shim that loads the TypeScript CLI */
const path = require("node:path");
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") });
const { main } = require("./index.ts");
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
