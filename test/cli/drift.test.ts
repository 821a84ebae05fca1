/**
 * lake drift against the real local MariaDB: a dropped column, a dropped table and a new table are
 * found, also on a mixed-case table, a composite key and a reserved-word table name.
 */
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDemoDatabase, dropDatabase, execute, ODD_TABLES_SQL, sourceUrl } from "./support/mariadb";
import { lake, tempTablesDir } from "./support/run";

interface DriftJson {
  needsAction: boolean;
  findings: { kind: string; severity: string; table?: string; source: string; column?: string; message: string }[];
  columns: Record<string, string[]>;
}

describe("lake drift (real MariaDB)", function () {
  this.timeout(120_000);
  let db: string;
  let dir: string;
  before(async () => {
    db = await createDemoDatabase("drift");
    dir = tempTablesDir();
  });
  after(async () => {
    if (db) await dropDatabase(db);
  });

  const drift = async (...extra: string[]): Promise<{ code: number; json: DriftJson }> => {
    const result = await lake(["drift", "--source", sourceUrl(db), "--format", "json", ...extra], dir);
    assert.ok(result.code === 0 || result.code === 1, result.err);
    return { code: result.code, json: JSON.parse(result.out) as DriftJson };
  };

  it("finds nothing to act on when the source matches tables.yaml (exit 0) and writes a baseline", async () => {
    const { code, json } = await drift();
    assert.equal(code, 0);
    assert.equal(json.needsAction, false);
    assert.deepEqual(
      json.findings.filter((f) => f.severity === "action"),
      [],
    );
    assert.equal(Object.keys(json.columns).length, 45);
    writeFileSync(join(dir, "baseline.json"), JSON.stringify(json));
  });

  it("finds a dropped cursor, a dropped primary-key column, a dropped table (action, exit 1), a new table and new columns (info)", async () => {
    await execute(
      db,
      `ALTER TABLE customer DROP COLUMN updated_at;
       ALTER TABLE customer_address ADD COLUMN delivery_hint VARCHAR(200) NULL, ADD COLUMN contact_phone VARCHAR(40) NULL;
       ALTER TABLE shipment_item DROP PRIMARY KEY, DROP COLUMN item_number;
       DROP TABLE carrier;
       CREATE TABLE carrier_rate (carrier_code VARCHAR(10) NOT NULL PRIMARY KEY, rate DECIMAL(10,2) NOT NULL);`,
    );
    const { code, json } = await drift("--baseline", "baseline.json");
    assert.equal(code, 1);
    assert.equal(json.needsAction, true);
    const has = (kind: string, source: string, column?: string): boolean =>
      json.findings.some((f) => f.kind === kind && f.source === source && f.column === column);
    assert.ok(has("gone-column", "customer", "updated_at"), "cursor gone");
    assert.ok(has("gone-column", "shipment_item", "item_number"), "primary-key column gone");
    assert.ok(has("missing-table", "carrier"), "table dropped");
    assert.ok(has("not-onboarded", "carrier_rate"), "new source table");
    assert.ok(has("new-column", "customer_address", "delivery_hint"), "new column since the baseline");
    assert.ok(has("unlisted-pii", "customer_address", "contact_phone"), "a new column that looks like PII");
    // Both new columns are in neither pii nor nonPii: hidden from roles not cleared until classified.
    assert.ok(has("unclassified", "customer_address", "delivery_hint"), "new column: hidden, needs classification");
    assert.ok(has("unclassified", "customer_address", "contact_phone"));
    assert.deepEqual(
      json.findings.filter((f) => f.kind === "unclassified").map((f) => `${f.source}.${f.column}`),
      ["customer_address.delivery_hint", "customer_address.contact_phone"],
      "every other source column is classified in tables.yaml",
    );
    // Exactly these need action: nothing on customer_address, whose name starts like customer's
    // and which still has its updated_at (the columns are read per table, not by name prefix).
    assert.deepEqual(
      json.findings
        .filter((f) => f.severity === "action")
        .map((f) => `${f.kind} ${f.source}${f.column ? "." + f.column : ""}`)
        .sort(),
      ["gone-column customer.updated_at", "gone-column shipment_item.item_number", "missing-table carrier"],
    );
    assert.ok(json.columns.customer_address.includes("updated_at") && json.columns.customer_address.includes("delivery_hint"));
    assert.ok(!json.columns.customer.includes("updated_at") && json.columns.customer.includes("customer_id"));
    const text = await lake(["drift", "--source", sourceUrl(db)], dir);
    assert.equal(text.code, 1);
    assert.match(text.out, /unclassified: table customer_address, field nonPii: column delivery_hint is hidden, needs classification/);
    assert.match(text.out, /ACTION gone-column: table customer, field cursor: column updated_at is gone from customer/);
    assert.match(text.out, /ACTION missing-table: table carrier: source table carrier is missing/);
  });

  it("treats a missing source table of a disabled entry as info, not action", async () => {
    await execute(db, "DROP TABLE applicant;");
    const { json } = await drift();
    const applicant = json.findings.find((f) => f.source === "applicant");
    assert.equal(applicant?.kind, "disabled-missing");
    assert.equal(applicant?.severity, "info");
  });
});

/** Entries for three of the odd tables: mixed case, a composite key, a reserved word. */
const ODD_ENTRIES = `
  - name: customer_note
    source: CustomerNote
    domain: sales
    tier: daily
    strategy: incremental
    cursor: ModifiedAt
    primaryKey: [NoteID]
    pii: [AuthorEmail, FirstName]
    description: Notes on customers (mixed-case source names).

  - name: route_stop_change
    domain: logistics
    tier: daily
    strategy: incremental
    cursor: updated_at
    primaryKey: [route_code, stop_number]
    description: Route stop changes (composite key).

  - name: order_table
    source: order
    domain: sales
    tier: daily
    strategy: incremental
    cursor: updated_at
    primaryKey: [order_id]
    pii: [contact_email]
    description: Orders (a reserved word as source name).
`;

describe("lake drift on odd source tables (real MariaDB)", function () {
  this.timeout(120_000);
  let db: string;
  let dir: string;
  before(async () => {
    db = await createDemoDatabase("drift_odd");
    await execute(db, ODD_TABLES_SQL);
    dir = tempTablesDir();
    appendFileSync(join(dir, "tables.yaml"), ODD_ENTRIES);
  });
  after(async () => {
    if (db) await dropDatabase(db);
  });

  const drift = async (): Promise<{ code: number; json: DriftJson }> => {
    const result = await lake(["drift", "--source", sourceUrl(db), "--format", "json"], dir);
    assert.ok(result.code === 0 || result.code === 1, result.err);
    return { code: result.code, json: JSON.parse(result.out) as DriftJson };
  };

  it("finds the mixed-case, composite-key and reserved-word tables with their columns (exit 0)", async () => {
    const { code, json } = await drift();
    assert.deepEqual(
      json.findings.filter((f) => f.severity === "action"),
      [],
    );
    assert.equal(code, 0);
    assert.deepEqual(json.columns.CustomerNote, ["NoteID", "AuthorEmail", "FirstName", "Body", "ModifiedAt"]);
    assert.deepEqual(json.columns.order, ["order_id", "contact_email", "updated_at"]);
    assert.deepEqual(json.columns.route_stop_change, ["route_code", "stop_number", "note", "updated_at"]);
    assert.ok(!json.findings.some((f) => f.source === "customernote" || f.source === "Order"));
  });

  it("finds a dropped mixed-case cursor, a dropped composite-key column and a dropped column of `order` (action, exit 1)", async () => {
    await execute(
      db,
      `ALTER TABLE \`CustomerNote\` DROP COLUMN \`ModifiedAt\`;
       ALTER TABLE route_stop_change DROP PRIMARY KEY, DROP COLUMN stop_number, ADD PRIMARY KEY (route_code);
       ALTER TABLE \`order\` DROP COLUMN contact_email;`,
    );
    const { code, json } = await drift();
    assert.equal(code, 1);
    assert.deepEqual(
      json.findings
        .filter((f) => f.severity === "action")
        .map((f) => `${f.table} ${f.source}.${f.column}`)
        .sort(),
      ["customer_note CustomerNote.ModifiedAt", "order_table order.contact_email", "route_stop_change route_stop_change.stop_number"],
    );
    const text = await lake(["drift", "--source", sourceUrl(db)], dir);
    assert.equal(text.code, 1);
    assert.match(text.out, /^ACTION gone-column: table customer_note, field cursor: column ModifiedAt is gone from CustomerNote$/m);
    assert.match(
      text.out,
      /^ACTION gone-column: table route_stop_change, field primaryKey: column stop_number is gone from route_stop_change$/m,
    );
    assert.match(text.out, /^ACTION gone-column: table order_table, field pii: column contact_email is gone from order$/m);
  });

  it("exits 3, not 1, when tables.yaml does not validate", async () => {
    const bad = tempTablesDir();
    const file = join(bad, "tables.yaml");
    const text = readFileSync(file, "utf8");
    const broken = text.replace("\n    domain: sales\n", "\n    domain: sale\n");
    assert.notEqual(broken, text, "fixture edit must apply");
    writeFileSync(file, broken);
    const result = await lake(["drift", "--source", sourceUrl(db)], bad);
    assert.equal(result.code, 3, result.err);
    assert.match(result.err, /tables\.yaml does not validate/);
    assert.match(result.err, /unknown domain "sale"/);
  });
});
