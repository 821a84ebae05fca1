/** What `lake verify` / `lake reconcile` print: a line per table and a summary, or one JSON document. */
import type { StartRunReport } from "../../handlers/coordinator/flows/startRun";
import { outcomeOf, repairedRows, type LocalReport, type ReconcileMode, type TableOutcome, type TableReport } from "./report";
import type { ManualReconcileEvent, StackTarget } from "./stack";

const LABEL: Readonly<Record<TableOutcome, string>> = { equal: "equal", differs: "DIFFERS", repaired: "REPAIRED", failed: "FAILED" };

function split(table: TableReport): string {
  const r = table.reconcile;
  if (!r) return "";
  return `deleted ${r.rowsDeleted}, updated ${r.rowsUpdated}, inserted ${r.rowsInserted}`;
}

function detail(table: TableReport, outcome: TableOutcome): string {
  const r = table.reconcile;
  if (outcome === "failed" || r === undefined) return table.error ?? `no reconcile result (status ${table.status})`;
  const scanned = `${r.method === "whole-table" ? "whole table" : `${r.rangesCompared} ranges`}, ${r.sourceRowsScanned} source rows, ${r.seconds.toFixed(1)} s`;
  const rows = repairedRows(r);
  if (outcome === "repaired") return `${rows} rows repaired (${split(table)}) in ${r.rangesRepaired} ranges; ${scanned}`;
  if (outcome === "differs") return `${rows > 0 ? `${rows} rows differ (${split(table)})` : "differs"}; ${scanned}`;
  return scanned;
}

export interface LocalSummary {
  readonly outcomes: ReadonlyMap<string, TableOutcome>;
  readonly counts: Readonly<Record<TableOutcome, number>>;
}

export function summarize(report: LocalReport): LocalSummary {
  const outcomes = new Map(report.tables.map((t) => [t.name, outcomeOf(t)]));
  const counts: Record<TableOutcome, number> = { equal: 0, differs: 0, repaired: 0, failed: 0 };
  for (const o of outcomes.values()) counts[o]++;
  return { outcomes, counts };
}

export function localText(mode: ReconcileMode, report: LocalReport, summary: LocalSummary): string[] {
  const width = Math.max(5, ...report.tables.map((t) => t.name.length));
  const lines = report.tables.map((t) => {
    const outcome = summary.outcomes.get(t.name) ?? "failed";
    return `${t.name.padEnd(width)}  ${LABEL[outcome].padEnd(8)}  ${detail(t, outcome)}`;
  });
  const c = summary.counts;
  const parts = [`${c.equal} equal`];
  if (mode === "verify") parts.push(`${c.differs} differ`);
  else parts.push(`${c.repaired} repaired`);
  parts.push(`${c.failed} failed`);
  lines.push(`${mode}: ${report.tables.length} table(s): ${parts.join(", ")}`);
  return lines;
}

export function localJson(mode: ReconcileMode, report: LocalReport, summary: LocalSummary, ok: boolean): string {
  return JSON.stringify(
    {
      mode,
      lake: "local",
      ok,
      tables: report.tables.map((t) => ({ ...t, outcome: summary.outcomes.get(t.name) ?? "failed" })),
      equal: summary.counts.equal,
      differing: summary.counts.differs,
      repaired: summary.counts.repaired,
      failed: summary.counts.failed,
    },
    null,
    2,
  );
}

const ASYNC_NOTE =
  "the result comes when the job ends: lastReconcileEqual / lastReconcileRepairs on each table's state item, " +
  "and the SNS alert for repairs above a table's reconcileAlertRows";

export function stackText(target: StackTarget, event: ManualReconcileEvent, report: StartRunReport): string[] {
  const what = `${event.reconcile} of ${event.tables.length} table(s) without a load`;
  switch (report.outcome) {
    case "started":
      return [
        `stack ${target.stack}: run ${report.runId} started (job run ${report.jobRunId}): ${what}`,
        ...(report.busy.length > 0
          ? [`  not reconciled, held by another run: ${report.busy.map((b) => `${b.table} (${b.holderRunId ?? "?"})`).join(", ")}`]
          : []),
        `  ${ASYNC_NOTE}`,
      ];
    case "duplicate":
      return [`stack ${target.stack}: request ${event.requestId} was already taken as run ${report.runId ?? "(unknown)"}`];
    case "nothing-leased":
      return [`stack ${target.stack}: nothing started, every table is held by another run: ${report.busy.map((b) => b.table).join(", ")}`];
    case "rejected":
      return [`stack ${target.stack}: the coordinator rejected the request: ${report.reason}`];
    case "start-failed":
    case "start-unconfirmed":
      return [`stack ${target.stack}: run ${report.runId}: ${report.outcome}: ${report.error}`];
  }
}
