/**
 * The demo day on the small data set, end to end, for one source engine: the real coordinator
 * against moto, the ingest job under local Spark against the engine's real server (MariaDB or
 * PostgreSQL, started by the project's scripts), with the hard cases (deletes, a column added
 * with a default, NULL cursors, a lagging clock, a key change, a late commit, a truncated append
 * table reloaded by the operator), optionally followed by the blueprint baseline on the same day.
 * Starts its own services (moto on DEMO_TEST_MOTO_PORT, default 5058).
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { runDemo, type DemoResult } from "../../../demo/main";
import { SMALL } from "../../../demo/profiles";
import { figures, reconciledRows } from "../../../demo/report";
import { demoSettings, REPO } from "../../../demo/settings";
import type { DemoEngine } from "../../../demo/source/engine";

/** The demo test's moto port (default 5058; helpers working in parallel set their own). */
const MOTO_PORT = process.env["DEMO_TEST_MOTO_PORT"] ?? "5058";
const script = (name: string): string => path.join(REPO, "scripts", name);

export interface DayTestOptions {
  readonly engine: DemoEngine;
  /** The source database (unique to the test: the demo's default name is shared). */
  readonly database: string;
  /** Working folder under .lake/. */
  readonly work: string;
  /** Also play the blueprint baseline and compare. */
  readonly baseline: boolean;
  /** Also verify the tables of every run right after it (a Spark verification per run). */
  readonly verifyEachRun: boolean;
}

export function describeDemoDay(o: DayTestOptions): void {
  describe(`demo day (small data set, local Spark, moto, ${o.engine})`, function () {
    // The day with the hard cases (a commit held open past the lookback among them), one or two
    // pipelines: about 10 minutes alone on 2 cores for both; the margin is for a loaded machine.
    this.timeout(25 * 60_000);
    let result: DemoResult;
    let startedMoto = false;
    const lines: string[] = [];

    before(async function () {
      execFileSync(script("python-env.sh"), { stdio: ["ignore", "ignore", "inherit"] });
      execFileSync(script("ingest-deps.sh"), { stdio: ["ignore", "ignore", "inherit"] });
      execFileSync(script(o.engine === "postgresql" ? "postgres.sh" : "mariadb.sh"), { stdio: ["ignore", "ignore", "inherit"] });
      const env = { ...process.env, MOTO_PORT };
      try {
        startedMoto = !(await fetch(`http://127.0.0.1:${MOTO_PORT}/moto-api/`)).ok;
      } catch {
        startedMoto = true;
      }
      execFileSync(script("moto-server.sh"), ["start"], { env, stdio: ["ignore", "ignore", "inherit"] });
      const settings = demoSettings(process.env, {
        engine: o.engine,
        database: o.database,
        work: path.join(REPO, ".lake", o.work),
        motoUrl: `http://127.0.0.1:${MOTO_PORT}`,
      });
      const started = Date.now();
      result = await runDemo({
        profile: SMALL,
        settings,
        baseline: o.baseline,
        verifyEachRun: o.verifyEachRun,
        print: (l) => lines.push(l),
      });
      // The wall time CI pays for this day (printed, not asserted).
      console.log(
        `      ${o.engine} demo day (small, ${o.baseline ? "with" : "without"} the baseline, ${o.verifyEachRun ? "with" : "without"} checks after each run): ${Math.round((Date.now() - started) / 1000)} s`,
      );
    });

    after(() => {
      if (startedMoto) execFileSync(script("moto-server.sh"), ["stop"], { env: { ...process.env, MOTO_PORT } });
    });

    const run = (label: string) => {
      const r = result.lake.runs.find((x) => x.label === label);
      assert.ok(r, `no run ${label}; runs: ${result.lake.runs.map((x) => x.label).join(", ")}`);
      return r;
    };

    it("leaves every lake table equal to its source, with no duplicate row", () => {
      assert.deepEqual(result.problems, [], lines.join("\n"));
      assert.equal(result.passed, true);
      const checked = result.lake.verdicts.filter((v) => v.status !== "SOURCE_MISSING");
      assert.equal(checked.length, SMALL.tables!.length); // 8 kept - 1 dropped + 1 onboarded
      for (const v of checked) {
        assert.equal(v.status, "EQUAL", `${v.name}: ${JSON.stringify(v)}`);
        assert.equal(v.keyDuplicates, 0);
        assert.ok((v.lakeRows ?? 0) > 0, `${v.name} is empty`);
      }
      assert.deepEqual(
        result.lake.verdicts.filter((v) => v.status === "SOURCE_MISSING").map((v) => v.name),
        [SMALL.plan.droppedTable],
      );
    });

    (o.verifyEachRun ? it : it.skip)(
      "checked the lake after every run that loaded tables; from D2's reconciling daily run on, every loaded table is equal",
      () => {
        const loadingRuns = result.lake.runs.filter((r) => r.tables.some((t) => t.status === "LOADED"));
        assert.equal(result.lake.runChecks.length, loadingRuns.length);
        const reconciled = result.lake.runChecks.findIndex((c) => c.run === "D2 01:30 daily");
        assert.ok(reconciled >= 0, result.lake.runChecks.map((c) => c.run).join(", "));
        for (const check of result.lake.runChecks.slice(reconciled)) {
          assert.ok(check.verdicts.length > 0);
          for (const v of check.verdicts) {
            // The truncated append table is refused by D2's daily run and equal only after the operator's reload.
            if (v.name === SMALL.plan.hard.truncate.table && !check.run.includes("lake reload")) continue;
            assert.equal(v.status, "EQUAL", `after ${check.run}: ${v.name} ${JSON.stringify(v)}`);
          }
        }
      },
    );

    it("plays the hard cases", () => {
      const changes = result.lake.day.phases.flatMap((p) => p.lines).join("\n");
      for (const mark of ["rows DELETED", "ADD COLUMN", "NULL cursor", "2 hours BACK", "new PRIMARY KEY", "TRUNCATED"])
        assert.ok(changes.includes(mark), `no hard case "${mark}" in the day:\n${changes}`);
      assert.ok(result.lake.day.phases.some((p) => p.name.includes("late commit")));
    });

    it("D2's daily run reconciles the tables and repairs what the loads missed", () => {
      const daily = run("D2 01:30 daily");
      assert.ok(daily.tables.some((t) => t.reconcile && t.reconcile.rangesCompared > 0));
      assert.ok(reconciledRows(daily) > 0, JSON.stringify(daily.tables.map((t) => [t.table, t.reconcile])));
      assert.equal(figures(result.lake).deletedStillInLake, 0);
    });

    it("the truncated append table fails loudly in D2's daily run and the operator's reload makes it equal", () => {
      const table = SMALL.plan.hard.truncate.table;
      assert.equal(run("D2 01:30 daily").tables.find((t) => t.table === table)?.status, "FAILED");
      const reload = run(`D2 06:20 operator: lake reload ${table}`);
      assert.equal(reload.tables.find((t) => t.table === table)?.status, "LOADED");
      assert.equal(result.lake.verdicts.find((v) => v.name === table)?.status, "EQUAL");
    });

    it("no PII column is visible to a role not cleared for PII, after any job or finalize", () => {
      const ran = result.lake.runs.filter((r) => r.jobState !== "NOT_STARTED");
      assert.ok(ran.length > 0);
      for (const r of ran) {
        assert.deepEqual(
          r.access.map((a) => a.point),
          ["after the job", "after finalize"],
          r.label,
        );
        for (const a of r.access) assert.equal(a.piiVisibleToUncleared, 0, `${r.label} ${a.point}: ${JSON.stringify(a)}`);
      }
      assert.ok(
        ran.some((r) => r.access.some((a) => a.tables > 0 && a.columns > 0)),
        "the audits saw no table",
      );
    });

    it("skips the tables a long daily run holds when a 15-minute run fires during it, and loads them once", () => {
      const overlap = run("D2 06:00 every_15_min");
      const daily = run("D2 01:30 daily");
      const skipped = overlap.tables.filter((t) => t.status === "SKIPPED_LEASED");
      assert.ok(skipped.length > 0, "the overlapping run skipped nothing");
      for (const t of skipped) {
        assert.match(t.detail, new RegExp(daily.runId));
        // The daily run that held it handled it: loaded, or (the truncated append table) failed loudly by design.
        const truncated = SMALL.plan.hard.truncate.table;
        assert.ok(
          daily.tables.some((d) => d.table === t.table && (d.status === "LOADED" || (d.table === truncated && d.status === "FAILED"))),
          `${t.table} not handled by the daily run`,
        );
      }
      // Every 15-minute table was either loaded by the overlapping run or skipped as leased: none twice, none lost.
      const quarterTables = ["customer", "customer_address", "stock_movement", "sales_promotion"];
      assert.deepEqual(overlap.tables.map((t) => t.table).sort(), quarterTables.sort());
      assert.ok(overlap.tables.every((t) => t.status === "LOADED" || t.status === "SKIPPED_LEASED"));
    });

    it("crawls only new or changed tables, and only those", () => {
      const first = run("D1 01:30 daily");
      assert.deepEqual(first.crawl.started.flatMap((c) => c.tables).sort(), [...SMALL.tables!].sort());
      const quarter = run("D1 08:00 every_15_min");
      assert.deepEqual(quarter.crawl.started.flatMap((c) => c.tables).sort(), ["customer", "sales_promotion"]);
      // gl_journal's column added with a default reaches the lake in D2's daily run.
      assert.deepEqual(
        run("D2 01:30 daily").crawl.started.flatMap((c) => c.tables),
        ["gl_journal"],
      );
      assert.equal(run("D2 06:15 every_15_min").crawl.started.length, 0);
    });

    it("skips the unchanged snapshot table and applies the changed one's deletes", () => {
      const daily = run("D2 01:30 daily");
      assert.equal(daily.tables.find((t) => t.table === SMALL.plan.unchangedSnapshot)?.status, "UNCHANGED");
      const changed = daily.tables.find((t) => t.table === SMALL.plan.changedSnapshot);
      assert.equal(changed?.status, "LOADED");
      assert.ok((changed?.rowsDeleted ?? 0) >= SMALL.plan.deletes);
    });

    it("alerts on the table dropped at the source while the others load", () => {
      const daily = run("D2 01:30 daily");
      const failed = daily.tables.find((t) => t.table === SMALL.plan.droppedTable);
      assert.equal(failed?.status, "FAILED");
      assert.match(failed?.detail ?? "", /does not exist/);
      assert.ok(
        daily.alerts.some((a) => a.includes(SMALL.plan.droppedTable)),
        daily.alerts.join("\n---\n"),
      );
      assert.ok(daily.tables.filter((t) => t.status === "LOADED").length >= 6);
    });

    (o.baseline ? it : it.skip)("the baseline duplicates rows, crawls more tables and loses the onboarded table's changes", () => {
      assert.ok(result.baseline);
      const lake = figures(result.lake);
      const base = figures(result.baseline);
      assert.equal(lake.duplicateRows, 0);
      assert.ok(base.duplicateRows > 0, `baseline duplicates: ${base.duplicateRows}`);
      assert.ok(base.tablesCrawled > lake.tablesCrawled, `tables crawled: baseline ${base.tablesCrawled}, lake ${lake.tablesCrawled}`);
      assert.equal(base.runsCrawling, base.runs, "the baseline crawls on every run");
      assert.ok(lake.runsCrawling < base.runsCrawling, `runs that crawled: lake ${lake.runsCrawling}, baseline ${base.runsCrawling}`);
      // customer% also selects customer_address and customer_contact into the 15-minute workflow.
      const quarter = result.baseline.runs.find((r) => r.label === "D1 08:00 every_15_min");
      assert.ok(quarter?.tables.some((t) => t.table === "customer_contact"));
    });
  });
}
