/** Reading `table#<name>` items into TableState (STATE.md). */
import { stateKeys, WATERMARK_KINDS } from "../../contracts/stateTable";
import type { TableState, Watermark, WatermarkKind } from "../core/types";
import { bool, num, S, str, type Item } from "./values";

export function tableKey(name: string): Item {
  return { pk: S(stateKeys.table(name)) };
}

export function watermarkOf(item: Item | undefined): Watermark | null {
  const kind = str(item, "watermarkKind");
  const value = str(item, "watermark");
  if (kind === undefined || value === undefined || !WATERMARK_KINDS.includes(kind)) return null;
  return { kind: kind as WatermarkKind, value };
}

export function tableStateOf(name: string, item: Item): TableState {
  const watermark = watermarkOf(item);
  const optional = <K extends keyof TableState>(key: K, value: TableState[K] | undefined): Partial<TableState> =>
    value === undefined ? {} : ({ [key]: value } as Partial<TableState>);
  return {
    table: name,
    ...optional("leaseRunId", str(item, "leaseRunId")),
    ...optional("leaseTier", str(item, "leaseTier")),
    ...optional("leaseExpiresAt", num(item, "leaseExpiresAt")),
    ...(watermark ? { watermark } : {}),
    ...optional("schemaFingerprint", str(item, "schemaFingerprint")),
    ...optional("catalogFingerprint", str(item, "catalogFingerprint")),
    ...optional("lastRunId", str(item, "lastRunId")),
    ...optional("lastStatus", str(item, "lastStatus")),
    ...optional("failedRunId", str(item, "failedRunId")),
    ...optional("lastError", str(item, "lastError")),
    ...optional("lastLoadedAt", str(item, "lastLoadedAt")),
    ...optional("rowsRead", num(item, "rowsRead")),
    ...optional("rowsWritten", num(item, "rowsWritten")),
    ...optional("lastReconciledAt", str(item, "lastReconciledAt")),
    ...optional("lastReconcileRepairs", num(item, "lastReconcileRepairs")),
    ...optional("lastReconcileEqual", bool(item, "lastReconcileEqual")),
  };
}

/** Lake table name of a `table#<name>` partition key. */
export function tableNameOfKey(pk: string): string | undefined {
  const prefix = stateKeys.table("");
  return pk.startsWith(prefix) ? pk.slice(prefix.length) : undefined;
}
