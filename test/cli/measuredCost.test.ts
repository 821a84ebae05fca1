/**
 * Glue cost from measured run times (lake plan --measured): reading the scale benchmark's JSON,
 * choosing a tier's run, the arithmetic (DPU-hours at the list price, per-second billing rounded
 * up, the 1-minute minimum) and the rendering, on a fixture JSON in bench/scale_bench.py's format.
 * The command test synthesizes nothing (--no-resources), so no Pulumi engine and no mocks.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../cli/args";
import { DEFAULT_ASSUMPTIONS, measuredTierCost, type TierCost } from "../../cli/cost";
import { parseMeasured, readMeasured, runForTier, type MeasuredFile } from "../../cli/measured";
import { renderMeasuredCost } from "../../cli/plan/render";
import { lake, tempTablesDir } from "./support/run";

const FIXTURE = join(__dirname, "..", "fixtures", "measured", "scale-bench.json");

/** An estimate row as lakeCost makes it; only the fields measuredTierCost reads matter. */
function estimateOf(tier: string, tables: number, runsPerActiveDay: number, dpu: number, price: number): TierCost {
  return {
    tier,
    tables,
    runsPerActiveDay,
    activeDaysPerMonth: 30.44,
    workers: { workerType: "G.1X", numberOfWorkers: dpu, flex: false },
    dpu,
    secondsPerRun: 0,
    billedSecondsPerRun: 0,
    pricePerDpuHour: price,
    costPerRun: 0,
    costPerActiveDay: 0.5,
    costPerMonth: 0,
  };
}

function fixture(): MeasuredFile {
  return readMeasured(FIXTURE, "/");
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} != ${expected}`);
}

describe("lake plan --measured: Glue cost from measured run times", function () {
  this.timeout(120_000);

  it("reads the benchmark's JSON and picks the concurrent change run of each tier", () => {
    const file = fixture();
    assert.equal(file.runs.length, 5);
    // not the initial load (330 tables), not the sequential sample, not the snapshot full reload
    assert.equal(runForTier(file, "daily")?.label, "daily concurrent");
    assert.equal(runForTier(file, "every_15_min")?.label, "15-minute tier");
    assert.equal(runForTier(file, "hourly"), undefined);
  });

  it("refuses a file of another format or a bad field, naming the file and the field", () => {
    const text = readFileSync(FIXTURE, "utf8");
    const doc = JSON.parse(text) as { format: string; runs: Record<string, unknown>[] };
    doc.runs[1].wallSeconds = "fast";
    assert.throws(
      () => parseMeasured(JSON.stringify(doc), "bad.json"),
      (e: unknown) => e instanceof UsageError && /^bad\.json: runs\[1\]\.wallSeconds must be a non-negative number/.test(e.message),
    );
    assert.throws(
      () => parseMeasured(text.replace("lake-scale-bench/1", "other/2"), "old.json"),
      /old\.json: format must be "lake-scale-bench\/1"/,
    );
    assert.throws(() => parseMeasured("{", "cut.json"), /cut\.json: not JSON/);
    assert.throws(() => readMeasured("no-such.json", "/tmp"), /--measured no-such\.json: cannot read/);
  });

  it("derives the run time per table from the measured run and bills it like Glue", () => {
    const file = fixture();
    const a = DEFAULT_ASSUMPTIONS; // 60 s startup, 60 s minimum
    // daily: 600 s for 300 tables = 2 s a table; 45 tables: 60 + 90 = 150 s; 2 DPU at $0.44
    const daily = measuredTierCost(estimateOf("daily", 45, 1, 2, 0.44), runForTier(file, "daily"), a);
    close(daily.secondsPerRun, 150, "daily seconds");
    assert.equal(daily.billedSecondsPerRun, 150);
    close(daily.costPerRun, (2 * 150 * 0.44) / 3600, "daily per run");
    close(daily.costPerActiveDay, daily.costPerRun, "one run a day");
    close(daily.costPerMonth, daily.costPerRun * 30.44, "daily per month");
    // 15 minutes: 9 s for 30 tables = 0.3 s a table; 5 tables: 61.5 s, billed per whole second: 62
    const fast = measuredTierCost(estimateOf("every_15_min", 5, 56, 2, 0.44), runForTier(file, "every_15_min"), a);
    close(fast.secondsPerRun, 61.5, "15-minute seconds");
    assert.equal(fast.billedSecondsPerRun, 62);
    close(fast.costPerActiveDay, ((2 * 62 * 0.44) / 3600) * 56, "56 runs a day");
    // without startup the 1.5 s run is billed the 1-minute minimum
    const minimum = measuredTierCost(estimateOf("every_15_min", 5, 56, 2, 0.29), runForTier(file, "every_15_min"), {
      ...a,
      startupSeconds: 0,
    });
    assert.equal(minimum.billedSecondsPerRun, 60);
    close(minimum.costPerRun, (2 * 60 * 0.29) / 3600, "minimum at the Flex price");
    // a tier the file does not measure, and a tier without tables, cost nothing
    assert.equal(measuredTierCost(estimateOf("hourly", 5, 24, 2, 0.44), undefined, a).costPerMonth, 0);
    assert.equal(measuredTierCost(estimateOf("daily", 0, 1, 2, 0.44), runForTier(file, "daily"), a).costPerMonth, 0);
  });

  it("renders the measured cost beside the estimate, with the run and its load average", () => {
    const file = fixture();
    const estimate = [estimateOf("daily", 45, 1, 2, 0.44), estimateOf("hourly", 3, 24, 2, 0.44)];
    const measured = estimate.map((c) => measuredTierCost(c, runForTier(file, c.tier), DEFAULT_ASSUMPTIONS));
    const md = renderMeasuredCost("dev", measured, estimate, file, DEFAULT_ASSUMPTIONS);
    const daily = md.split("\n").find((l) => l.startsWith("| daily |"));
    assert.equal(
      daily,
      "| daily | 45 | daily concurrent: 300 tables × 10000 rows, 8 at once, 600.0 s (load 10.3 / 9.0 / 8.0) | 2.00 | 150 / 150 | $0.50 | $0.04 | $1.12 |",
    );
    assert.match(md, /^\| hourly \| 3 \| not measured \|/m);
    assert.match(md, /\*\*Total ≈ \$1\.12 per month from measured times\*\*/);
    assert.match(md, /2026-11-29T22:43:00Z \(2 cores/);
  });

  it("lake plan --measured prints the measured table next to the estimate (exit 0) and refuses a bad file (exit 2)", async () => {
    const dir = tempTablesDir();
    const git = (...args: string[]): void => {
      execFileSync("git", ["-c", "user.name=lake test", "-c", "user.email=lake@example.com", ...args], { cwd: dir, stdio: "pipe" });
    };
    git("init", "-q");
    git("add", "tables.yaml");
    git("commit", "-q", "-m", "base");
    const res = await lake(["plan", "--base", "HEAD", "--no-resources", "--measured", FIXTURE], dir);
    assert.equal(res.code, 0, res.err);
    const estimateAt = res.out.indexOf("### Estimated Glue cost (stack `dev`)");
    const measuredAt = res.out.indexOf("### Glue cost from measured run times (stack `dev`)");
    assert.ok(estimateAt >= 0 && measuredAt > estimateAt, "the measured table follows the estimate");
    // the daily row agrees with the estimate's tables, DPU and price: 60 s + 2 s per table
    const cells = (tier: string, from: number): string[] => {
      const row = res.out
        .slice(from)
        .split("\n")
        .find((l) => l.startsWith(`| ${tier} |`));
      assert.ok(row, `no ${tier} row`);
      return row.split("|").map((c) => c.trim());
    };
    const est = cells("daily", estimateAt);
    const got = cells("daily", measuredAt);
    const tables = Number(est[2]);
    const dpu = Number(est[6]);
    const price = Number(est[8].replace("$", "")); // the stack's tier may run Flex
    assert.equal(got[2], String(tables));
    assert.equal(got[5], `${60 + 2 * tables} / ${60 + 2 * tables}`);
    assert.equal(got[7], `$${((dpu * (60 + 2 * tables) * price) / 3600).toFixed(2)}`);

    const bad = join(dir, "bad.json");
    writeFileSync(bad, readFileSync(FIXTURE, "utf8").replace('"tables": 300,\n      "rowsPerTable"', '"tables": 0,\n      "rowsPerTable"'));
    const refused = await lake(["plan", "--base", "HEAD", "--no-resources", "--measured", "bad.json"], dir);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /bad\.json: runs\[1\]\.tables must be a positive whole number \(got 0\)/);
  });
});
