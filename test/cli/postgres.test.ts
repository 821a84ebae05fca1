/**
 * PostgreSQL introspection behind the same interface as MariaDB: identity/serial keys, composite
 * keys in key order, mixed-case names, timestamps set by the application, tables without a key.
 * Needs PostgreSQL's server binaries (Debian: postgresql); without them the suite is reported as
 * pending with the reason, never passed.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSourceSchema } from "../../cli/introspect";
import { chooseStrategy } from "../../cli/onboard/strategy";
import { checkTablesYaml } from "../../model";
import { REPO_ROOT } from "./support/mariadb";
import { postgresBinDir, startPostgres, type TempPostgres } from "./support/postgres";
import { lake, tempTablesDir } from "./support/run";

const SCHEMA = `
CREATE TABLE loyalty_member (member_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text, first_name text,
  updated_at timestamptz NOT NULL DEFAULT now());
COMMENT ON TABLE loyalty_member IS 'Loyalty programme members';
COMMENT ON COLUMN loyalty_member.email IS 'Member''s e-mail <newsletter>';
CREATE TABLE click_event (event_id bigserial PRIMARY KEY, payload jsonb, created_at timestamp NOT NULL);
CREATE TABLE "OrderItem" ("LineNo" int, "OrderId" int, "LastModified" timestamp NOT NULL, PRIMARY KEY ("OrderId", "LineNo"));
COMMENT ON COLUMN "OrderItem"."LastModified" IS 'Set by the order service';
CREATE TABLE fx_rate (code text, rate numeric);
CREATE VIEW not_a_table AS SELECT 1 AS x;
CREATE SCHEMA other;
CREATE TABLE other.hidden (id int PRIMARY KEY);
`;

describe("PostgreSQL introspection (temporary cluster)", function () {
  this.timeout(120_000);
  const bin = postgresBinDir();
  let pg: TempPostgres | undefined;
  let url = "";

  before(function () {
    if (!bin) {
      console.log("    PostgreSQL server binaries not installed (apt-get install postgresql): PostgreSQL tests pending");
      this.skip();
    }
    pg = startPostgres(bin as string, 55_000 + (process.pid % 1000));
    pg.sql("postgres", "CREATE DATABASE shop;");
    pg.sql("shop", SCHEMA);
    url = `postgres://postgres@localhost:${pg.port}/shop?socket=${encodeURIComponent(pg.socketDir)}`;
  });
  after(() => pg?.stop());

  it("reads base tables of the schema with keys in key order, identity columns and comments", async () => {
    const schema = await readSourceSchema(url);
    assert.equal(schema.engine, "postgresql");
    assert.deepEqual(
      schema.tables.map((t) => t.name),
      ["OrderItem", "click_event", "fx_rate", "loyalty_member"],
    );
    const t = (name: string) => schema.tables.find((x) => x.name === name)!;
    assert.deepEqual(t("OrderItem").primaryKey, ["OrderId", "LineNo"]);
    assert.equal(t("loyalty_member").comment, "Loyalty programme members");
    assert.ok(t("loyalty_member").columns.find((c) => c.name === "member_id")?.autoIncrement);
    const comments = (name: string) => Object.fromEntries(t(name).columns.map((c) => [c.name, c.comment]));
    assert.deepEqual(comments("loyalty_member"), {
      member_id: undefined,
      email: "Member's e-mail <newsletter>",
      first_name: undefined,
      updated_at: undefined,
    });
    assert.equal(comments("OrderItem")["LastModified"], "Set by the order service");
    assert.ok(t("click_event").columns.find((c) => c.name === "event_id")?.autoIncrement);
    assert.deepEqual(
      Object.fromEntries(schema.tables.map((x) => [x.name, `${chooseStrategy(x).strategy} ${chooseStrategy(x).column ?? ""}`.trim()])),
      {
        OrderItem: "incremental LastModified",
        click_event: "append event_id",
        fx_rate: "snapshot",
        loyalty_member: "incremental updated_at",
      },
    );
  });

  it("lake catalog shows the PostgreSQL column comments", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lake-pg-catalog-"));
    const file = join(dir, "tables.yaml");
    assert.equal((await lake(["init", "--file", file, "--domains", "loyalty"], dir)).code, 0);
    const onboarded = await lake(["onboard", "--file", file, "--source", url, "--domain-map", "loyalty=loyalty"], dir);
    assert.equal(onboarded.code, 0, onboarded.err);
    const out = join(dir, "catalog");
    const result = await lake(["catalog", "--file", file, "--source", url, "--database-prefix", "lake", "--out", out], dir);
    assert.equal(result.code, 0, result.err);
    const md = readFileSync(join(out, "catalog.md"), "utf8");
    assert.match(md, /^\| `email` \| text \| Member's e-mail <newsletter> \| PII \|$/m);
  });

  it("onboard --dry-run proposes entries that validate", async () => {
    const dir = tempTablesDir();
    const result = await lake(["onboard", "--dry-run", "--source", url], dir);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /- name: order_item\n {4}source: OrderItem\n/);
    const text = readFileSync(join(REPO_ROOT, "tables.yaml"), "utf8").trimEnd() + "\n" + result.out + "\n";
    assert.deepEqual(checkTablesYaml(text, "pg.yaml").issues, []);
  });
});
