/**
 * The demo day, the same for the governed lake and the baseline: a daily run, source changes
 * (inserts, updates, deletes, a new column, a new table onboarded through tables.yaml, a
 * snapshot table left unchanged), 15-minute runs, a long daily run with a 15-minute run fired
 * while it still holds its tables, and a table dropped at the source.
 */
import { appendFileSync } from "node:fs";
import { loadTablesYaml, type LakeModel, type TableSpec } from "../model";
import type { SourceEditor } from "./changes";
import { HardCases, type OpenTransaction } from "./hardCases";
import type { Pipeline, RunHandle, RunReport } from "./pipeline";

export interface DayPlan {
  /** Rows changed per touched table (inserts; updates; deletes in snapshot tables). */
  readonly inserts: number;
  readonly updates: number;
  readonly deletes: number;
  /** Extra 15-minute runs between the first one and the next daily run. */
  readonly extraQuarterRuns: number;
  /** Fire the overlapping 15-minute run once the daily job has finished this many tables (0: at once). */
  readonly overlapAfterTables: number;
  /** A nullable column added during the day (its DDL per engine: demo/source/<engine>.ts). */
  readonly newColumn: { readonly table: string; readonly column: string };
  /** A table created and onboarded during the day (its DDL per engine: demo/source/<engine>.ts). */
  readonly newTable: { readonly name: string; readonly yaml: string; readonly rows: number; readonly cursor: string };
  readonly droppedTable: string;
  readonly unchangedSnapshot: string;
  readonly changedSnapshot: string;
  /** Tables whose rows change besides the 15-minute tier's (loaded by the next daily run). */
  readonly dailyChanges: readonly string[];
  /** The changes only a reconcile (or a direct fix in the job) keeps the copy exact under. */
  readonly hard: HardPlan;
}

export interface HardPlan {
  /** Hard deletes: one incremental and one append table. */
  readonly deletes: { readonly incremental: string; readonly append: string; readonly rows: number };
  /** ALTER TABLE … ADD COLUMN … NOT NULL DEFAULT on an incremental table (no cursor moves; DDL per engine). */
  readonly columnWithDefault: { readonly table: string; readonly column: string };
  /** The cursor becomes nullable and new rows arrive with a NULL cursor. */
  readonly nullCursor: { readonly table: string; readonly rows: number };
  /** A lagging application clock writes cursors two hours back. */
  readonly cursorBackwards: { readonly table: string; readonly column: string; readonly value: string; readonly rows: number };
  /** Primary-key values changed in place. */
  readonly keyChange: { readonly table: string; readonly rows: number; readonly offset: number };
  /** A 15-minute table's transaction stamps its cursor, waits past the lookback, and commits after a run. */
  readonly lateCommit: { readonly table: string; readonly column: string; readonly value: string };
  /** An append table truncated and refilled (its max key falls below the watermark). */
  readonly truncate: { readonly table: string; readonly rows: number };
}

export interface Phase {
  readonly name: string;
  readonly lines: readonly string[];
}

export interface DayLog {
  readonly runs: RunReport[];
  readonly phases: Phase[];
}

export interface DayHooks {
  readonly print: (line: string) => void;
  readonly onRun: (run: RunReport) => void | Promise<void>;
}

/** Job safety lag (ingest --safety_lag_seconds default) plus a margin: changes must be older than this when a job reads. */
const SAFETY_MS = 6000;

function at(day: number, hhmm: string): Date {
  const base = new Date();
  base.setUTCHours(0, 0, 0, 0);
  const [h, m] = hhmm.split(":").map(Number);
  return new Date(base.getTime() + day * 86_400_000 + ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
}

async function settle(editor: SourceEditor): Promise<void> {
  const wait = editor.lastChangeAt + SAFETY_MS - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

export class Day {
  readonly log: DayLog = { runs: [], phases: [] };
  private model: LakeModel;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly editor: SourceEditor,
    private readonly plan: DayPlan,
    private readonly tablesFile: string,
    private readonly hooks: DayHooks,
  ) {
    this.model = loadTablesYaml(tablesFile);
  }

  private spec(name: string): TableSpec {
    const t = this.model.tables.find((x) => x.name === name);
    if (!t) throw new Error(`table ${name} is not in ${this.tablesFile}`);
    return t;
  }

  private quarterTables(): TableSpec[] {
    return this.model.tables.filter((t) => t.enabled && t.tier === "every_15_min");
  }

  private async changeRows(specs: readonly TableSpec[], lines: string[]): Promise<void> {
    const { inserts, updates, deletes } = this.plan;
    for (const spec of specs) {
      const parts: string[] = [];
      const ins = await this.editor.insert(spec.source, inserts, spec.strategy === "incremental" ? spec.cursor : undefined);
      if (ins) parts.push(`+${ins} inserted`);
      if (spec.strategy !== "append") {
        const upd = await this.editor.update(spec, updates);
        if (upd) parts.push(`${upd} updated`);
      }
      if (spec.strategy === "snapshot") {
        const del = await this.editor.delete(spec, deletes);
        if (del) parts.push(`${del} deleted`);
      }
      lines.push(`${spec.name}: ${parts.join(", ")}`);
    }
  }

  private phase(name: string, lines: string[]): void {
    this.log.phases.push({ name, lines });
    this.hooks.print(`\n-- ${name}`);
    for (const l of lines) this.hooks.print(`   ${l}`);
  }

  private async run(tier: string, label: string, when: Date): Promise<RunReport> {
    await settle(this.editor);
    this.hooks.print(`\n>> ${label}: ${this.pipeline.kind} run of tier ${tier} starts`);
    const handle = await this.pipeline.start(tier, label, when);
    return this.finish(handle);
  }

  private async finish(handle: RunHandle): Promise<RunReport> {
    const report = await this.pipeline.finish(handle);
    this.log.runs.push(report);
    await this.hooks.onRun(report);
    return report;
  }

  private async hardChanges(lines: string[]): Promise<void> {
    const h = this.plan.hard;
    const hard = new HardCases(this.editor);
    const inc = await hard.deleteRows(this.spec(h.deletes.incremental), h.deletes.rows);
    const app = await hard.deleteRows(this.spec(h.deletes.append), h.deletes.rows);
    lines.push(`${h.deletes.incremental}: ${inc} rows DELETED (incremental: no cursor shows a delete)`);
    lines.push(`${h.deletes.append}: ${app} rows DELETED (append: insert-only by contract, deleted anyway)`);
    const ddl = await hard.addColumnWithDefault(this.spec(h.columnWithDefault.table), h.columnWithDefault.column);
    lines.push(`${h.columnWithDefault.table}: ADD COLUMN ${ddl} (every row gets the default, no cursor moves)`);
    const nul = await hard.nullCursorRows(this.spec(h.nullCursor.table), h.nullCursor.rows);
    lines.push(`${h.nullCursor.table}: cursor made nullable, +${nul} rows with a NULL cursor`);
    const back = await hard.cursorBackwards(
      this.spec(h.cursorBackwards.table),
      h.cursorBackwards.column,
      h.cursorBackwards.value,
      h.cursorBackwards.rows,
    );
    lines.push(`${h.cursorBackwards.table}: ${back} rows changed with their cursor moved 2 hours BACK (lagging clock)`);
    const moved = await hard.changePrimaryKey(this.spec(h.keyChange.table), h.keyChange.rows, h.keyChange.offset);
    lines.push(`${h.keyChange.table}: ${moved} rows got a new PRIMARY KEY value (+${h.keyChange.offset})`);
  }

  /** Opens the late transaction and waits until its cursor is older than the table's lookback. */
  private async lateCommitOpened(): Promise<OpenTransaction> {
    const l = this.plan.hard.lateCommit;
    const spec = this.spec(l.table);
    const open = await new HardCases(this.editor).openTransaction(spec, l.column, l.value);
    const waitMs = (spec.strategy === "incremental" ? spec.lookbackMinutes : 0) * 60_000 + SAFETY_MS;
    this.phase("D1 07:58 late commit opened", [
      `${l.table}: a second connection updates row ${open.key} (cursor stamped now) and keeps its transaction open ${Math.round(waitMs / 1000)} s, past the ${spec.strategy === "incremental" ? spec.lookbackMinutes : 0}-minute lookback, until after the 08:00 run`,
    ]);
    await new Promise((r) => setTimeout(r, waitMs));
    return open;
  }

  async play(): Promise<DayLog> {
    const p = this.plan;
    await this.run("daily", "D1 01:30 daily", at(0, "01:30"));

    const a: string[] = [];
    await this.changeRows(this.quarterTables(), a);
    await this.changeRows(
      p.dailyChanges.map((n) => this.spec(n)),
      a,
    );
    a.push(`${p.unchangedSnapshot}: left unchanged (snapshot)`);
    const col = this.spec(p.newColumn.table);
    const added = await this.editor.addColumn(col, p.newColumn.column, p.updates);
    a.push(`${col.name}: new column ${p.newColumn.column} (${added.ddl}; filled on ${added.filled} rows)`);
    await this.hardChanges(a);
    this.phase("D1 07:50 source changes", a);

    const onboard: string[] = [];
    const rows = await this.editor.createTable(p.newTable.name, p.newTable.rows, p.newTable.cursor);
    appendFileSync(this.tablesFile, "\n" + p.newTable.yaml.trimEnd() + "\n");
    this.model = loadTablesYaml(this.tablesFile);
    this.pipeline.redeploy();
    onboard.push(
      `${p.newTable.name}: created at the source with ${rows} rows, added to ${this.tablesFile} (tier every_15_min), coordinator redeployed`,
    );
    this.phase("D1 07:55 onboarding", onboard);

    const late = await this.lateCommitOpened();
    await this.run("every_15_min", "D1 08:00 every_15_min", at(0, "08:00"));
    await late.commit();
    this.phase("D1 08:05 late commit", [
      `${late.table}: the transaction held open since before the run (row ${late.key}, cursor stamped then) commits now`,
    ]);
    for (let i = 0; i < p.extraQuarterRuns; i++) {
      const b: string[] = [];
      await this.changeRows(this.quarterTables(), b);
      const hhmm = `08:${String(15 * (i + 1)).padStart(2, "0")}`;
      this.phase(`D1 ${hhmm} source changes`, b);
      await this.run("every_15_min", `D1 ${hhmm} every_15_min`, at(0, hhmm));
    }

    const c: string[] = [];
    await this.changeRows(this.quarterTables(), c);
    await this.changeRows(
      p.dailyChanges.map((n) => this.spec(n)),
      c,
    );
    const hard = new HardCases(this.editor);
    const refilled = await hard.truncateAndRefill(this.spec(p.hard.truncate.table), p.hard.truncate.rows);
    c.push(`${p.hard.truncate.table}: TRUNCATED and refilled with ${refilled} rows (its max key falls below the lake's watermark)`);
    await this.editor.dropTable(this.spec(p.droppedTable).source);
    c.push(`${p.droppedTable}: DROPPED at the source (its next load must fail and alert, the others go on)`);
    this.phase("D1 18:00 source changes", c);

    await settle(this.editor);
    this.hooks.print(`\n>> D2 01:30 daily: ${this.pipeline.kind} run of tier daily starts (long run)`);
    const daily = await this.pipeline.start("daily", "D2 01:30 daily", at(1, "01:30"));
    const overlapReady = (): boolean => this.pipeline.finishedTables(daily).length >= p.overlapAfterTables || this.pipeline.jobEnded(daily);
    while (!overlapReady()) await new Promise((r) => setTimeout(r, 250));
    const done = this.pipeline.finishedTables(daily).length;
    this.hooks.print(
      this.pipeline.jobEnded(daily)
        ? `\n>> D2 06:00 every_15_min: fired after the daily run's job ended (${done} of its tables seen done): no overlap`
        : `\n>> D2 06:00 every_15_min: fired while the daily run still runs (${done} of its tables done)`,
    );
    const quarter = await this.pipeline.start("every_15_min", "D2 06:00 every_15_min", at(1, "06:00"));
    await this.finish(quarter);
    await this.finish(daily);

    const d: string[] = [];
    await this.changeRows(this.quarterTables(), d);
    this.phase("D2 06:10 source changes", d);
    await this.run("every_15_min", "D2 06:15 every_15_min", at(1, "06:15"));

    // The truncated append table failed loudly in D2's daily run; the operator reloads it from scratch.
    const truncated = this.spec(p.hard.truncate.table);
    const reloadLabel = `D2 06:20 operator: lake reload ${truncated.name}`;
    await settle(this.editor);
    const reload = await this.pipeline.manual(
      reloadLabel,
      this.model.tiers.find((t) => t.syncsAllTables)?.name ?? "daily",
      [truncated.name],
      {
        reload: true,
      },
    );
    this.phase(reloadLabel, [
      reload
        ? `${truncated.name}: the operator sends the coordinator's manual event {reload: true} (the manifest carries no watermark, the table loads from scratch)`
        : `${truncated.name}: the ${this.pipeline.kind} has no operator reload; the day plays on`,
    ]);
    if (reload) await this.finish(reload);
    return this.log;
  }
}

/** The demo's additions to the source and tables.yaml (the DDL is each engine's, demo/source/<engine>.ts). */
export const NEW_TABLE = {
  name: "sales_promotion",
  cursor: "updated_at",
  yaml: `  # Onboarded during the demo day: a pull request adding these lines, then a redeploy.
  - name: sales_promotion
    domain: sales
    tier: every_15_min
    strategy: incremental
    cursor: updated_at
    primaryKey: [promotion_id]
    description: Sales promotions (onboarded during the demo day).`,
} as const;

export const NEW_COLUMN = { table: "customer", column: "loyalty_tier" } as const;
