/**
 * The JSON document scripts/reconcile-local.sh prints (contract: shared/CONTRACT-reconcile.md,
 * "Local entry point"), read defensively, and what it means per table.
 */

export type ReconcileMode = "verify" | "repair";

export interface TableReconcile {
  readonly mode: ReconcileMode;
  /** Equal before any repair. */
  readonly equal: boolean;
  readonly method: string;
  readonly rangesCompared: number;
  readonly rangesRepaired: number;
  readonly rowsDeleted: number;
  readonly rowsUpdated: number;
  readonly rowsInserted: number;
  readonly sourceRowsScanned: number;
  readonly seconds: number;
  readonly repairAlertRows?: number;
}

export interface TableReport {
  readonly name: string;
  readonly status: string;
  readonly reconcile?: TableReconcile;
  readonly error?: string;
}

export interface LocalReport {
  readonly tables: readonly TableReport[];
  readonly differing: number;
  readonly repaired: number;
}

/** equal: nothing differed; differs: verify found a difference; repaired: repair fixed it; failed: no answer. */
export type TableOutcome = "equal" | "differs" | "repaired" | "failed";

type Dict = Readonly<Record<string, unknown>>;
const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (d: Dict, key: string): number => (typeof d[key] === "number" ? (d[key] as number) : 0);

function reconcileOf(value: unknown): TableReconcile | undefined {
  if (!isDict(value) || typeof value["equal"] !== "boolean") return undefined;
  return {
    mode: value["mode"] === "verify" ? "verify" : "repair",
    equal: value["equal"],
    method: typeof value["method"] === "string" ? value["method"] : "ranges",
    rangesCompared: num(value, "rangesCompared"),
    rangesRepaired: num(value, "rangesRepaired"),
    rowsDeleted: num(value, "rowsDeleted"),
    rowsUpdated: num(value, "rowsUpdated"),
    rowsInserted: num(value, "rowsInserted"),
    sourceRowsScanned: num(value, "sourceRowsScanned"),
    seconds: num(value, "seconds"),
    ...(typeof value["repairAlertRows"] === "number" ? { repairAlertRows: value["repairAlertRows"] } : {}),
  };
}

/** Parses the script's stdout; throws naming what is wrong with it. */
export function parseLocalReport(stdout: string): LocalReport {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    throw new Error(`its output is not one JSON document (starts with ${JSON.stringify(stdout.slice(0, 80))})`);
  }
  if (!isDict(doc) || !Array.isArray(doc["tables"])) throw new Error('its JSON has no "tables" list');
  const tables = (doc["tables"] as unknown[]).map((entry, i): TableReport => {
    if (!isDict(entry) || typeof entry["name"] !== "string") throw new Error(`its tables[${i}] has no "name"`);
    const reconcile = reconcileOf(entry["reconcile"]);
    const error = typeof entry["error"] === "string" && entry["error"] !== "" ? entry["error"] : undefined;
    return {
      name: entry["name"],
      status: typeof entry["status"] === "string" ? entry["status"] : "UNKNOWN",
      ...(reconcile ? { reconcile } : {}),
      ...(error !== undefined ? { error } : {}),
    };
  });
  return { tables, differing: num(doc, "differing"), repaired: num(doc, "repaired") };
}

export function repairedRows(r: TableReconcile): number {
  return r.rowsDeleted + r.rowsUpdated + r.rowsInserted;
}

export function outcomeOf(table: TableReport): TableOutcome {
  const r = table.reconcile;
  if (r === undefined || table.error !== undefined || table.status === "FAILED") return "failed";
  if (r.equal) return "equal";
  return r.mode === "repair" ? "repaired" : "differs";
}
