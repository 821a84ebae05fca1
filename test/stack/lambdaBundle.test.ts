/** The coordinator ships as one esbuild bundle that loads on its own and exports the handler. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleHandler } from "../../components/lambdaBundle";
import { REPO_ROOT } from "../../stacks/program";

describe("coordinator bundle", function () {
  this.timeout(60_000);

  it("bundles handlers/coordinator into a self-contained file exporting handler", () => {
    const bundle = bundleHandler(join(REPO_ROOT, "handlers/coordinator/index.ts"));
    assert.ok(bundle.bytes > 10_000, "bundles its dependencies (AWS SDK v3, the model)");
    const dir = mkdtempSync(join(tmpdir(), "bundle-"));
    const file = join(dir, "index.js");
    writeFileSync(file, bundle.code);
    // Loaded from a folder with no node_modules: it must need nothing outside itself.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the built artifact itself is the test
    const loaded = require(file) as { handler?: unknown };
    assert.equal(typeof loaded.handler, "function");
  });
});
