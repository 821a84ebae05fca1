/** lake drift against the real local MariaDB: a dropped column, a dropped table and a new table are found. */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDemoDatabase, dropDatabase, execute, sourceUrl } from "./support/mariadb";
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
    // The prefix twin is not confused with its longer sibling: customer_address keeps its columns.
    assert.ok(!has("gone-column", "customer_address", "updated_at"));
    for (const f of json.findings.filter((x) => x.severity === "action")) {
      assert.ok(["gone-column", "missing-table"].includes(f.kind), `${f.kind} must not need action`);
    }
    const text = await lake(["drift", "--source", sourceUrl(db)], dir);
    assert.equal(text.code, 1);
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
