/** The status of every table of tables.yaml from its state item (handlers/contracts/STATE.md), and a summary per tier. Pure. */
import type { LakeModel } from "../../model";
import type { TableState } from "../../handlers/coordinator/core/types";
import { formatDuration, tableDueTime, type DueTime } from "./freshness";

/** failing: the last load failed; never-loaded: no successful load yet; stale: not loaded since it was due. */
export type Health = "fresh" | "stale" | "failing" | "never-loaded" | "disabled";

export interface TableStatus {
  readonly table: string;
  readonly tier: string;
  readonly domain: string;
  readonly health: Health;
  readonly lastStatus: string | null;
  readonly lastLoadedAt: string | null;
  readonly lagSeconds: number | null;
  /** The fire time the table should have been loaded by. */
  readonly dueAt: string | null;
  readonly dueTier: string | null;
  readonly watermark: { readonly kind: string; readonly value: string } | null;
  readonly lease: {
    readonly runId: string;
    readonly tier: string | null;
    readonly expiresAt: string | null;
    readonly expired: boolean;
  } | null;
  readonly lastError: string | null;
  readonly failedRunId: string | null;
  readonly lastRunId: string | null;
  readonly rowsRead: number | null;
  readonly rowsWritten: number | null;
}

export interface TierSummary {
  readonly tier: string;
  readonly tables: number;
  readonly fresh: number;
  readonly stale: number;
  readonly failing: number;
  readonly neverLoaded: number;
  readonly leased: number;
  readonly oldestLoadAt: string | null;
  readonly maxLagSeconds: number | null;
}

export interface StatusReport {
  readonly at: string;
  readonly graceMinutes: number;
  readonly tables: readonly TableStatus[];
  readonly tiers: readonly TierSummary[];
  /** Enabled tables that are stale, failing or never loaded. */
  readonly needsAttention: number;
}

function healthOf(enabled: boolean, state: TableState | undefined, due: DueTime | undefined, loadedAt: Date | undefined): Health {
  if (!enabled) return "disabled";
  if (state?.lastStatus === "FAILED") return "failing";
  if (!loadedAt) return "never-loaded";
  return due && loadedAt < due.at ? "stale" : "fresh";
}

export function statusReport(
  model: LakeModel,
  states: ReadonlyMap<string, TableState>,
  due: ReadonlyMap<string, DueTime | undefined>,
  now: Date,
  graceMinutes: number,
): StatusReport {
  const tables = model.tables.map((t): TableStatus => {
    const state = states.get(t.name);
    const loadedAt = state?.lastLoadedAt ? new Date(state.lastLoadedAt) : undefined;
    const dueTime = tableDueTime(t, model, due);
    const expiresAt = state?.leaseExpiresAt;
    return {
      table: t.name,
      tier: t.tier,
      domain: t.domain,
      health: healthOf(t.enabled, state, dueTime, loadedAt),
      lastStatus: state?.lastStatus ?? null,
      lastLoadedAt: state?.lastLoadedAt ?? null,
      lagSeconds: loadedAt ? Math.round((now.getTime() - loadedAt.getTime()) / 1000) : null,
      dueAt: dueTime ? dueTime.at.toISOString() : null,
      dueTier: dueTime ? dueTime.tier : null,
      watermark: state?.watermark ? { kind: state.watermark.kind, value: state.watermark.value } : null,
      lease: state?.leaseRunId
        ? {
            runId: state.leaseRunId,
            tier: state.leaseTier ?? null,
            expiresAt: expiresAt !== undefined ? new Date(expiresAt * 1000).toISOString() : null,
            expired: expiresAt !== undefined && expiresAt * 1000 < now.getTime(),
          }
        : null,
      lastError: state?.lastError ?? null,
      failedRunId: state?.failedRunId ?? null,
      lastRunId: state?.lastRunId ?? null,
      rowsRead: state?.rowsRead ?? null,
      rowsWritten: state?.rowsWritten ?? null,
    };
  });
  const tiers = model.tiers.map((tier): TierSummary => {
    const own = tables.filter((t) => t.tier === tier.name && t.health !== "disabled");
    const loaded = own.filter((t) => t.lastLoadedAt !== null).map((t) => t.lastLoadedAt as string);
    const lags = own.flatMap((t) => (t.lagSeconds !== null ? [t.lagSeconds] : []));
    const count = (h: Health): number => own.filter((t) => t.health === h).length;
    return {
      tier: tier.name,
      tables: own.length,
      fresh: count("fresh"),
      stale: count("stale"),
      failing: count("failing"),
      neverLoaded: count("never-loaded"),
      leased: own.filter((t) => t.lease && !t.lease.expired).length,
      oldestLoadAt: loaded.length > 0 ? loaded.reduce((a, b) => (a < b ? a : b)) : null,
      maxLagSeconds: lags.length > 0 ? Math.max(...lags) : null,
    };
  });
  return {
    at: now.toISOString(),
    graceMinutes,
    tables,
    tiers,
    needsAttention: tables.filter((t) => t.health === "stale" || t.health === "failing" || t.health === "never-loaded").length,
  };
}

const short = (iso: string | null): string => (iso ? iso.replace(/:\d{2}(\.\d+)?Z$/, "Z").replace("T", " ") : "-");

function leaseText(lease: TableStatus["lease"]): string {
  if (!lease) return "-";
  return `${lease.runId} (${lease.tier ?? "?"}) ${lease.expired ? "expired" : "until"} ${short(lease.expiresAt)}`;
}

function aligned(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
      .join("  ")
      .trimEnd(),
  );
}

export function renderStatus(report: StatusReport, label: string): string {
  const rows = [
    ["TABLE", "TIER", "HEALTH", "LAST", "LOADED AT (UTC)", "LAG", "DUE SINCE (UTC)", "WATERMARK", "ROWS", "LEASE", "LAST ERROR"],
    ...report.tables.map((t) => [
      t.table,
      t.tier,
      t.health,
      t.lastStatus ?? "-",
      short(t.lastLoadedAt),
      t.lagSeconds !== null ? formatDuration(t.lagSeconds) : "-",
      t.dueAt ? `${short(t.dueAt)} (${t.dueTier})` : "-",
      t.watermark ? t.watermark.value : "-",
      t.rowsRead !== null ? String(t.rowsRead) : "-",
      leaseText(t.lease),
      t.lastError ? t.lastError.replace(/\s+/g, " ").slice(0, 120) : "-",
    ]),
  ];
  const tiers = report.tiers.map(
    (s) =>
      `tier ${s.tier}: ${s.tables} table(s): ${s.fresh} fresh, ${s.stale} stale, ${s.failing} failing, ${s.neverLoaded} never loaded; ` +
      `${s.leased} leased; oldest load ${short(s.oldestLoadAt)}` +
      (s.maxLagSeconds !== null ? ` (lag ${formatDuration(s.maxLagSeconds)})` : ""),
  );
  return [
    `lake status: ${label}, at ${short(report.at)} (a table is due by its tiers' last fire at least ${report.graceMinutes} min ago)`,
    ...aligned(rows),
    "",
    ...tiers,
    report.needsAttention > 0 ? `${report.needsAttention} table(s) stale, failing or never loaded` : "every enabled table is fresh",
  ].join("\n");
}
