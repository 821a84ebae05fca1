/**
 * The demo (npm run demo → scripts/demo.sh → this file): seeds the source, plays the day with the
 * governed lake (the real coordinator against moto, the ingest job under local Spark), proves
 * the lake equals the source, plays the same day with the blueprint baseline, and prints and
 * writes (HTML) the report. Exit code 1 when the governed lake differs from its source.
 *
 *   npx ts-node --transpile-only demo/main.ts [--engine mariadb|postgres] [--profile full|small] [--lake-only] [--verify-each-run]
 *     [--table-concurrency N]
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseDocument, type Document } from "yaml";
import { loadTablesYaml } from "../model";
import { demoClients, resetMoto, type DemoClients } from "./aws";
import { BaselinePipeline } from "./baseline";
import { SourceEditor } from "./changes";
import { htmlReport } from "./html";
import { LakePipeline } from "./lakePipeline";
import type { Pipeline, RunReport, VerifyTarget } from "./pipeline";
import { FULL, SMALL, type Profile } from "./profiles";
import { comparisonText, runText, verdictText, type ModeSummary } from "./report";
import { Day, type DayLog } from "./scenario";
import { seedSource } from "./seed/seed";
import { demoSettings, REPO, type DemoSettings } from "./settings";
import { demoEngine, demoSource } from "./source";
import { verifyLake, type TableVerdict } from "./verify";
import { writeDictionary } from "./dictionary";

export interface DemoOptions {
  readonly profile: Profile;
  readonly settings: DemoSettings;
  readonly baseline: boolean;
  /** After every governed-lake run, check the tables it loaded against the source. */
  readonly verifyEachRun: boolean;
  readonly print: (line: string) => void;
}

export interface RunCheck {
  readonly run: string;
  readonly verdicts: readonly TableVerdict[];
}

export interface DemoResult {
  readonly lake: ModeSummary & { readonly day: DayLog; readonly runChecks: readonly RunCheck[] };
  readonly baseline: (ModeSummary & { readonly day: DayLog }) | undefined;
  readonly passed: boolean;
  readonly problems: readonly string[];
  readonly htmlFile: string;
  readonly queryHelp: readonly string[];
}

/** Lookback of the demo's tables.yaml copies: the day is compressed about a hundredfold, so is the lookback. */
export const DEMO_LOOKBACK_MINUTES = 1;

/** The demo's copy of tables.yaml: the given tables only (small profile), default lookback compressed. */
function tablesYamlCopy(target: string, keep: readonly string[] | undefined): void {
  const doc: Document = parseDocument(readFileSync(path.join(REPO, "tables.yaml"), "utf8"));
  doc.setIn(["defaults", "lookbackMinutes"], DEMO_LOOKBACK_MINUTES);
  if (keep) {
    const tables = doc.get("tables") as { items: { get(k: string): unknown }[] };
    tables.items = tables.items.filter((item) => keep.includes(String(item.get("name"))));
  }
  writeFileSync(target, doc.toString());
}

async function seed(o: DemoOptions): Promise<SourceEditor> {
  const source = demoSource(o.settings.engine);
  o.print(`seeding ${source.engine} source database ${o.settings.database} (schema ${source.schemaFile}, generated rows)`);
  const db = await source.recreate(o.settings.database);
  try {
    const keep = o.profile.seed.tables;
    if (keep) {
      // The small data set: only its tables exist at the source (the baseline's patterns see the source's tables).
      for (const t of await db.tables()) if (!keep.includes(t)) await db.query(`DROP TABLE ${db.table(t)}`);
    }
    const seeded = await seedSource(db, o.profile.seed, () => undefined);
    const total = seeded.reduce((n, s) => n + s.rows, 0);
    o.print(`   ${seeded.filter((s) => s.rows > 0).length} tables, ${total} rows`);
    return new SourceEditor(source, db, new Map(seeded.map((s) => [s.table, s.rows])));
  } catch (error) {
    await db.end();
    throw error;
  }
}

async function playMode(
  o: DemoOptions,
  aws: DemoClients,
  mode: "lake" | "baseline",
): Promise<{ summary: ModeSummary; day: DayLog; runChecks: RunCheck[]; pipeline: Pipeline }> {
  const { settings, print } = o;
  o.print(
    `\n=========== ${mode === "lake" ? "GOVERNED LAKE (real coordinator, moto, local Spark)" : "BLUEPRINT BASELINE (same job, blueprint semantics)"}`,
  );
  const editor = await seed(o);
  const tablesFile = path.join(settings.work, `tables.${mode}.yaml`);
  tablesYamlCopy(tablesFile, o.profile.tables);
  const model = loadTablesYaml(tablesFile);
  const conn = await demoSource(settings.engine).connect(settings.database);
  try {
    const pipeline: Pipeline =
      mode === "lake"
        ? await LakePipeline.create(settings, aws, model, tablesFile, print)
        : await BaselinePipeline.create(settings, aws, conn, model, print);
    const runChecks: RunCheck[] = [];
    const onRun = async (run: RunReport): Promise<void> => {
      for (const line of runText(run)) print(line);
      if (!(o.verifyEachRun && mode === "lake")) return;
      const loaded = new Set(run.tables.filter((t) => t.status === "LOADED" || t.status === "UNCHANGED").map((t) => t.table));
      const targets = pipeline.verifyTargets().filter((t) => loaded.has(t.name));
      if (targets.length === 0) return;
      const verdicts = await verifyLake(settings, pipeline.sparkProperties, targets, `after-${runChecks.length + 1}`, () => undefined);
      runChecks.push({ run: run.label, verdicts });
      const different = verdicts.filter((v) => v.status !== "EQUAL");
      print(
        `   check after the run: ${verdicts.length - different.length}/${verdicts.length} loaded tables equal their source${different.length ? ` (different until a reconcile: ${different.map((v) => `${v.name} missing ${v.missing ?? "?"}, not in source ${v.extra ?? "?"}`).join("; ")})` : ""}`,
      );
    };
    const day = await new Day(pipeline, editor, o.profile.plan, tablesFile, { print, onRun }).play();
    const wallMs = day.runs.reduce((n, r) => n + (r.endedAt - r.startedAt), 0);
    print(`\nverifying ${mode} against the source (row-by-row hash compare under Spark)`);
    const lakeTargets = loadTablesYaml(tablesFile)
      .tables.filter((t) => t.enabled)
      .map((t) => t.source);
    const targets: VerifyTarget[] = pipeline instanceof BaselinePipeline ? pipeline.loadedTargets(lakeTargets) : pipeline.verifyTargets();
    const verdicts = await verifyLake(settings, pipeline.sparkProperties, targets, mode, print);
    for (const line of verdictText(verdicts)) print(line);
    const enabled = new Set(model.tables.filter((t) => t.enabled).map((t) => t.name));
    const outOfScope = [...new Set(day.runs.flatMap((r) => r.tables.map((t) => t.table)))].filter(
      (t) => !enabled.has(t) && t !== o.profile.plan.newTable.name,
    );
    return { summary: { mode, runs: day.runs, verdicts, wallMs, outOfScope }, day, runChecks, pipeline };
  } finally {
    await editor.close();
    await conn.end();
  }
}

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  rmSync(o.settings.work, { recursive: true, force: true });
  mkdirSync(o.settings.work, { recursive: true });
  await resetMoto(o.settings);
  const aws = demoClients(o.settings);
  const lake = await playMode(o, aws, "lake");
  const problems: string[] = [];
  for (const v of lake.summary.verdicts) {
    if (v.status === "EQUAL") continue;
    if (v.status === "SOURCE_MISSING" && v.name === o.profile.plan.droppedTable) continue;
    problems.push(
      `${v.name}: ${v.status}${v.detail ? ` ${v.detail}` : ""} (missing ${v.missing ?? "?"}, not in source ${v.extra ?? "?"}, duplicate keys ${v.keyDuplicates ?? "?"})`,
    );
  }
  for (const r of lake.summary.runs)
    for (const a of r.access)
      if (a.piiVisibleToUncleared > 0)
        problems.push(
          `access audit ${a.point} of ${r.label}: ${a.piiVisibleToUncleared} PII column(s) visible to roles not cleared for PII`,
        );
  // The checks after each run are shown, not counted: between reconciles a hard case (a delete, a
  // column added with a default, a late commit) may leave a table different; the verification
  // above is the day's verdict, after D2's daily run reconciled every table.
  // The dictionary of the lake as played, before the baseline re-seeds the source.
  o.print("\nwriting the lake's data dictionary (lake catalog)");
  const dictionary = await writeDictionary(o.settings, path.join(o.settings.work, "tables.lake.yaml"), o.print);
  const baseline = o.baseline ? await playMode(o, aws, "baseline") : undefined;
  const props = path.relative(REPO, lake.pipeline.sparkProperties);
  const queryHelp = [
    "Query the local lake (Iceberg, Hadoop catalog `lake` in .lake/demo/lake/warehouse) with spark-sql:",
    `  PYSPARK_PYTHON=.venv/bin/python .venv/bin/spark-sql --properties-file ${props} -e "SELECT loyalty_tier, count(*) FROM lake.demo_sales.customer GROUP BY loyalty_tier"`,
    `  PYSPARK_PYTHON=.venv/bin/python .venv/bin/spark-sql --properties-file ${props} -e "SELECT committed_at, summary['published-wap-id'] AS run FROM lake.demo_sales.customer.snapshots"`,
    "Raw batches (Parquet, one folder per run): .lake/demo/lake/raw/<domain>/<table>/ingest_date=*/run=*/",
    `Data dictionary (lake catalog): ${path.relative(REPO, dictionary.index)} and ${path.relative(REPO, dictionary.markdown)}`,
  ];
  const modes = baseline ? [lake.summary, baseline.summary] : [lake.summary];
  const htmlFile = path.join(o.settings.work, "report.html");
  writeFileSync(
    htmlFile,
    htmlReport(
      modes,
      [
        `profile ${o.profile.name}, source ${o.settings.engine} database ${o.settings.database}`,
        `governed lake verification: ${problems.length === 0 ? "PASSED" : `FAILED (${problems.length} problem(s))`}`,
        ...queryHelp,
      ],
      [{ href: path.relative(o.settings.work, dictionary.index), text: "data dictionary of the lake (lake catalog)" }],
    ),
  );
  return {
    lake: { ...lake.summary, day: lake.day, runChecks: lake.runChecks },
    baseline: baseline ? { ...baseline.summary, day: baseline.day } : undefined,
    passed: problems.length === 0,
    problems,
    htmlFile,
    queryHelp,
  };
}

/** --table-concurrency N: tables each governed-lake job run loads at once (a whole number ≥ 1). */
function tableConcurrencyOption(argv: readonly string[]): { tableConcurrency?: number } {
  if (!argv.includes("--table-concurrency")) return {};
  const text = argv[argv.indexOf("--table-concurrency") + 1] ?? "";
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--table-concurrency ${text}: expected a whole number of at least 1`);
  return { tableConcurrency: n };
}

async function cli(argv: readonly string[]): Promise<number> {
  const profileName = argv.includes("--profile") ? argv[argv.indexOf("--profile") + 1] : "full";
  const profile = profileName === "small" ? SMALL : FULL;
  const engine = demoEngine(argv.includes("--engine") ? (argv[argv.indexOf("--engine") + 1] ?? "") : "mariadb");
  const print = (line: string): void => console.log(line);
  const settings = demoSettings(process.env, { engine, ...tableConcurrencyOption(argv) });
  const result = await runDemo({
    profile,
    settings,
    baseline: !argv.includes("--lake-only"),
    verifyEachRun: argv.includes("--verify-each-run"),
    print,
  });
  if (result.baseline) {
    print("\n=========== SIDE BY SIDE (same day, same source changes, same ingest job)");
    for (const line of comparisonText(result.lake, result.baseline)) print(line);
  }
  print("");
  for (const line of result.queryHelp) print(line);
  print(`HTML report: ${result.htmlFile}`);
  if (!result.passed) {
    print(`\nVERIFICATION FAILED: the governed lake differs from its source:`);
    for (const p of result.problems) print(`  ${p}`);
    return 1;
  }
  const checked = result.lake.verdicts.filter((v) => v.status === "EQUAL").length;
  print(`\nVERIFICATION PASSED: ${checked} lake tables equal their source row for row, no duplicate rows.`);
  return 0;
}

if (require.main === module) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(2);
    },
  );
}
