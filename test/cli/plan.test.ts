/**
 * lake plan between two commits of a fixture git repository: tables added and moved, no resource
 * change for plain table additions, resource and access changes when an access rule changes, and
 * a cost estimate that follows the schedule.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lake, tempTablesDir } from "./support/run";

const NEW_TABLE = `
  - name: loyalty_account
    domain: sales
    tier: daily
    strategy: incremental
    cursor: updated_at
    primaryKey: [loyalty_account_id]
    pii: [card_holder_name]
    description: Loyalty programme accounts.
`;

function git(dir: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.name=lake test", "-c", "user.email=lake@example.com", ...args], { cwd: dir, stdio: "pipe" });
}

/** Month cost of a tier and its change against the base, from the plan's cost table ("+$0.59", "−$1.20"). */
function monthCost(markdown: string, tier: string): { month: number; delta: number } {
  const row = markdown.split("\n").find((l) => l.startsWith(`| ${tier} |`));
  assert.ok(row, `no cost row for ${tier}`);
  const cells = row.split("|").map((c) => c.trim());
  const delta = /^([+−])\$(\d+\.\d{2})$/.exec(cells[11]);
  assert.ok(delta, `not a signed amount: ${cells[11]}`);
  return { month: Number(cells[10].replace("$", "")), delta: (delta[1] === "−" ? -1 : 1) * Number(delta[2]) };
}

describe("lake plan (fixture git repository, offline synthesis)", function () {
  this.timeout(180_000);
  let dir: string;
  let file: string;
  before(() => {
    dir = tempTablesDir();
    file = join(dir, "tables.yaml");
    git(dir, "init", "-q");
    git(dir, "add", "tables.yaml");
    git(dir, "commit", "-q", "-m", "base");
    const moved = readFileSync(file, "utf8").replace(
      "  - name: price_list\n    domain: sales\n    tier: daily\n",
      "  - name: price_list\n    domain: sales\n    tier: every_15_min\n",
    );
    assert.notEqual(moved, readFileSync(file, "utf8"), "fixture edit must apply");
    writeFileSync(file, moved.trimEnd() + "\n" + NEW_TABLE);
    git(dir, "commit", "-q", "-am", "onboard loyalty_account, price_list every 15 minutes");
  });

  it("lists added and moved tables, says no resource changes, and prices the move (--base HEAD~1)", async () => {
    const result = await lake(["plan", "--base", "HEAD~1"], dir);
    assert.equal(result.code, 0, result.err);
    const md = result.out;
    assert.match(md, /^<!-- lake-plan -->/);
    assert.match(md, /1 added, 0 removed, 1 moved between tiers/);
    assert.match(
      md,
      /\| loyalty_account \| {2}\| sales \| daily \| incremental cursor updated_at \| loyalty_account_id \| card_holder_name \|/,
    );
    assert.match(md, /`price_list`: daily → every_15_min/);
    assert.match(md, /\*\*No resource changes\*\*: base and head both synthesize the same \d+ resources/);
    assert.match(md, /No access change\./);
    // One more table every 15 minutes on workdays costs more; the daily tier reads one more table too.
    assert.ok(monthCost(md, "every_15_min").delta > 0, `every_15_min: ${monthCost(md, "every_15_min").delta}`);
    assert.ok(monthCost(md, "daily").delta > 0, `daily: ${monthCost(md, "daily").delta}`);
    assert.match(md, /\$0\.44 standard, \$0\.29 Flex/);
  });

  it("shows resource and access changes when an access rule changes (working tree vs --base HEAD)", async () => {
    const text = readFileSync(file, "utf8");
    const widened = text.replace(
      "  finance_analyst:\n    domains: [finance, sales]\n",
      "  finance_analyst:\n    domains: [finance, sales, hr]\n",
    );
    assert.notEqual(widened, text);
    writeFileSync(file, widened);
    try {
      const result = await lake(["plan", "--base", "HEAD", "--no-resources"], dir);
      assert.equal(result.code, 0, result.err);
      assert.match(result.out, /`finance_analyst` on `hr`: – → \*\*read, PII hidden\*\*/);
      assert.doesNotMatch(result.out, /### Resources/);
      const full = await lake(["plan", "--base", "HEAD"], dir);
      assert.equal(full.code, 0, full.err);
      assert.match(full.out, /access rule finance_analyst changed/);
      assert.doesNotMatch(full.out, /No resource changes/);
      // Exactly the role's two grants change, with the domain added to their LF-tag expression.
      const updates = full.out.split("\n").filter((l) => /^\| (add|update|delete) \|/.test(l));
      assert.equal(updates.length, 2, updates.join("\n"));
      for (const row of updates) {
        assert.match(
          row,
          /^\| update \| aws:lakeformation\/permissions:Permissions \| acme-dev-grant-finance_analyst-(databases|tables) \|/,
        );
        assert.match(row, /lfTagPolicy\.expressions\[0\]\.values: \[finance, sales\] → \[finance, hr, sales\]/);
      }
    } finally {
      writeFileSync(file, text);
    }
  });

  it("uses the cost options and stops on a head that does not validate (exit 1)", async () => {
    const cheap = await lake(["plan", "--base", "HEAD", "--no-resources", "--price-flex", "0", "--price-standard", "0"], dir);
    assert.equal(cheap.code, 0, cheap.err);
    assert.match(cheap.out, /\*\*Total ≈ \$0\.00 per month\*\*/);
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace("tier: every_15_min\n", "tier: every_15\n"));
    try {
      const bad = await lake(["plan", "--base", "HEAD"], dir);
      assert.equal(bad.code, 1);
      assert.match(bad.err, /field tier: unknown tier "every_15"/);
    } finally {
      writeFileSync(file, text);
    }
    const usage = await lake(["plan", "--base", "no-such-ref"], dir);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /git show no-such-ref:\.\/tables\.yaml failed/);
  });
});
