/** The printed report: one block per run, the verification, the side-by-side comparison. */
import type { ReconcileResult, RunReport, TableLine } from "./pipeline";
import type { TableVerdict } from "./verify";

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function wrap(items: readonly string[], indent: string, width = 110): string[] {
  const out: string[] = [];
  let line = "";
  for (const item of items) {
    if (line && line.length + item.length + 2 > width) {
      out.push(indent + line);
      line = "";
    }
    line = line ? `${line}, ${item}` : item;
  }
  if (line) out.push(indent + line);
  return out;
}

export function totals(tables: readonly TableLine[]): { read: number; written: number } {
  return tables.reduce((a, t) => ({ read: a.read + t.rowsRead, written: a.written + t.rowsWritten }), { read: 0, written: 0 });
}

/** One reconcile in a line: what it compared, what it repaired. */
export function reconcileText(table: string, c: ReconcileResult): string {
  const repaired =
    c.rangesRepaired > 0 || c.rowsDeleted + c.rowsUpdated + c.rowsInserted > 0
      ? `${c.rangesRepaired} repaired: -${c.rowsDeleted} deleted, ~${c.rowsUpdated} updated, +${c.rowsInserted} inserted`
      : "equal, nothing repaired";
  return `${table} (${c.mode}, ${c.method}): ${c.rangesCompared} range(s) compared, ${repaired}; ${c.sourceRowsScanned} source rows scanned, ${c.seconds.toFixed(1)} s`;
}

/** Rows the run's reconciles repaired (deleted + updated + inserted). */
export function reconciledRows(r: RunReport): number {
  return r.tables.reduce((n, t) => n + (t.reconcile ? t.reconcile.rowsDeleted + t.reconcile.rowsUpdated + t.reconcile.rowsInserted : 0), 0);
}

export function runText(r: RunReport): string[] {
  const by = (s: TableLine["status"]): TableLine[] => r.tables.filter((t) => t.status === s);
  const lines = [
    `== ${r.label} [${r.pipeline}] run ${r.runId}: job ${r.jobState}${r.jobMessage ? ` (${r.jobMessage})` : ""}, ${secs(r.endedAt - r.startedAt)}`,
  ];
  const loaded = by("LOADED");
  lines.push(`   loaded ${loaded.length}:`);
  lines.push(
    ...wrap(
      loaded.map((t) => `${t.table} ${t.rowsRead}/${t.rowsWritten}${t.rowsDeleted ? ` -${t.rowsDeleted}` : ""}`),
      "     ",
    ),
  );
  const unchanged = by("UNCHANGED");
  if (unchanged.length)
    lines.push(
      `   skipped unchanged (the change gate found the source unchanged) ${unchanged.length}: ${unchanged.map((t) => t.table).join(", ")}`,
    );
  const leased = by("SKIPPED_LEASED");
  if (leased.length) {
    lines.push(`   skipped because leased by another run ${leased.length}:`);
    lines.push(
      ...wrap(
        leased.map((t) => `${t.table} (${t.detail})`),
        "     ",
      ),
    );
  }
  for (const t of [...by("FAILED"), ...by("UNFINISHED"), ...by("REFUSED")])
    lines.push(`   ${t.status.toLowerCase()}: ${t.table}: ${t.detail}`);
  const reconciled = r.tables.filter((t) => t.reconcile);
  if (reconciled.length) {
    lines.push(`   reconciled ${reconciled.length} (source vs full copy by key ranges; repairs in one commit per table):`);
    for (const t of reconciled) if (t.reconcile) lines.push(`     ${reconcileText(t.table, t.reconcile)}`);
  }
  const sum = totals(r.tables);
  lines.push(`   rows read ${sum.read}, written ${sum.written}`);
  if (r.crawl.started.length === 0) lines.push(`   crawler: skipped (${r.crawl.skipped ?? "nothing to crawl"})`);
  for (const c of r.crawl.started) lines.push(`   crawler: started ${c.crawler} over ${c.tables.length} table(s): ${c.tables.join(", ")}`);
  for (const a of r.alerts) lines.push(`   ALERT (SNS): ${a.split("\n")[0]}`);
  for (const a of r.access)
    lines.push(
      `   access audit ${a.point}: PII columns visible to uncleared roles: ${a.piiVisibleToUncleared} (${a.tables} tables, ${a.columns} columns, ${a.violations} violation(s))`,
    );
  return lines;
}

export interface ModeSummary {
  readonly mode: "lake" | "baseline";
  readonly runs: readonly RunReport[];
  readonly verdicts: readonly TableVerdict[];
  readonly wallMs: number;
  /** Tables loaded that tables.yaml does not enable (baseline only). */
  readonly outOfScope: readonly string[];
}

export interface Figures {
  readonly duplicateRows: number;
  readonly rowsNotInSource: number;
  readonly rowsMissing: number;
  readonly deletedStillInLake: number;
  readonly tablesEqual: string;
  readonly runsCrawling: number;
  readonly crawlsStarted: number;
  readonly tablesCrawled: number;
  readonly rowsRead: number;
  readonly wallTime: string;
  readonly runs: number;
  readonly outOfScope: number;
}

export function figures(m: ModeSummary): Figures {
  const checked = m.verdicts.filter((v) => v.status !== "SOURCE_MISSING");
  return {
    duplicateRows: m.verdicts.reduce((n, v) => n + (v.keyDuplicates ?? 0), 0),
    rowsNotInSource: m.verdicts.reduce((n, v) => n + (v.extra ?? 0), 0),
    rowsMissing: m.verdicts.reduce((n, v) => n + (v.missing ?? 0), 0),
    deletedStillInLake: m.verdicts.reduce((n, v) => n + (v.keysNotInSource ?? 0), 0),
    tablesEqual: `${checked.filter((v) => v.status === "EQUAL").length}/${checked.length}`,
    runsCrawling: m.runs.filter((r) => r.crawl.started.length > 0).length,
    crawlsStarted: m.runs.reduce((n, r) => n + r.crawl.started.length, 0),
    tablesCrawled: m.runs.reduce((n, r) => n + r.crawl.started.reduce((k, c) => k + c.tables.length, 0), 0),
    rowsRead: m.runs.reduce((n, r) => n + totals(r.tables).read, 0),
    wallTime: secs(m.wallMs),
    runs: m.runs.length,
    outOfScope: m.outOfScope.length,
  };
}

export const FIGURE_LABELS: Readonly<Record<keyof Figures, string>> = {
  duplicateRows: "duplicate rows in the lake (same primary key twice)",
  rowsNotInSource: "lake rows not in the source (stale or repeated)",
  rowsMissing: "source rows missing from the lake",
  deletedStillInLake: "rows deleted at the source still in the lake",
  tablesEqual: "tables equal to their source",
  runsCrawling: "runs that started a crawl",
  crawlsStarted: "crawls started (one per crawler and run)",
  tablesCrawled: "tables crawled",
  rowsRead: "rows read from the source",
  wallTime: "wall time of the day's runs",
  runs: "job runs",
  outOfScope: "tables loaded that tables.yaml disables",
};

export function comparisonText(lake: ModeSummary, baseline: ModeSummary): string[] {
  const a = figures(lake);
  const b = figures(baseline);
  const keys = Object.keys(FIGURE_LABELS) as (keyof Figures)[];
  const w = Math.max(...keys.map((k) => FIGURE_LABELS[k].length));
  const lines = [`${"".padEnd(w)}  ${"governed lake".padStart(14)}  ${"blueprint baseline".padStart(18)}`];
  for (const k of keys) lines.push(`${FIGURE_LABELS[k].padEnd(w)}  ${String(a[k]).padStart(14)}  ${String(b[k]).padStart(18)}`);
  return lines;
}

export function verdictText(verdicts: readonly TableVerdict[]): string[] {
  return verdicts.map((v) => {
    const rows = v.lakeRows !== undefined ? ` source ${v.sourceRows} rows, lake ${v.lakeRows}` : "";
    const diff =
      v.status === "DIFFERENT"
        ? ` (missing ${v.missing}, not in source ${v.extra}, keys deleted at the source ${v.keysNotInSource ?? "?"}, duplicate keys ${v.keyDuplicates})`
        : "";
    const extra =
      v.extraLakeColumns && v.extraLakeColumns.length > 0 ? ` [lake keeps dropped columns ${v.extraLakeColumns.join(", ")}]` : "";
    return `   ${v.status.padEnd(15)} ${v.name}${rows}${diff}${v.detail ? `: ${v.detail}` : ""}${extra}`;
  });
}
