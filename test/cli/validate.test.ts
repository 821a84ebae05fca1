/** lake validate: exit codes fit for CI, messages with file:line:column, table, field and hint, JSON for tools. */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./support/mariadb";
import { lake, lakeProcess, tempTablesDir } from "./support/run";

interface ValidateJson {
  file: string;
  valid: boolean;
  issues: { file: string; line: number; column: number; table?: string; field: string; message: string; hint?: string }[];
  summary: { tables: number } | null;
}

/** The example file with two mistakes (a mixed-case name, a typo in a domain). */
function brokenDir(): { dir: string; nameLine: number; domainLine: number } {
  const dir = tempTablesDir();
  const file = join(dir, "tables.yaml");
  const text = readFileSync(file, "utf8")
    .replace("  - name: sales_return\n", "  - name: Return\n")
    .replace(
      "    domain: sales\n    tier: daily\n    strategy: append\n    key: event_id",
      "    domain: sale\n    tier: daily\n    strategy: append\n    key: event_id",
    );
  writeFileSync(file, text);
  const lines = text.split("\n");
  return {
    dir,
    nameLine: lines.indexOf("  - name: Return") + 1,
    domainLine: lines.findIndex((l, i) => l === "    domain: sale" && lines[i - 1] === "  - name: crm_activity_event") + 1,
  };
}

describe("lake validate", function () {
  this.timeout(60_000);

  it("exits 0 on the repository's tables.yaml (as a real process)", () => {
    const result = lakeProcess(["validate"]);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /tables\.yaml: valid: 45 tables/);
  });

  it("exits 1 listing every problem with file:line:column, table, field and hint (as a real process)", () => {
    const { dir, nameLine, domainLine } = brokenDir();
    assert.ok(nameLine > 0 && domainLine > 0, "fixture edits must apply");
    const result = lakeProcess(["validate", "tables.yaml"], dir);
    assert.equal(result.code, 1);
    assert.match(
      result.err,
      new RegExp(`^tables\\.yaml:${nameLine}:11: table Return, field name: .*upper-case.*\\(hint: .*"return".*source`, "m"),
    );
    assert.match(
      result.err,
      new RegExp(
        `^tables\\.yaml:${domainLine}:13: table crm_activity_event, field domain: unknown domain "sale" \\(hint: did you mean "sales"\\?\\)`,
        "m",
      ),
    );
    assert.match(result.err, /2 problems$/m);
  });

  it("--format json gives tools the issues and a summary", async () => {
    const { dir, domainLine } = brokenDir();
    const bad = await lake(["validate", "--format", "json"], dir);
    assert.equal(bad.code, 1);
    const json = JSON.parse(bad.out) as ValidateJson;
    assert.equal(json.valid, false);
    assert.equal(json.summary, null);
    const domain = json.issues.find((i) => i.field === "domain");
    assert.deepEqual(
      { line: domain?.line, table: domain?.table, hint: domain?.hint },
      { line: domainLine, table: "crm_activity_event", hint: 'did you mean "sales"?' },
    );
    const good = await lake(["validate", join(REPO_ROOT, "tables.yaml"), "--format", "json"]);
    assert.equal(good.code, 0);
    const ok = JSON.parse(good.out) as ValidateJson;
    assert.equal(ok.valid, true);
    assert.equal(ok.summary?.tables, 45);
  });

  it("--format github prints workflow annotations", async () => {
    const { dir, domainLine } = brokenDir();
    const result = await lake(["validate", "--format", "github"], dir);
    assert.equal(result.code, 1);
    assert.match(result.err, new RegExp(`^::error file=tables\\.yaml,line=${domainLine},col=13::`, "m"));
  });

  it("--stack checks access roles against the stack's lake:rolePrincipals", async () => {
    const dir = tempTablesDir();
    const file = join(dir, "tables.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("\ntables:\n", "\n  auditor:\n    domains: [finance]\n    pii: false\n\ntables:\n"),
    );
    assert.equal((await lake(["validate"], dir)).code, 0, "without --stack any role is fine");
    const result = await lake(["validate", "--stack", "dev"], dir);
    assert.equal(result.code, 1);
    assert.match(result.err, /auditor/);
  });

  it("exits 2 on usage errors: unknown option, bad format, missing file, unknown command", async () => {
    const cases: string[][] = [["validate", "--strict"], ["validate", "--format", "xml"], ["validate", "nope.yaml"], ["frobnicate"]];
    for (const args of cases) {
      const result = await lake(args);
      assert.equal(result.code, 2, `lake ${args.join(" ")}: ${result.err}`);
      assert.ok(result.err.length > 0);
    }
  });
});
