/** The CLI's pure rules: source URLs, names, PII by name, cost arithmetic, diffs. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../cli/args";
import { insertedLines } from "../../cli/commands/onboard";
import { activeDaysPerMonth, DEFAULT_ASSUMPTIONS, tierCost } from "../../cli/cost";
import { parseSourceUrl, redactUrl } from "../../cli/introspect/url";
import { looksLikePii } from "../../cli/onboard/pii";
import { lakeNameFor, snakeCase } from "../../cli/onboard/propose";
import { differingPaths } from "../../cli/plan/resources";
import { diffTables } from "../../cli/plan/tables";
import { lakeNameProblem, loadTablesYaml, parseTablesYaml, tablesForTier } from "../../model";
import { REPO_ROOT } from "./support/mariadb";

const MODEL = loadTablesYaml(join(REPO_ROOT, "tables.yaml"));

describe("lake CLI rules", () => {
  it("parses source URLs, takes the password only from LAKE_SOURCE_PASSWORD and redacts URLs", () => {
    const maria = parseSourceUrl("mariadb://ingest@db.example.com/erp", { LAKE_SOURCE_PASSWORD: "s3cret" });
    assert.deepEqual(
      { engine: maria.engine, user: maria.user, password: maria.password, port: maria.port, schema: maria.schema },
      { engine: "mariadb", user: "ingest", password: "s3cret", port: 3306, schema: "erp" },
    );
    const pg = parseSourceUrl("postgresql://ro@pg:6543/shop?schema=sales", {});
    assert.deepEqual(
      { engine: pg.engine, port: pg.port, schema: pg.schema, password: pg.password },
      {
        engine: "postgresql",
        port: 6543,
        schema: "sales",
        password: undefined,
      },
    );
    assert.throws(
      () => parseSourceUrl("mariadb://u:pw@h/erp", {}),
      (e: unknown) => e instanceof UsageError && !e.message.includes("pw@"),
    );
    assert.throws(() => parseSourceUrl("oracle://u@h/x", {}), UsageError);
    // an engine a stack can name but the ingest job cannot load: refused by its config key
    assert.throws(
      () => parseSourceUrl("sqlserver://u@h/x", {}),
      (e: unknown) => e instanceof UsageError && e.message.includes('lake:source.engine "sqlserver" cannot be loaded yet'),
    );
    assert.throws(() => parseSourceUrl("ftp://u@h/x", {}), /unsupported scheme "ftp:"/);
    assert.throws(() => parseSourceUrl("mariadb://u@h", {}), /names no database/);
    assert.equal(redactUrl("mariadb://u:pw@h:1/erp"), "mariadb://u:***@h:1/erp");
  });

  it("makes lake-safe names: lower snake case, domain prefix for reserved or taken names", () => {
    assert.equal(snakeCase("Order_Line_Notes"), "order_line_notes");
    assert.equal(snakeCase("LoyaltyPointEvent"), "loyalty_point_event");
    assert.equal(snakeCase("2024 import-file"), "t_2024_import_file");
    const taken = new Set(MODEL.tables.map((t) => t.name));
    for (const [source, domain] of [
      ["select", "sales"],
      ["order", "sales"],
      ["Customer", "sales"],
      ["x".repeat(80), "hr"],
    ]) {
      const name = lakeNameFor(source, domain, taken);
      assert.equal(lakeNameProblem(name), undefined, `${source} -> ${name}`);
      assert.ok(!taken.has(name), `${source} -> ${name} collides`);
    }
    assert.equal(lakeNameFor("select", "sales", taken), "sales_select");
  });

  it("flags likely PII by column name, in snake_case and CamelCase, and leaves business columns alone", () => {
    for (const c of [
      "email",
      "AuthorEmail",
      "mobile_phone",
      "first_name",
      "LastName",
      "date_of_birth",
      "payer_iban",
      "national_id",
      "home_city",
      "address_line2",
      "annual_salary",
      "client_ip",
      "card_number",
    ]) {
      assert.ok(looksLikePii(c), c);
    }
    for (const c of ["company_name", "shift_name", "customer_id", "updated_at", "email_opt_in_date", "phone_country_code", "city_code"]) {
      assert.ok(!looksLikePii(c), c);
    }
  });

  it("prices a tier from its schedule, tables and workers", () => {
    const fifteen = MODEL.tiers.find((t) => t.name === "every_15_min");
    assert.ok(fifteen);
    const a = { ...DEFAULT_ASSUMPTIONS, startupSeconds: 10, secondsPerTable: 1, minimumBilledSeconds: 60 };
    const cost = tierCost(MODEL, fifteen, { workerType: "G.2X", numberOfWorkers: 3, flex: false }, a);
    const tables = tablesForTier(MODEL, "every_15_min").length;
    const billed = Math.max(10 + tables, 60);
    assert.equal(cost.billedSecondsPerRun, billed, "short runs are billed the minimum");
    assert.equal(cost.dpu, 6);
    assert.equal(cost.runsPerActiveDay, 4 * 14, "every 15 minutes from 06:00 to 19:45");
    assert.ok(Math.abs(activeDaysPerMonth(fifteen, a) - (5 / 7) * 30.44) < 1e-9, "MON-FRI");
    assert.ok(Math.abs(cost.costPerMonth - ((6 * billed * 0.44) / 3600) * 56 * (5 / 7) * 30.44) < 1e-9);
    assert.throws(() => tierCost(MODEL, fifteen, { workerType: "Z.9X", numberOfWorkers: 2, flex: false }, a), /unknown Glue worker type/);
  });

  it("diffs resource inputs by path and shows short values", () => {
    assert.deepEqual(differingPaths({ a: [1, 2], b: { c: "x" } }, { a: [1, 2], b: { c: "x" } }), []);
    assert.deepEqual(differingPaths({ a: ["f", "s"], b: { c: "x" } }, { a: ["f", "h", "s"], b: { c: "y" } }), [
      "a: [f, s] → [f, h, s]",
      "b.c: x → y",
    ]);
    assert.deepEqual(differingPaths({ p: '{"k":1}' }, { p: '{"k":2}' }), ["p.k: 1 → 2"]);
  });

  it("diffs tables field by field, including the fields only one strategy has", () => {
    const text = readFileSync(join(REPO_ROOT, "tables.yaml"), "utf8");
    const entry = "  - name: price_list\n    domain: sales\n    tier: daily\n    strategy: incremental\n    cursor: updated_at\n";
    assert.ok(text.includes(entry), "tables.yaml changed shape: price_list");
    const head = parseTablesYaml(
      text.replace(entry, "  - name: price_list\n    domain: sales\n    tier: daily\n    strategy: append\n    key: price_list_id\n"),
      "head.yaml",
    );
    const diff = diffTables(MODEL, head);
    assert.deepEqual(diff.strategyChanges, [
      { name: "price_list", changes: [{ field: "strategy", before: "incremental", after: "append" }] },
    ]);
    const changes = diff.changed.find((c) => c.name === "price_list")?.changes;
    assert.deepEqual(changes, [
      { field: "strategy", before: "incremental", after: "append" },
      { field: "cursor", before: "updated_at", after: "" },
      { field: "key", before: "", after: "price_list_id" },
      { field: "lookbackMinutes", before: "10", after: "" },
      { field: "lookbackKeys", before: "", after: "1000" },
    ]);
  });

  it("diffs a table's reconcile settings, and a changed default reaches every table that does not set its own", () => {
    const text = readFileSync(join(REPO_ROOT, "tables.yaml"), "utf8");
    const entry = "  - name: price_list\n";
    assert.ok(text.includes(entry), "tables.yaml changed shape: price_list");
    const head = parseTablesYaml(text.replace(entry, entry + "    reconcile: daily\n    reconcileAlertRows: 0\n"), "head.yaml");
    assert.deepEqual(diffTables(MODEL, head).changed, [
      {
        name: "price_list",
        changes: [
          { field: "reconcile", before: "weekly", after: "daily" },
          { field: "reconcileAlertRows", before: "100", after: "0" },
        ],
      },
    ]);
    const byDefault = parseTablesYaml(text.replace("defaults:\n", "defaults:\n  reconcile: off\n"), "head.yaml");
    assert.equal(diffTables(MODEL, byDefault).changed.length, MODEL.tables.length);
  });

  it("finds the lines an append inserted", () => {
    assert.equal(insertedLines("a\nb\n", "a\nb\nc\nd\n"), "c\nd");
    assert.equal(insertedLines("a\nz\n", "a\nb\nz\n"), "b");
  });
});
