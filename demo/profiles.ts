/** Data set sizes and the day's plan: the full demo and the small one the automated test plays. */
import type { SeedProfile } from "./seed/seed";
import { NEW_COLUMN, NEW_TABLE, type DayPlan } from "./scenario";

export interface Profile {
  readonly name: "full" | "small";
  readonly seed: SeedProfile;
  readonly plan: DayPlan;
  /** Lake tables kept from tables.yaml (default: all). */
  readonly tables?: readonly string[];
}

const common = {
  newColumn: NEW_COLUMN,
  droppedTable: "quality_inspection",
  unchangedSnapshot: "tax_code",
  changedSnapshot: "currency_rate",
  hard: {
    deletes: { incremental: "customer_contact", append: "stock_movement", rows: 4 },
    columnWithDefault: { table: "gl_journal", column: "approval_state" },
    nullCursor: { table: "gl_journal", rows: 3 },
    cursorBackwards: { table: "gl_journal", column: "description", value: "corrected by a posting engine whose clock lags", rows: 3 },
    keyChange: { table: "customer_address", rows: 2, offset: 1_000_000 },
    lateCommit: { table: "customer", column: "vat_id", value: "DE-LATE-COMMIT" },
    truncate: { table: "stock_movement", rows: 40 },
  },
} as const;

export const FULL: Profile = {
  name: "full",
  seed: {
    defaultRows: 2000,
    rows: {
      machine_telemetry: 60000,
      stock_movement: 30000,
      audit_log: 20000,
      sales_order_line: 20000,
      gl_journal_line_event: 20000,
      crm_activity_event: 15000,
      time_clock_event: 15000,
    },
    repeatShareWithoutKey: 0.02,
  },
  plan: {
    ...common,
    inserts: 40,
    updates: 60,
    deletes: 15,
    extraQuarterRuns: 1,
    overlapAfterTables: 1,
    newTable: { ...NEW_TABLE, rows: 1500 },
    dailyChanges: [
      "customer_contact",
      "invoice_line",
      "crm_activity_event",
      "machine_telemetry",
      "gl_journal",
      "order_line_notes",
      "currency_rate",
      "employee",
      "audit_log",
    ],
  },
};

/** The small data set: prefix-sharing customer tables, every strategy, a snapshot left unchanged, one to drop. */
const SMALL_TABLES = [
  "customer",
  "customer_address",
  "customer_contact",
  "stock_movement",
  "gl_journal",
  "currency_rate",
  "tax_code",
  "quality_inspection",
] as const;

export const SMALL: Profile = {
  name: "small",
  tables: SMALL_TABLES,
  seed: {
    defaultRows: 300,
    rows: { stock_movement: 600 },
    tables: SMALL_TABLES,
    repeatShareWithoutKey: 0.02,
  },
  plan: {
    ...common,
    inserts: 10,
    updates: 15,
    deletes: 5,
    extraQuarterRuns: 0,
    overlapAfterTables: 0,
    newTable: { ...NEW_TABLE, rows: 120 },
    dailyChanges: ["customer_contact", "gl_journal", "currency_rate"],
  },
};
