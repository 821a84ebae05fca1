/**
 * lake onboard against the real local MariaDB: the demo schema plus odd tables. Every proposal
 * validates with the model, strategies follow the rules, and on the demo schema the proposals
 * agree with the reviewed tables.yaml.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkTablesYaml, lakeNameProblem, loadTablesYaml, parseTablesYaml, type TableSpec } from "../../model";
import { readSourceSchema } from "../../cli/introspect";
import { propose } from "../../cli/onboard/propose";
import { createDemoDatabase, dropDatabase, execute, ODD_TABLES_SQL, PASSWORD, REPO_ROOT, sourceUrl } from "./support/mariadb";
import { lake, tempTablesDir } from "./support/run";

const REVIEWED = loadTablesYaml(join(REPO_ROOT, "tables.yaml"));
const bySource = (tables: readonly TableSpec[], source: string): TableSpec => {
  const t = tables.find((x) => x.source === source);
  assert.ok(t, `no entry for source table ${source}`);
  return t;
};

/** The lines of the entry named `name` in tables.yaml text, from its `- name:` line to the next blank line. */
function entryLines(text: string, name: string): string[] {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => new RegExp(`^ *- +name: ${name}$`).test(l));
  assert.ok(start >= 0, `no entry ${name}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === "");
  return lines.slice(start, end < 0 ? undefined : end);
}

/**
 * The example file rewritten in another style than the repository's: dashes of `tables` not
 * indented, padded flow lists, more spaces after `#`, and end-of-line comments with odd spacing.
 */
function otherStyle(text: string): string {
  const at = text.indexOf("\ntables:\n") + "\ntables:\n".length;
  assert.ok(at > 20, "tables.yaml changed shape: no tables section");
  const tables = text
    .slice(at)
    .split("\n")
    .map((l) => (l.startsWith("  ") ? l.slice(2) : l))
    .join("\n");
  const styled = (text.slice(0, at) + tables)
    .replace(/\[([^\]\n]+)\]/g, "[ $1 ]")
    .replace(/^( *)# /gm, "$1#   ")
    .replace("\n- name: customer\n", "\n- name: customer      #first entry\n")
    .replace("\ntables:\n", "\ntables:   #  every onboarded table\n");
  return styled + "#    end of tables\n";
}

/** tables.yaml with every section of the example but only its first table (customer). */
function onlyCustomer(): string {
  const text = readFileSync(join(REPO_ROOT, "tables.yaml"), "utf8");
  const start = text.indexOf("\n  - name: customer\n");
  const next = text.indexOf("\n  - name: customer_address\n");
  assert.ok(start > 0 && next > start, "tables.yaml changed shape: customer must come before customer_address");
  return text.slice(0, next) + "\n";
}

describe("lake onboard (real MariaDB)", function () {
  this.timeout(120_000);
  let db: string;
  before(async () => {
    db = await createDemoDatabase("onboard");
    await execute(db, ODD_TABLES_SQL);
  });
  after(async () => {
    if (db) await dropDatabase(db);
  });

  it("proposes, for the demo schema, the strategy, column and primary key the reviewed tables.yaml chose (44 tables)", async () => {
    const model = parseTablesYaml(onlyCustomer(), "only-customer.yaml");
    process.env.LAKE_SOURCE_PASSWORD = PASSWORD;
    const schema = await readSourceSchema(sourceUrl(db));
    const { proposals, skipped } = propose(schema, model, { domainMap: [] });
    assert.deepEqual(skipped, []);
    const demo = proposals.filter((p) => REVIEWED.tables.some((t) => t.source === p.sourceTable.name));
    assert.equal(demo.length, REVIEWED.tables.length - 1);
    const mismatches: string[] = [];
    for (const p of demo) {
      const reviewed = bySource(REVIEWED.tables, p.sourceTable.name);
      const column = reviewed.strategy === "incremental" ? reviewed.cursor : reviewed.strategy === "append" ? reviewed.key : undefined;
      const got = `${p.entry.strategy} ${p.entry.cursor ?? p.entry.key ?? "-"} [${(p.entry.primaryKey ?? []).join(",")}]`;
      const want = `${reviewed.strategy} ${column ?? "-"} [${reviewed.primaryKey.join(",")}]`;
      if (got !== want) mismatches.push(`${p.sourceTable.name}: proposed ${got}, reviewed ${want}`);
      if (p.domain.domain !== reviewed.domain)
        mismatches.push(`${p.sourceTable.name}: domain ${p.domain.domain}, reviewed ${reviewed.domain}`);
    }
    assert.deepEqual(mismatches, []);
    // PII by name finds most of what reviewers listed, and never a key or cursor column.
    const listed = demo.flatMap((p) => bySource(REVIEWED.tables, p.sourceTable.name).pii.map((c) => `${p.sourceTable.name}.${c}`));
    const found = new Set(demo.flatMap((p) => (p.entry.pii ?? []).map((c) => `${p.sourceTable.name}.${c}`)));
    const missed = listed.filter((c) => !found.has(c));
    assert.ok(missed.length / listed.length <= 0.1, `PII recall too low; missed ${missed.join(", ")}`);
    for (const p of proposals) {
      for (const c of p.entry.pii ?? []) {
        assert.ok(![p.entry.cursor, p.entry.key, ...(p.entry.primaryKey ?? [])].includes(c), `${p.entry.name}: pii ${c} is structural`);
      }
    }
    // Every source column is classified exactly once (pii or nonPii): none would be left hidden by accident.
    for (const p of proposals) {
      const classified = [...(p.entry.pii ?? []), ...(p.entry.nonPii ?? [])];
      assert.deepEqual([...classified].sort(), p.sourceTable.columns.map((c) => c.name).sort(), p.entry.name);
      assert.equal(new Set(classified).size, classified.length, `${p.entry.name}: a column in both lists`);
    }
  });

  it("--dry-run prints entries for exactly the tables not onboarded, all validating, and leaves the file alone", async () => {
    const dir = tempTablesDir();
    const before = readFileSync(join(dir, "tables.yaml"), "utf8");
    const result = await lake(["onboard", "--dry-run", "--source", sourceUrl(db)], dir);
    assert.equal(result.code, 0, result.err);
    assert.equal(readFileSync(join(dir, "tables.yaml"), "utf8"), before);
    const names = [...result.out.matchAll(/^ {2}- name: (\S+)$/gm)].map((m) => m[1]);
    assert.equal(names.length, 9, result.out);
    const sources = [...result.out.matchAll(/^ {4}source: (\S+)$/gm)].map((m) => m[1]);
    assert.deepEqual(sources.sort(), ["CustomerNote", "order"]);
    assert.ok(!result.out.includes(PASSWORD) && !result.err.includes(PASSWORD));
    // The printed entries appended to the file validate with the model.
    const check = checkTablesYaml(before.trimEnd() + "\n" + result.out + "\n", "dry-run.yaml");
    assert.deepEqual(check.issues, []);
  });

  it("writes entries that validate, chooses strategies by the rules and keeps every existing line and comment", async () => {
    const dir = tempTablesDir();
    const file = join(dir, "tables.yaml");
    const before = readFileSync(file, "utf8");
    const result = await lake(["onboard", "--source", sourceUrl(db), "--domain-map", "route_=logistics"], dir);
    assert.equal(result.code, 0, result.err);
    const after = readFileSync(file, "utf8");
    assert.ok(after.startsWith(before), "the original file must be an untouched prefix of the new one");
    assert.match(after, /# --- proposed by lake onboard from mariadb:\/\/lake_ingest@127\.0\.0\.1:3306\//);
    const model = loadTablesYaml(file);
    const t = (source: string): TableSpec => bySource(model.tables, source);

    assert.equal(t("no_key_import").strategy, "snapshot");
    assert.deepEqual(t("no_key_import").primaryKey, []);
    assert.equal(t("no_key_but_tracked").strategy, "snapshot", "a cursor without a primary key cannot merge");
    assert.deepEqual(t("route_stop").primaryKey, ["stop_number", "route_code"], "primary key in key order, not column order");
    assert.equal(t("route_stop").strategy, "snapshot");
    const change = t("route_stop_change");
    assert.ok(change.strategy === "incremental" && change.cursor === "updated_at");
    assert.deepEqual(change.primaryKey, ["route_code", "stop_number"]);
    const stock = t("stock");
    assert.ok(stock.strategy === "append" && stock.key === "stock_id", "auto-increment key and only created_at: append");
    assert.equal(stock.domain, "logistics", "stock is the first word of stock_level and stock_movement");
    const touched = t("app_touched");
    assert.ok(
      touched.strategy === "incremental" && touched.cursor === "changed_at",
      "a DATETIME set by the application is a cursor by name",
    );
    // ON UPDATE CURRENT_TIMESTAMP alone (row_stamp is not a cursor-like name) makes the cursor.
    const stamped = t("rate_card");
    assert.ok(stamped.strategy === "incremental" && stamped.cursor === "row_stamp", `rate_card: ${stamped.strategy}`);
    assert.deepEqual(stamped.primaryKey, ["rate_card_id"]);
    assert.match(
      after,
      /^ {2}# rate_card: incremental \(row_stamp is updated on change \(ON UPDATE CURRENT_TIMESTAMP\)\)\n {2}- name: rate_card$/m,
    );
    const note = t("CustomerNote");
    assert.ok(note.strategy === "incremental" && note.cursor === "ModifiedAt");
    assert.equal(note.name, "customer_note");
    assert.deepEqual([...note.pii].sort(), ["AuthorEmail", "FirstName"]);
    const order = t("order");
    assert.equal(lakeNameProblem(order.name), undefined);
    assert.notEqual(order.name, "order");
    assert.ok(!REVIEWED.tables.some((r) => r.name === order.name), "the new name must not collide with an onboarded table");
    assert.deepEqual(order.pii, ["contact_email"]);
    // --domain-map is the user's rule: no TODO; guesses carry one.
    const added = after.slice(before.length);
    assert.ok(entryLines(added, t("route_stop").name).includes("    domain: logistics"), "a --domain-map domain carries no comment");
    assert.ok(
      entryLines(added, stock.name).some((l) => /^ {4}domain: logistics # TODO confirm domain \(.+\)$/.test(l)),
      entryLines(added, stock.name).join("\n"),
    );

    const again = await lake(["onboard", "--source", sourceUrl(db)], dir);
    assert.equal(again.code, 0);
    assert.match(again.out, /nothing to onboard/);
  });

  it("inserts the entries into a file in another style without changing any existing byte", async () => {
    const dir = tempTablesDir();
    const file = join(dir, "tables.yaml");
    const before = otherStyle(readFileSync(file, "utf8"));
    assert.equal(loadTablesYaml(join(REPO_ROOT, "tables.yaml")).tables.length, checkTablesYaml(before, "styled").model?.tables.length);
    writeFileSync(file, before);
    const result = await lake(["onboard", "--source", sourceUrl(db)], dir);
    assert.equal(result.code, 0, result.err);
    const after = readFileSync(file, "utf8");
    // One insertion: the original text up to the end of the tables list, the entries, then the rest.
    const at = after.indexOf("\n\n# --- proposed by lake onboard") + 1;
    assert.ok(at > 0, after.slice(-2000));
    assert.equal(after.slice(0, at), before.slice(0, at), "every byte before the entries is unchanged");
    assert.ok(after.endsWith(before.slice(at)), "every byte after the entries is unchanged");
    assert.equal(before.slice(at), "#    end of tables\n", "the entries go after the last item, before the trailing comment");
    assert.deepEqual(checkTablesYaml(after, "styled").issues, []);
    const model = loadTablesYaml(file);
    assert.equal(model.tables.length, REVIEWED.tables.length + 9);
    // The new entries follow the file's dash indentation.
    assert.match(after, /^- name: rate_card\n {2}domain: \w+ # TODO confirm domain/m);
    assert.doesNotMatch(after.slice(at), /^ {2}- name:/m);
  });

  it("refuses a tables.yaml that does not validate before touching the source", async () => {
    const dir = tempTablesDir();
    const file = join(dir, "tables.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        "domain: sales\n    tier: daily\n    strategy: incremental\n    cursor: modified_at",
        "domain: sale\n    tier: daily\n    strategy: incremental\n    cursor: modified_at",
      ),
    );
    const result = await lake(["onboard", "--source", "mariadb://nobody@127.0.0.1:1/none"], dir);
    assert.equal(result.code, 3, "an invalid tables.yaml is exit 3, not a finding (1)");
    assert.match(result.err, /tables\.yaml:\d+:\d+: table crm_opportunity, field domain: unknown domain "sale"/);
  });

  it("reports an unreachable source and a password in the URL as errors (exit 2) without printing secrets", async () => {
    const dir = tempTablesDir();
    const down = await lake(["onboard", "--source", "mariadb://someone@127.0.0.1:1/erp"], dir);
    assert.equal(down.code, 2);
    assert.match(down.err, /cannot connect to mariadb:\/\/someone@127\.0\.0\.1:1\/erp/);
    const leaked = await lake(["onboard", "--source", "mariadb://someone:hunter2@127.0.0.1/erp"], dir);
    assert.equal(leaked.code, 2);
    assert.match(leaked.err, /must not contain a password/);
    assert.ok(!leaked.err.includes("hunter2"));
  });
});
