/**
 * The day's source changes through each engine's seam (demo/source/<engine>.ts), on real servers
 * (scripts/mariadb.sh, scripts/postgres.sh), without Spark: seeding, inserts, updates, the new
 * column and table, and every hard case do to the source what the scenario says they do. The
 * demo day (test/demo/day*.test.ts) then shows the lake follows; this shows the source changed.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { loadTablesYaml, type TableSpec } from "../../model";
import { SourceEditor } from "../../demo/changes";
import { HardCases } from "../../demo/hardCases";
import { SMALL } from "../../demo/profiles";
import { seedSource } from "../../demo/seed/seed";
import { REPO } from "../../demo/settings";
import { demoSource, type DemoEngine, type SourceDb } from "../../demo/source";

const model = loadTablesYaml(path.join(REPO, "tables.yaml"));
const spec = (name: string): TableSpec => {
  const t = model.tables.find((x) => x.name === name);
  if (!t) throw new Error(`tables.yaml has no ${name}`);
  return t;
};
const count = async (db: SourceDb, sql: string): Promise<number> => Number((await db.query(sql))[0]?.["n"] ?? NaN);

for (const engine of ["mariadb", "postgresql"] as const satisfies readonly DemoEngine[]) {
  describe(`demo source changes on ${engine}`, function () {
    this.timeout(180_000);
    let editor: SourceEditor;
    let db: SourceDb;

    before(async () => {
      execFileSync(path.join(REPO, "scripts", engine === "postgresql" ? "postgres.sh" : "mariadb.sh"), {
        stdio: ["ignore", "ignore", "inherit"],
      });
      const source = demoSource(engine);
      db = await source.recreate("demo_changes_test");
      for (const t of await db.tables()) if (!(SMALL.seed.tables ?? []).includes(t)) await db.query(`DROP TABLE ${db.table(t)}`);
      const seeded = await seedSource(db, SMALL.seed, () => undefined);
      assert.equal(
        seeded.reduce((n, s) => n + s.rows, 0),
        2700,
      );
      editor = new SourceEditor(source, db, new Map(seeded.map((s) => [s.table, s.rows])));
    });

    after(async () => {
      await editor.close();
    });

    it("inserts, updates with the cursor stamped now, and deletes by key", async () => {
      const customer = spec("customer");
      const before = await count(db, `SELECT count(*) AS n FROM ${db.table("customer")}`);
      assert.equal(await editor.insert("customer", 10, "updated_at"), 10);
      assert.equal(await editor.update(customer, 15), 15);
      const recent = await count(db, `SELECT count(*) AS n FROM ${db.table("customer")} WHERE updated_at > ${db.hoursBack(db.nowUtc, 1)}`);
      // 10 inserted and 15 updated rows carry the current time (an update may pick an inserted row).
      assert.ok(recent >= 15 && recent <= 25, `rows stamped in the last hour: ${recent}`);
      assert.equal(await count(db, `SELECT count(*) AS n FROM ${db.table("customer")}`), before + 10);
      assert.equal(await editor.delete(spec("currency_rate"), 5), 5);
      assert.equal(await count(db, `SELECT count(*) AS n FROM ${db.table("currency_rate")}`), 295);
    });

    it("adds the day's column and table with the engine's DDL", async () => {
      const added = await editor.addColumn(spec("customer"), "loyalty_tier", 15);
      assert.equal(added.filled, 15);
      assert.match(added.ddl, /^loyalty_tier /);
      assert.equal(await count(db, `SELECT count(*) AS n FROM ${db.table("customer")} WHERE loyalty_tier IS NOT NULL`), 15);
      assert.equal(await editor.createTable("sales_promotion", 12, "updated_at"), 12);
      assert.equal(await count(db, `SELECT count(*) AS n FROM ${db.table("sales_promotion")}`), 12);
    });

    it("makes every hard case at the source", async () => {
      const hard = new HardCases(editor);
      const gl = spec("gl_journal");
      assert.equal(await hard.deleteRows(spec("customer_contact"), 4), 4);
      assert.equal(await count(db, `SELECT count(*) AS n FROM ${db.table("customer_contact")}`), 296);

      const ddl = await hard.addColumnWithDefault(gl, "approval_state");
      assert.match(ddl, /NOT NULL DEFAULT 1/);
      assert.equal(await count(db, `SELECT count(*) AS n FROM ${db.table("gl_journal")} WHERE approval_state = 1`), 300);

      assert.equal(await hard.nullCursorRows(gl, 3), 3);
      assert.equal(await count(db, `SELECT count(*) AS n FROM ${db.table("gl_journal")} WHERE updated_at IS NULL`), 3);

      const marker = "corrected by a lagging clock (test)";
      const stampsBefore = await db.query(`SELECT journal_id, updated_at FROM ${db.table("gl_journal")} WHERE updated_at IS NOT NULL`);
      assert.equal(await hard.cursorBackwards(gl, "description", marker, 3), 3);
      const moved = await db.query(`SELECT journal_id, updated_at FROM ${db.table("gl_journal")} WHERE description = ?`, [marker]);
      assert.equal(moved.length, 3);
      for (const row of moved) {
        const old = stampsBefore.find((r) => String(r["journal_id"]) === String(row["journal_id"]));
        const utc = (v: unknown): number => Date.parse(`${String(v).replace(" ", "T")}Z`);
        const hours = (utc(old?.["updated_at"]) - utc(row["updated_at"])) / 3_600_000;
        assert.equal(hours, 2, `journal ${String(row["journal_id"])}: ${String(old?.["updated_at"])} -> ${String(row["updated_at"])}`);
      }

      assert.equal(await hard.changePrimaryKey(spec("customer_address"), 2, 1_000_000), 2);
      assert.equal(await count(db, `SELECT count(*) AS n FROM ${db.table("customer_address")} WHERE address_id > 1000000`), 2);

      const open = await hard.openTransaction(spec("customer"), "vat_id", "DE-LATE-TEST");
      const visible = (): Promise<number> => count(db, `SELECT count(*) AS n FROM ${db.table("customer")} WHERE vat_id = 'DE-LATE-TEST'`);
      assert.equal(await visible(), 0, "the open transaction's update is visible before its commit");
      await open.commit();
      assert.equal(await visible(), 1);

      const movement = spec("stock_movement");
      assert.equal(await hard.truncateAndRefill(movement, 40), 40);
      // The identity restarted: the keys are far below the seeded 600 (MariaDB's batch insert may leave gaps).
      assert.equal(await count(db, `SELECT count(*) AS n FROM ${db.table("stock_movement")}`), 40);
      assert.ok((await count(db, `SELECT max(movement_id) AS n FROM ${db.table("stock_movement")}`)) < 100);
    });
  });
}
