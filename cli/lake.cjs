#!/usr/bin/env node
// Entry for package.json "bin": {"lake": "cli/lake.cjs"}: runs the TypeScript CLI through ts-node
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
