/** Production code never depends on the demo: scripts/, handlers/, components/, stacks/ and model/ import nothing from demo/. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_ROOT } from "../../stacks/program";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "__pycache__") return [];
    return statSync(path).isDirectory() ? files(path) : /\.(ts|py|sh)$/.test(name) ? [path] : [];
  });
}

describe("layering", () => {
  it("no production file imports or runs anything under demo/", () => {
    const offenders = ["scripts", "handlers", "components", "stacks", "model"]
      .flatMap((dir) => files(join(REPO_ROOT, dir)))
      .filter((file) =>
        /(from\s+["'](\.\.\/)+demo\/|require\(["'](\.\.\/)+demo\/|^import demo|^from demo)/m.test(readFileSync(file, "utf8")),
      )
      .map((file) => relative(REPO_ROOT, file));
    assert.deepEqual(offenders, []);
  });
});
