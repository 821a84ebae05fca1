/**
 * A new lake from nothing: lake init writes a tables.yaml with `tables: []` that validates, lake
 * drift and lake onboard work on it against the real MariaDB, the program synthesizes from it
 * (Pulumi mocks: pulumi.runtime.setMocks, no cloud), and the local runner loads the onboarded
 * tables from another tables file and source database, with a state table per lake folder
 * (real Spark, real MariaDB, moto as the DynamoDB endpoint).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetItemCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { loadTablesYaml } from "../../model";
import { createClients } from "../../handlers/coordinator/aws/clients";
import { runLakeProgram } from "../../stacks/program";
import { stackFileConfig, withConfig } from "../fixtures/stackConfig";
import { MOTO_PORT, motoUrl } from "../coordinator/support/moto";
import { ofType, runWithMocks } from "../stack/harness";
import { connect, dropDatabase, execute, PASSWORD, REPO_ROOT, sourceUrl } from "./support/mariadb";
import { lake } from "./support/run";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "lake-init-"));
}

const SMALL_SOURCE = `
CREATE TABLE customer (customer_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, full_name VARCHAR(100) NOT NULL,
  loyalty_tier VARCHAR(10) NOT NULL, updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP);
CREATE TABLE sales_order (sales_order_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT UNSIGNED NOT NULL,
  amount DECIMAL(10,2) NOT NULL);
INSERT INTO customer (full_name, loyalty_tier) VALUES ('Ada', 'gold'), ('Bo', 'none'), ('Cy', 'silver');
INSERT INTO sales_order (customer_id, amount) VALUES (1, 10.50), (2, 3.00);
`;

describe("lake init: a new lake from an empty tables list", function () {
  this.timeout(600_000);
  let db: string;
  before(async () => {
    db = `lake_cli_test_${process.pid}_init`;
    const conn = await connect();
    try {
      await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
      await conn.query(`CREATE DATABASE \`${db}\``);
    } finally {
      await conn.end();
    }
    await execute(db, SMALL_SOURCE);
  });
  after(async () => {
    if (db) await dropDatabase(db);
  });

  it("writes a starter file with tables: [] that validates, and refuses to overwrite it without --force", async () => {
    const dir = tempDir();
    const init = await lake(
      ["init", "--domains", "sales,finance", "--timezone", "Europe/Berlin", "--access", "analyst=sales+finance,controller=finance:pii"],
      dir,
    );
    assert.equal(init.code, 0, init.err);
    const text = readFileSync(join(dir, "tables.yaml"), "utf8");
    assert.match(text, /\ntables: \[\]\n$/);
    const model = loadTablesYaml(join(dir, "tables.yaml"));
    assert.deepEqual(model.tables, []);
    assert.deepEqual(
      model.tiers.map((t) => [t.name, t.timezone, t.syncsAllTables, t.workdaysOnly]),
      [
        ["daily", "Europe/Berlin", true, false],
        ["every_15_min", "Europe/Berlin", false, true],
      ],
    );
    assert.deepEqual(
      model.access.map((a) => [a.role, a.domains, a.pii]),
      [
        ["analyst", ["sales", "finance"], false],
        ["controller", ["finance"], true],
      ],
    );
    const validate = await lake(["validate"], dir);
    assert.equal(validate.code, 0, validate.err);
    assert.match(validate.out, /valid: 0 tables/);

    writeFileSync(join(dir, "tables.yaml"), text + "# edited\n");
    const again = await lake(["init"], dir);
    assert.equal(again.code, 2);
    assert.match(again.err, /tables\.yaml exists; refusing to overwrite it \(pass --force/);
    assert.equal(readFileSync(join(dir, "tables.yaml"), "utf8"), text + "# edited\n");
    const forced = await lake(["init", "--force", "--daily-only"], dir);
    assert.equal(forced.code, 0, forced.err);
    assert.deepEqual(
      loadTablesYaml(join(dir, "tables.yaml")).tiers.map((t) => t.name),
      ["daily"],
    );
  });

  it("rejects options that would give an invalid file, naming the field", async () => {
    const dir = tempDir();
    const bad = await lake(["init", "--timezone", "CET"], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /tiers\.daily\.timezone: "CET" is not an IANA time zone/);
    const unknown = await lake(["init", "--domains", "sales", "--access", "analyst=hr"], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /role analyst names unknown domain\(s\) hr/);
  });

  it("drift and onboard work on the empty file against the real MariaDB; the onboarded file validates", async () => {
    const dir = tempDir();
    assert.equal((await lake(["init", "--domains", "sales"], dir)).code, 0);
    const drift = await lake(["drift", "--source", sourceUrl(db), "--format", "json"], dir);
    assert.equal(drift.code, 0, drift.err);
    const report = JSON.parse(drift.out) as { findings: { kind: string; message: string }[]; needsAction: boolean };
    assert.equal(report.needsAction, false);
    assert.deepEqual(report.findings.filter((f) => f.kind === "not-onboarded").length, 2);

    const onboard = await lake(["onboard", "--source", sourceUrl(db)], dir);
    assert.equal(onboard.code, 0, onboard.err);
    const model = loadTablesYaml(join(dir, "tables.yaml"));
    assert.deepEqual(
      model.tables.map((t) => [t.name, t.strategy, t.domain]),
      [
        ["customer", "incremental", "sales"],
        ["sales_order", "append", "sales"],
      ],
    );
    assert.equal((await lake(["validate"], dir)).code, 0);
    assert.equal((await lake(["drift", "--source", sourceUrl(db)], dir)).code, 0);
  });

  it("the program synthesizes from a file with no tables (Pulumi mocks)", async () => {
    const dir = tempDir();
    assert.equal((await lake(["init", "--domains", "sales,finance"], dir)).code, 0);
    const run = await runWithMocks(withConfig(stackFileConfig("dev"), { "lake:tablesFile": join(dir, "tables.yaml") }), () =>
      runLakeProgram(),
    );
    assert.equal(ofType(run.resources, "aws:glue/job:Job").length, 2);
    assert.equal(ofType(run.resources, "aws:glue/crawler:Crawler").length, 2);
  });

  it("the local runner loads another tables file and source database, with one state table per lake folder (real Spark)", async () => {
    const dir = tempDir();
    assert.equal((await lake(["init", "--domains", "sales"], dir)).code, 0);
    assert.equal((await lake(["onboard", "--source", sourceUrl(db)], dir)).code, 0);
    const tablesYaml = join(dir, "tables.yaml");
    const ddb = createClients({ endpoint: motoUrl(), region: "eu-central-1" }).dynamodb;
    const stateTables: string[] = [];
    // Two lake folders with the same name: each must load every row, from its own watermark.
    for (const parent of [tempDir(), tempDir()]) {
      const folder = join(parent, "lake");
      const run = spawnSync(
        "bash",
        [
          join(REPO_ROOT, "scripts", "run-ingest-local.sh"),
          "--tables-yaml",
          tablesYaml,
          "--source-db",
          db,
          "--lake",
          folder,
          "--tables",
          "customer,sales_order",
        ],
        { encoding: "utf8", env: { ...process.env, MOTO_PORT, LAKE_SOURCE_PASSWORD: PASSWORD }, timeout: 540_000 },
      );
      assert.equal(run.status, 0, run.stderr.slice(-3000));
      const stateTable = /state table: (\S+)/.exec(run.stderr)?.[1];
      assert.ok(stateTable, run.stderr.slice(-2000));
      assert.match(stateTable, /^lake-state-lake-[0-9a-f]{8}$/);
      stateTables.push(stateTable);
      const line = run.stdout.split("\n").find((l) => l.startsWith("INGEST_RESULT "));
      assert.ok(line, run.stdout.slice(-2000));
      const result = JSON.parse(line.slice("INGEST_RESULT ".length)) as { tables: { name: string; status: string; rowsRead: number }[] };
      assert.deepEqual(result.tables.map((t) => [t.name, t.status, t.rowsRead]).sort(), [
        ["customer", "LOADED", 3],
        ["sales_order", "LOADED", 2],
      ]);
      const item = (
        await ddb.send(new GetItemCommand({ TableName: stateTable, Key: { pk: { S: "table#sales_order" } }, ConsistentRead: true }))
      ).Item;
      assert.equal(item?.watermark?.S, "2");
    }
    assert.notEqual(stateTables[0], stateTables[1]);
    const listed = (await ddb.send(new ListTablesCommand({}))).TableNames ?? [];
    for (const t of stateTables) assert.ok(listed.includes(t));
  });
});
