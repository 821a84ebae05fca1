/**
 * Glue cost estimate per tier from the model (tables per run, schedule) and the stack's job
 * settings (worker type and count, Flex). Every assumption is an input, printed with the result.
 */
import type { MeasuredRun } from "./measured";
import { runsPerActiveDay, tablesForTier, weekdaysFired, type LakeModel, type TierSpec } from "../model";

export interface CostAssumptions {
  /** USD per DPU-hour, standard execution. */
  readonly standardPricePerDpuHour: number;
  /** USD per DPU-hour, Flex execution. */
  readonly flexPricePerDpuHour: number;
  /** Minimum billed duration of a run (Glue 2.0 and later bill per second with a 1-minute minimum). */
  readonly minimumBilledSeconds: number;
  /** Run duration model: fixed startup plus a per-table time. */
  readonly startupSeconds: number;
  readonly secondsPerTable: number;
  /** Average days per month (365.25 / 12). */
  readonly daysPerMonth: number;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  standardPricePerDpuHour: 0.44,
  flexPricePerDpuHour: 0.29,
  minimumBilledSeconds: 60,
  startupSeconds: 60,
  secondsPerTable: 20,
  daysPerMonth: 30.44,
};

/** The settings of one tier's job (stack config lake:glue, tier over defaults). */
export interface WorkerSettings {
  readonly workerType: string;
  readonly numberOfWorkers: number;
  readonly flex: boolean;
}

export const DPU_PER_WORKER: Readonly<Record<string, number>> = { "G.025X": 0.25, "G.1X": 1, "G.2X": 2, "G.4X": 4, "G.8X": 8 };

export interface TierCost {
  readonly tier: string;
  readonly tables: number;
  readonly runsPerActiveDay: number;
  readonly activeDaysPerMonth: number;
  readonly workers: WorkerSettings;
  readonly dpu: number;
  readonly secondsPerRun: number;
  readonly billedSecondsPerRun: number;
  readonly pricePerDpuHour: number;
  readonly costPerRun: number;
  readonly costPerActiveDay: number;
  readonly costPerMonth: number;
}

/** Days a month the schedule fires: weekdays fired x weeks per month, or the listed days of month. */
export function activeDaysPerMonth(tier: TierSpec, assumptions: CostAssumptions): number {
  const cron = tier.cron;
  const monthShare = cron.months.size / 12;
  if (cron.daysOfMonth instanceof Set) return Math.min(cron.daysOfMonth.size, assumptions.daysPerMonth) * monthShare;
  return (weekdaysFired(cron).size / 7) * assumptions.daysPerMonth * monthShare;
}

export function tierCost(model: LakeModel, tier: TierSpec, workers: WorkerSettings, a: CostAssumptions): TierCost {
  const tables = tablesForTier(model, tier.name).length;
  const dpuPerWorker = DPU_PER_WORKER[workers.workerType];
  if (dpuPerWorker === undefined) {
    throw new Error(
      `tier ${tier.name}: unknown Glue worker type "${workers.workerType}" (known: ${Object.keys(DPU_PER_WORKER).join(", ")})`,
    );
  }
  const dpu = dpuPerWorker * workers.numberOfWorkers;
  const secondsPerRun = tables === 0 ? 0 : a.startupSeconds + a.secondsPerTable * tables;
  const billedSecondsPerRun = tables === 0 ? 0 : Math.max(secondsPerRun, a.minimumBilledSeconds);
  const pricePerDpuHour = workers.flex ? a.flexPricePerDpuHour : a.standardPricePerDpuHour;
  const costPerRun = (dpu * billedSecondsPerRun * pricePerDpuHour) / 3600;
  const runs = runsPerActiveDay(tier.cron);
  const days = activeDaysPerMonth(tier, a);
  return {
    tier: tier.name,
    tables,
    runsPerActiveDay: runs,
    activeDaysPerMonth: days,
    workers,
    dpu,
    secondsPerRun,
    billedSecondsPerRun,
    pricePerDpuHour,
    costPerRun,
    costPerActiveDay: costPerRun * runs,
    costPerMonth: costPerRun * runs * days,
  };
}

export function lakeCost(model: LakeModel, workersOf: (tier: string) => WorkerSettings, a: CostAssumptions): TierCost[] {
  return model.tiers.map((tier) => tierCost(model, tier, workersOf(tier.name), a));
}

/** A tier's Glue cost from a measured run (bench/scale_bench.py), next to the estimate. */
export interface MeasuredTierCost {
  readonly tier: string;
  readonly tables: number;
  /** The run it stands on; undefined when the file has none for this tier (no cost then). */
  readonly run: MeasuredRun | undefined;
  /** Startup (assumption) + the run's wall seconds per table × the tier's tables. */
  readonly secondsPerRun: number;
  /** Per-second billing, rounded up, with the minimum. */
  readonly billedSecondsPerRun: number;
  readonly dpu: number;
  readonly pricePerDpuHour: number;
  readonly costPerRun: number;
  readonly costPerActiveDay: number;
  readonly costPerMonth: number;
}

/**
 * The measured counterpart of tierCost: the same workers, price, runs per day and minimum, with the
 * per-table time taken from the measured run instead of the --seconds-per-table assumption.
 */
export function measuredTierCost(estimate: TierCost, run: MeasuredRun | undefined, a: CostAssumptions): MeasuredTierCost {
  const base = { tier: estimate.tier, tables: estimate.tables, run, dpu: estimate.dpu, pricePerDpuHour: estimate.pricePerDpuHour };
  if (run === undefined || estimate.tables === 0) {
    return { ...base, secondsPerRun: 0, billedSecondsPerRun: 0, costPerRun: 0, costPerActiveDay: 0, costPerMonth: 0 };
  }
  const secondsPerRun = a.startupSeconds + (run.wallSeconds / run.tables) * estimate.tables;
  const billedSecondsPerRun = Math.max(Math.ceil(secondsPerRun), a.minimumBilledSeconds);
  const costPerRun = (estimate.dpu * billedSecondsPerRun * estimate.pricePerDpuHour) / 3600;
  return {
    ...base,
    secondsPerRun,
    billedSecondsPerRun,
    costPerRun,
    costPerActiveDay: costPerRun * estimate.runsPerActiveDay,
    costPerMonth: costPerRun * estimate.runsPerActiveDay * estimate.activeDaysPerMonth,
  };
}
