/**
 * Reconciliation settings of tables.yaml: the defaults (the only place they are written down)
 * and when a table's reconcile is due again.
 */

export type ReconcileSchedule = "off" | "daily" | "weekly";

export const RECONCILE_SCHEDULES: readonly ReconcileSchedule[] = ["off", "daily", "weekly"];

/** A table that sets neither field, under a `defaults` that sets neither either. */
export const RECONCILE_DEFAULTS = {
  reconcile: "weekly",
  reconcileAlertRows: 100,
} as const satisfies { reconcile: ReconcileSchedule; reconcileAlertRows: number };

const HOUR_SECONDS = 3600;

/**
 * Minimum age of the last reconcile before the next one is planned. Shorter than the period by
 * four hours, so a catch-all run that fires a little earlier than yesterday's (or a week ago's)
 * still finds the table due and the schedule never slips by a day.
 */
export const RECONCILE_PERIOD_SECONDS: Readonly<Record<Exclude<ReconcileSchedule, "off">, number>> = {
  daily: 20 * HOUR_SECONDS,
  weekly: (6 * 24 + 20) * HOUR_SECONDS,
};

/**
 * Whether a table with this schedule, last reconciled at `lastReconciledAt` (ISO-8601, or
 * undefined when it never was), is due at `now`. An unreadable timestamp counts as never.
 */
export function reconcileDue(schedule: ReconcileSchedule, lastReconciledAt: string | undefined, now: Date): boolean {
  if (schedule === "off") return false;
  const last = lastReconciledAt === undefined ? Number.NaN : Date.parse(lastReconciledAt);
  if (Number.isNaN(last)) return true;
  return now.getTime() - last >= RECONCILE_PERIOD_SECONDS[schedule] * 1000;
}
