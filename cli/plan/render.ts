/** The plan as Markdown for a pull-request comment. */
import { ACCESS_LABEL, accessMatrix, type AccessChange } from "./access";
import type { ResourceDiff } from "./resources";
import type { TablesDiff } from "./tables";
import type { CostAssumptions, MeasuredTierCost, TierCost } from "../cost";
import type { MeasuredFile } from "../measured";
import { code, details, list, table, usd } from "../markdown";
import type { LakeModel, TableSpec } from "../../model";

/** First line of every plan comment; CI finds and updates its previous comment by it. */
export const PLAN_MARKER = "<!-- lake-plan -->";

function columnOf(t: TableSpec): string {
  return t.strategy === "incremental" ? `cursor ${t.cursor}` : t.strategy === "append" ? `key ${t.key}` : "";
}

function tableRows(tables: readonly TableSpec[]): string {
  return table(
    ["table", "source", "domain", "tier", "strategy", "primaryKey", "pii"],
    tables.map((t) => [
      t.name,
      t.source === t.name ? "" : t.source,
      t.domain,
      t.tier,
      `${t.strategy} ${columnOf(t)}`.trim(),
      t.primaryKey.join(", ") || "(none)",
      t.pii.join(", "),
    ]),
  );
}

export function renderTables(diff: TablesDiff, sections: readonly string[]): string {
  const parts: string[] = ["### Tables"];
  if (diff.added.length + diff.removed.length + diff.changed.length + sections.length === 0) {
    parts.push("No table changes.");
    return parts.join("\n\n");
  }
  if (diff.added.length > 0) parts.push(`**Added (${diff.added.length})**`, tableRows(diff.added));
  if (diff.removed.length > 0) {
    parts.push(
      `**Removed (${diff.removed.length})**: the lake stops loading them; their data and state stay until deleted by hand. ` +
        "Prefer `enabled: false` to pause a table.",
      tableRows(diff.removed),
    );
  }
  const moves = (title: string, items: TablesDiff["tierMoves"]): void => {
    if (items.length === 0) return;
    parts.push(`**${title} (${items.length})**`, list(items.map((c) => `${code(c.name)}: ${c.changes[0].before} → ${c.changes[0].after}`)));
  };
  moves("Moved between tiers", diff.tierMoves);
  moves("Strategy changed", diff.strategyChanges);
  const other = diff.changed.flatMap((c) =>
    c.changes.filter((f) => f.field !== "tier" && f.field !== "strategy").map((f) => [c.name, f.field, f.before, f.after]),
  );
  if (other.length > 0) parts.push(`**Changed fields (${other.length})**`, table(["table", "field", "before", "after"], other));
  if (sections.length > 0) parts.push("**Tiers, domains and access rules**", list(sections));
  return parts.join("\n\n");
}

export function renderResources(stack: string, diff: ResourceDiff, tablesChanged: boolean): string {
  const head = `### Resources (stack ${code(stack)}, synthesized offline with Pulumi mocks)`;
  const none = diff.added.length + diff.removed.length + diff.changed.length === 0;
  if (none) {
    return [
      head,
      `**No resource changes**: base and head both synthesize the same ${diff.headCount} resources with identical inputs. ` +
        "Tables reach the run plane through tables.yaml, which ships with the coordinator Lambda; jobs, grants and " +
        "crawlers grow with tiers, domains and roles, never with tables." +
        (tablesChanged ? " `pulumi up` only updates the coordinator's code package (it contains the new tables.yaml)." : ""),
    ].join("\n\n");
  }
  const rows = [
    ...diff.added.map((r) => ["add", r.type, r.name, ""]),
    ...diff.removed.map((r) => ["delete", r.type, r.name, ""]),
    ...diff.changed.map((c) => ["update", c.type, c.name, c.paths.join(", ")]),
  ];
  return [
    head,
    `${diff.added.length} to add, ${diff.changed.length} to update, ${diff.removed.length} to delete ` +
      `(${diff.baseCount} → ${diff.headCount} resources). \`pulumi preview\` in CI has the provider's view; this is the program's.`,
    table(["op", "type", "name", "changed inputs"], rows),
  ].join("\n\n");
}

export function renderAccess(head: LakeModel, changes: readonly AccessChange[]): string {
  const matrix = accessMatrix(head);
  const domains = head.domains.map((d) => d.name);
  const grid = table(
    ["role", ...domains],
    [...matrix].map(([role, row]) => [role, ...domains.map((d) => ACCESS_LABEL[row.get(d) ?? "none"])]),
  );
  const diff =
    changes.length === 0
      ? "No access change."
      : "**Access changes**\n\n" +
        list(changes.map((c) => `${code(c.role)} on ${code(c.domain)}: ${ACCESS_LABEL[c.before]} → **${ACCESS_LABEL[c.after]}**`));
  return ["### Access (role × domain)", diff, details("Access matrix after this change", grid)].join("\n\n");
}

export function renderCost(stack: string, head: readonly TierCost[], base: readonly TierCost[], a: CostAssumptions): string {
  const baseMonth = new Map(base.map((c) => [c.tier, c.costPerMonth]));
  const rows = head.map((c) => {
    const delta = c.costPerMonth - (baseMonth.get(c.tier) ?? 0);
    return [
      c.tier,
      String(c.tables),
      String(c.runsPerActiveDay),
      c.activeDaysPerMonth.toFixed(1),
      `${c.workers.numberOfWorkers} × ${c.workers.workerType}${c.workers.flex ? " (Flex)" : ""}`,
      String(c.dpu),
      `${c.secondsPerRun} / ${c.billedSecondsPerRun}`,
      usd(c.pricePerDpuHour),
      usd(c.costPerActiveDay),
      usd(c.costPerMonth),
      `${delta >= 0 ? "+" : "−"}${usd(Math.abs(delta))}`,
    ];
  });
  const total = head.reduce((s, c) => s + c.costPerMonth, 0);
  const baseTotal = base.reduce((s, c) => s + c.costPerMonth, 0);
  const assumptions = list([
    `Price per DPU-hour: ${usd(a.standardPricePerDpuHour)} standard, ${usd(a.flexPricePerDpuHour)} Flex (--price-standard, --price-flex; check your region's price).`,
    `DPU per worker: G.1X = 1, G.2X = 2, G.4X = 4, G.8X = 8; workers and Flex from ${code("lake:glue")} of the stack file.`,
    `Run duration: ${a.startupSeconds} s startup + ${a.secondsPerTable} s per table in the run (--startup-seconds, --seconds-per-table); ` +
      `billed per second with a ${a.minimumBilledSeconds} s minimum (Glue 5, --min-billed-seconds).`,
    "Every run reads every table of its tier (the catch-all tier: every enabled table); snapshot tables skipped as unchanged and tables leased by another run are not subtracted.",
    `Runs per active day from the cron (minutes × hours); active days per month = weekdays fired / 7 × ${a.daysPerMonth} (MON-FRI ≈ 21.7, every day ≈ 30.4).`,
    "Glue only: S3, KMS, DynamoDB, Lambda, crawler and Athena costs are not included.",
  ]);
  return [
    `### Estimated Glue cost (stack ${code(stack)})`,
    table(
      [
        "tier",
        "tables/run",
        "runs/day",
        "days/month",
        "workers",
        "DPU",
        "run s (est/billed)",
        "$/DPU-h",
        "per active day",
        "per month",
        "Δ month",
      ],
      rows,
      ["l", "r", "r", "r", "l", "r", "r", "r", "r", "r", "r"],
    ),
    `**Total ≈ ${usd(total)} per month** (base ${usd(baseTotal)}, ${total - baseTotal >= 0 ? "+" : "−"}${usd(Math.abs(total - baseTotal))}).`,
    details("Assumptions", assumptions),
  ].join("\n\n");
}

function loadText(load: readonly number[]): string {
  return load.length > 0 ? `load ${load.map((x) => x.toFixed(1)).join(" / ")}` : "load not recorded";
}

/** The cost per day from measured run times, next to the estimate (lake plan --measured). */
export function renderMeasuredCost(
  stack: string,
  measured: readonly MeasuredTierCost[],
  estimate: readonly TierCost[],
  file: MeasuredFile,
  a: CostAssumptions,
): string {
  const estimated = new Map(estimate.map((c) => [c.tier, c]));
  const rows = measured.map((c) => {
    const est = estimated.get(c.tier);
    const estDay = est ? usd(est.costPerActiveDay) : "";
    if (c.run === undefined) return [c.tier, String(c.tables), "not measured", "", "", estDay, "", ""];
    const r = c.run;
    return [
      c.tier,
      String(c.tables),
      `${r.label}: ${r.tables} tables × ${r.rowsPerTable} rows, ${r.concurrency} at once, ${r.wallSeconds.toFixed(1)} s (${loadText(r.loadAverage)})`,
      (r.wallSeconds / r.tables).toFixed(2),
      `${Math.round(c.secondsPerRun)} / ${c.billedSecondsPerRun}`,
      estDay,
      usd(c.costPerActiveDay),
      usd(c.costPerMonth),
    ];
  });
  const total = measured.reduce((s, c) => s + c.costPerMonth, 0);
  const notes = list([
    `Measured by bench/scale_bench.py on ${file.measuredAt} (${file.cores} cores, local Spark; ${code(file.path)}): ` +
      "wall seconds of a whole run divided by its tables, times the tier's tables. A local machine's seconds, not Glue's: " +
      "re-measure on the stack's workers to be exact.",
    `Plus ${a.startupSeconds} s startup per run (--startup-seconds); billed per second, rounded up, with a ${a.minimumBilledSeconds} s minimum; ` +
      "the same workers, DPU, price and runs per day as the estimate above.",
    "The measured run of a tier: the file's run under the tier's name that loads changes, with the most tables.",
  ]);
  return [
    `### Glue cost from measured run times (stack ${code(stack)})`,
    table(
      [
        "tier",
        "tables/run",
        "measured run",
        "s/table",
        "run s (measured/billed)",
        "estimate per day",
        "measured per day",
        "measured per month",
      ],
      rows,
      ["l", "r", "l", "r", "r", "r", "r", "r"],
    ),
    `**Total ≈ ${usd(total)} per month from measured times** (tiers not measured count $0).`,
    details("How it is derived", notes),
  ].join("\n\n");
}
