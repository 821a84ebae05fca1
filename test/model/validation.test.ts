/** Bad tables.yaml input: every problem reported at once, each pinned to file, line, column, table and field. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkTablesYaml, parseTablesYaml, TablesYamlError, type ModelIssue } from "../../model";

const FILE = "tables.yaml";

/** A small valid document; tests break one thing at a time. */
const VALID = `version: 1
tiers:
  daily:
    schedule: "cron(30 1 * * ? *)"
    timezone: Europe/Berlin
    syncsAllTables: true
  every_15_min:
    schedule: "cron(0/15 6-19 ? * MON-FRI *)"
    workdaysOnly: true
domains:
  sales:
    description: Sales
  finance:
    description: Finance
access:
  analyst:
    domains: [sales]
    pii: false
tables:
  - name: customer
    domain: sales
    tier: every_15_min
    strategy: incremental
    cursor: updated_at
    primaryKey: [customer_id]
    pii: [email]
    description: Customers
  - name: customer_address
    domain: sales
    tier: daily
    strategy: incremental
    cursor: updated_at
    primaryKey: [address_id]
    description: Addresses
  - name: audit_log
    domain: finance
    tier: daily
    strategy: append
    key: audit_id
    description: Audit trail
  - name: currency_rate
    domain: finance
    tier: daily
    strategy: snapshot
    primaryKey: [from_currency, to_currency, rate_date]
    description: Rates
`;

function issuesOf(text: string, options = {}): ModelIssue[] {
  const result = checkTablesYaml(text, FILE, options);
  assert.equal(result.model, undefined, "expected the document to be rejected");
  return [...result.issues];
}

/** Replaces exactly one occurrence, so a fixture edit cannot silently do nothing. */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  assert.ok(at >= 0, `fixture does not contain ${JSON.stringify(from)}`);
  assert.equal(text.indexOf(from, at + 1), -1, `fixture contains ${JSON.stringify(from)} twice`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** 1-based line of the first occurrence of a snippet (the column is asserted separately). */
function lineOf(text: string, snippet: string, occurrence = 0): number {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(snippet, at + 1);
  assert.ok(at >= 0, `snippet ${snippet} not found`);
  return text.slice(0, at).split("\n").length;
}

function only(issues: ModelIssue[], predicate: (i: ModelIssue) => boolean): ModelIssue {
  const found = issues.filter(predicate);
  assert.equal(found.length, 1, `expected exactly one matching issue, got:\n${issues.map((i) => JSON.stringify(i)).join("\n")}`);
  return found[0];
}

describe("tables.yaml validation", () => {
  it("accepts the small valid document and the repository's example", () => {
    const model = parseTablesYaml(VALID, FILE);
    assert.equal(model.tables.length, 4);
    const example = readFileSync(join(__dirname, "..", "..", "tables.yaml"), "utf8");
    assert.ok(parseTablesYaml(example, "tables.yaml").tables.length >= 30);
  });

  it("reports a table declared twice, at the second entry's name", () => {
    const text = edit(VALID, "  - name: audit_log", "  - name: customer");
    const issue = only(issuesOf(text), (i) => i.message.includes("declared twice"));
    assert.equal(issue.table, "customer");
    assert.equal(issue.field, "name");
    assert.equal(issue.line, lineOf(text, "- name: customer\n", 1));
    assert.equal(issue.column, 11);
    assert.equal(issue.file, FILE);
  });

  it("reports an unknown domain with a did-you-mean hint", () => {
    const text = edit(
      VALID,
      "    domain: finance\n    tier: daily\n    strategy: append",
      "    domain: finanse\n    tier: daily\n    strategy: append",
    );
    const issue = only(issuesOf(text), (i) => i.message.startsWith("unknown domain"));
    assert.deepEqual([issue.table, issue.field, issue.line, issue.column], ["audit_log", "domain", lineOf(text, "domain: finanse"), 13]);
    assert.match(issue.hint ?? "", /did you mean "finance"/);
  });

  it("reports an unknown tier", () => {
    const text = edit(VALID, "    tier: every_15_min\n", "    tier: hourly\n");
    const issue = only(issuesOf(text), (i) => i.message.includes('unknown tier "hourly"'));
    assert.deepEqual([issue.table, issue.field], ["customer", "tier"]);
    assert.equal(issue.line, lineOf(text, "tier: hourly"));
  });

  it("reports an access rule naming an unknown domain and a role the stack cannot map", () => {
    const text = edit(VALID, "    domains: [sales]", "    domains: [sales, hr]");
    const issues = issuesOf(text, { knownRoles: ["someone_else"] });
    const domain = only(issues, (i) => i.message === 'unknown domain "hr"');
    assert.equal(domain.field, "access.analyst.domains[1]");
    assert.equal(domain.table, undefined);
    const role = only(issues, (i) => i.message.includes("no principal in the stack config"));
    assert.equal(role.field, "access.analyst");
    assert.equal(role.line, lineOf(text, "  analyst:"));
  });

  it("reports an incremental table without its cursor", () => {
    const text = edit(VALID, "    cursor: updated_at\n    primaryKey: [customer_id]", "    primaryKey: [customer_id]");
    const issue = only(issuesOf(text), (i) => i.field === "cursor");
    assert.equal(issue.table, "customer");
    assert.match(issue.message, /strategy "incremental" needs "cursor"/);
  });

  it("reports an append table without its key", () => {
    const text = edit(VALID, "    key: audit_id\n", "");
    const issue = only(issuesOf(text), (i) => i.field === "key");
    assert.deepEqual(
      [issue.table, issue.message],
      ["audit_log", 'strategy "append" needs "key": the ever-increasing key of the insert-only table'],
    );
  });

  it("reports a snapshot table that names a cursor, pointing at the field's key", () => {
    const text = edit(VALID, "    strategy: snapshot\n", "    strategy: snapshot\n    cursor: changed_on\n");
    const issue = only(issuesOf(text), (i) => i.field === "cursor");
    assert.equal(issue.table, "currency_rate");
    assert.equal(issue.line, lineOf(text, "cursor: changed_on"));
    assert.equal(issue.column, 5);
    assert.match(issue.message, /not used by strategy "snapshot"/);
  });

  it("reads an append table's lookbackKeys (default 1000) and refuses lookbacks of the other strategy", () => {
    const model = parseTablesYaml(edit(VALID, "    key: audit_id\n", "    key: audit_id\n    lookbackKeys: 5000\n"), FILE);
    const audit = model.tables.find((t) => t.name === "audit_log");
    assert.ok(audit?.strategy === "append");
    assert.equal(audit.lookbackKeys, 5000);
    const byDefault = parseTablesYaml(VALID, FILE).tables.find((t) => t.name === "audit_log");
    assert.equal(byDefault?.strategy === "append" ? byDefault.lookbackKeys : undefined, 1000);

    let text = edit(VALID, "    key: audit_id\n", "    key: audit_id\n    lookbackMinutes: 5\n");
    text = edit(
      text,
      "    cursor: updated_at\n    primaryKey: [address_id]",
      "    cursor: updated_at\n    lookbackKeys: 10\n    primaryKey: [address_id]",
    );
    const issues = issuesOf(text);
    const onAppend = only(issues, (i) => i.table === "audit_log" && i.field === "lookbackMinutes");
    assert.match(onAppend.message, /not used by strategy "append": append looks back by keys \(lookbackKeys\)/);
    const onIncremental = only(issues, (i) => i.table === "customer_address" && i.field === "lookbackKeys");
    assert.equal(onIncremental.line, lineOf(text, "lookbackKeys: 10"));
    assert.match(onIncremental.message, /not used by strategy "incremental"/);
  });

  it("reads reconcile and reconcileAlertRows: built-in defaults, then defaults, then the table's own", () => {
    const builtIn = parseTablesYaml(VALID, FILE).tables;
    assert.deepEqual(
      builtIn.map((t) => [t.reconcile, t.reconcileAlertRows]),
      builtIn.map(() => ["weekly", 100]),
    );
    let text = edit(VALID, "version: 1\n", "version: 1\ndefaults:\n  reconcile: daily\n  reconcileAlertRows: 0\n");
    text = edit(text, "    key: audit_id\n", "    key: audit_id\n    reconcile: off\n    reconcileAlertRows: 5000\n");
    const model = parseTablesYaml(text, FILE);
    const settings = Object.fromEntries(model.tables.map((t) => [t.name, [t.reconcile, t.reconcileAlertRows]]));
    assert.deepEqual(settings, {
      customer: ["daily", 0],
      customer_address: ["daily", 0],
      audit_log: ["off", 5000],
      currency_rate: ["daily", 0],
    });
  });

  it("reports a bad reconcile schedule and alert threshold with file, line, table and field", () => {
    let text = edit(VALID, "version: 1\n", "version: 1\ndefaults:\n  reconcile: dayly\n  reconcileAlertRows: many\n");
    text = edit(text, "    key: audit_id\n", "    key: audit_id\n    reconcile: monthly\n    reconcileAlertRows: -1\n");
    text = edit(text, "    description: Rates\n", "    description: Rates\n    reconcileAlertRows: 2.5\n");
    const issues = issuesOf(text);
    const defaultSchedule = only(issues, (i) => i.field === "defaults.reconcile");
    assert.deepEqual(
      [defaultSchedule.file, defaultSchedule.line, defaultSchedule.column, defaultSchedule.table],
      [FILE, lineOf(text, "reconcile: dayly"), 14, undefined],
    );
    assert.match(defaultSchedule.message, /must be one of off, daily, weekly \(got string "dayly"\)/);
    assert.match(defaultSchedule.hint ?? "", /did you mean "daily"/);
    const defaultRows = only(issues, (i) => i.field === "defaults.reconcileAlertRows");
    assert.equal(defaultRows.line, lineOf(text, "reconcileAlertRows: many"));
    assert.match(defaultRows.message, /must be integer/);
    const schedule = only(issues, (i) => i.table === "audit_log" && i.field === "reconcile");
    assert.equal(schedule.line, lineOf(text, "reconcile: monthly"));
    assert.match(schedule.message, /must be one of off, daily, weekly \(got string "monthly"\)/);
    const negative = only(issues, (i) => i.table === "audit_log" && i.field === "reconcileAlertRows");
    assert.equal(negative.line, lineOf(text, "reconcileAlertRows: -1"));
    assert.match(negative.message, /must be at least 0 \(got number -1\)/);
    const fraction = only(issues, (i) => i.table === "currency_rate" && i.field === "reconcileAlertRows");
    assert.equal(fraction.line, lineOf(text, "reconcileAlertRows: 2.5"));
    assert.match(fraction.message, /must be integer \(got number 2.5\)/);
    assert.equal(issues.length, 5, issues.map((i) => JSON.stringify(i)).join("\n"));
  });

  it("refuses lookbackMinutes 0 for an incremental table and as the default", () => {
    let text = edit(VALID, "    primaryKey: [address_id]\n", "    primaryKey: [address_id]\n    lookbackMinutes: 0\n");
    text = edit(text, "version: 1\n", "version: 1\ndefaults:\n  lookbackMinutes: 0\n");
    const issues = issuesOf(text);
    const onTable = only(issues, (i) => i.table === "customer_address" && i.field === "lookbackMinutes");
    assert.match(onTable.message, /lookbackMinutes 0 is refused for incremental tables/);
    assert.equal(onTable.line, lineOf(text, "lookbackMinutes: 0", 1));
    const onDefault = only(issues, (i) => i.table === undefined && /lookbackMinutes 0 is refused/.test(i.message));
    assert.equal(onDefault.line, lineOf(text, "lookbackMinutes: 0"));
    assert.ok(parseTablesYaml(edit(VALID, "version: 1\n", "version: 1\ndefaults:\n  lookbackMinutes: 1\n"), FILE));
  });

  it("reports a column named twice in the primary key", () => {
    const text = edit(VALID, "[from_currency, to_currency, rate_date]", "[from_currency, to_currency, from_currency]");
    const issue = only(issuesOf(text), (i) => i.message.includes("named twice"));
    assert.deepEqual([issue.table, issue.field], ["currency_rate", "primaryKey[2]"]);
  });

  it("reports a column in conflicting roles: the cursor inside the primary key, a key column marked PII", () => {
    let text = edit(VALID, "    primaryKey: [customer_id]\n", "    primaryKey: [customer_id, updated_at]\n");
    text = edit(text, "    pii: [email]", "    pii: [email, customer_id]");
    const issues = issuesOf(text);
    only(issues, (i) => i.table === "customer" && i.field === "cursor" && i.message.includes("also in primaryKey"));
    only(
      issues,
      (i) => i.table === "customer" && i.field === "pii" && i.message.includes('primary key column "customer_id" is marked PII'),
    );
  });

  it("reports a column classified both pii and nonPii, at its nonPii entry; the cursor and key may be nonPii", () => {
    const text = edit(VALID, "    pii: [email]\n", "    pii: [email]\n    nonPii: [customer_id, updated_at, Email]\n");
    const issue = only(issuesOf(text), (i) => i.message.includes("both pii and nonPii"));
    assert.deepEqual([issue.file, issue.line, issue.table, issue.field], [FILE, 27, "customer", "nonPii[2]"]);
    const model = parseTablesYaml(edit(VALID, "    pii: [email]\n", "    pii: [email]\n    nonPii: [customer_id, updated_at]\n"), FILE);
    assert.deepEqual(model.tables.find((t) => t.name === "customer")?.nonPii, ["customer_id", "updated_at"]);
    assert.deepEqual(model.tables.find((t) => t.name === "audit_log")?.nonPii, [], "nonPii is optional");
  });

  it("reports a table name that needs quoting and suggests a lake-safe name", () => {
    const text = edit(VALID, "  - name: audit_log", "  - name: Order");
    const issue = only(issuesOf(text), (i) => i.field === "name");
    assert.equal(issue.table, "Order");
    assert.match(issue.message, /would need quoting/);
    assert.match(issue.hint ?? "", /"source"/);
  });

  it("reports a reserved word as a table name", () => {
    const text = edit(VALID, "  - name: audit_log", "  - name: order");
    const issue = only(issuesOf(text), (i) => i.field === "name");
    assert.match(issue.message, /reserved word/);
  });

  it("reports an invalid identifier as a domain name, at the key", () => {
    const text = edit(VALID, "  finance:\n    description: Finance", "  Finance-EU:\n    description: Finance");
    const issues = issuesOf(text);
    const issue = only(issues, (i) => i.field === "domains.Finance-EU");
    assert.equal(issue.line, lineOf(text, "Finance-EU:"));
    assert.equal(issue.column, 3);
  });

  it("reports an invalid source column name", () => {
    const text = edit(VALID, "    key: audit_id", "    key: 'audit`id'");
    const issue = only(issuesOf(text), (i) => i.field === "key");
    assert.match(issue.message, /quote or bracket/);
  });

  it("reports a bad cron expression naming the broken field", () => {
    const text = edit(VALID, "cron(30 1 * * ? *)", "cron(30 25 * * ? *)");
    const issue = only(issuesOf(text), (i) => i.field === "tiers.daily.schedule");
    assert.match(issue.message, /hours: 25 is outside 0-23/);
    assert.equal(issue.line, lineOf(text, "cron(30 25"));
  });

  it("reports a cron with both day fields set", () => {
    const text = edit(VALID, "cron(30 1 * * ? *)", "cron(30 1 * * MON *)");
    const issue = only(issuesOf(text), (i) => i.field === "tiers.daily.schedule");
    assert.match(issue.message, /exactly one of day-of-month/);
  });

  it("reports a bad time zone", () => {
    const text = edit(VALID, "timezone: Europe/Berlin", "timezone: Europe/Berlinn");
    const issue = only(issuesOf(text), (i) => i.field === "tiers.daily.timezone");
    assert.match(issue.message, /not an IANA time zone/);
  });

  it("refuses zone abbreviations the runtime knows (EST, CET) and accepts Area/Location or UTC", () => {
    for (const zone of ["EST", "CET"]) {
      const text = edit(VALID, "timezone: Europe/Berlin", `timezone: ${zone}`);
      const issue = only(issuesOf(text), (i) => i.field === "tiers.daily.timezone");
      assert.equal(issue.message, `"${zone}" is not an IANA time zone`);
    }
    for (const zone of ["UTC", "America/New_York"]) {
      assert.deepEqual(checkTablesYaml(edit(VALID, "timezone: Europe/Berlin", `timezone: ${zone}`), FILE).issues, [], zone);
    }
  });

  it("reports a 15-minute tier that would run on weekends", () => {
    const text = edit(VALID, "cron(0/15 6-19 ? * MON-FRI *)", "cron(0/15 6-19 ? * MON-SAT *)");
    const issue = only(issuesOf(text), (i) => i.field === "tiers.every_15_min.schedule");
    assert.match(issue.message, /workdaysOnly but the schedule fires on SAT/);
  });

  it("reports a sub-hourly tier on weekends even without workdaysOnly", () => {
    const text = edit(VALID, '"cron(0/15 6-19 ? * MON-FRI *)"\n    workdaysOnly: true', '"cron(0/15 6-19 * * ? *)"');
    const issue = only(issuesOf(text), (i) => i.field === "tiers.every_15_min.schedule");
    assert.match(issue.message, /fires 4 times an hour must run on workdays only/);
  });

  it("reports a catch-all tier that does not fire every day, and a second catch-all tier", () => {
    let text = edit(VALID, "cron(30 1 * * ? *)", "cron(30 1 ? * MON-FRI *)");
    text = edit(text, "    workdaysOnly: true", "    workdaysOnly: true\n    syncsAllTables: true");
    const issues = issuesOf(text);
    only(issues, (i) => i.field === "tiers.daily.schedule" && i.message.includes("must fire every day"));
    only(issues, (i) => i.field === "tiers.every_15_min.syncsAllTables" && i.message.includes("only one tier"));
  });

  it("reports an unknown field with a did-you-mean hint, at the field", () => {
    const text = edit(VALID, "    key: audit_id", "    key: audit_id\n    primaryKy: [audit_id]");
    const issue = only(issuesOf(text), (i) => i.field === "primaryKy");
    assert.equal(issue.message, 'unknown field "primaryKy"');
    assert.match(issue.hint ?? "", /did you mean "primaryKey"/);
    assert.deepEqual([issue.line, issue.column], [lineOf(text, "primaryKy"), 5]);
  });

  it("reports a bad strategy and a wrong type in plain words", () => {
    let text = edit(VALID, "    strategy: append", "    strategy: appnd");
    text = edit(text, "    pii: false", "    pii: no-way");
    const issues = issuesOf(text);
    const strategy = only(issues, (i) => i.field === "strategy");
    assert.match(strategy.message, /must be one of incremental, append, snapshot \(got string "appnd"\)/);
    assert.match(strategy.hint ?? "", /did you mean "append"/);
    only(issues, (i) => i.field === "access.analyst.pii" && /must be boolean/.test(i.message));
  });

  it("reports a missing required field at its parent entry", () => {
    const text = edit(VALID, "    description: Rates\n", "");
    const issue = only(issuesOf(text), (i) => i.field === "description");
    assert.equal(issue.table, "currency_rate");
    assert.equal(issue.line, lineOf(text, "- name: currency_rate"));
  });

  it("reports two entries loading the same source table", () => {
    const text = edit(VALID, "  - name: audit_log\n", "  - name: audit_log_copy\n    source: currency_rate\n");
    // Reported at the later entry, which is the one that would load the table a second time.
    const issue = only(issuesOf(text), (i) => i.message.includes("already loaded"));
    assert.deepEqual([issue.table, issue.field], ["currency_rate", "name"]);
    assert.match(issue.message, /source table "currency_rate" is already loaded by entry #3/);
  });

  it("reports YAML syntax errors and duplicate keys with their position", () => {
    const duplicate = edit(VALID, "  finance:\n    description: Finance", "  sales:\n    description: Finance");
    const issue = issuesOf(duplicate)[0];
    assert.equal(issue.field, "(syntax)");
    assert.match(issue.message, /unique/i);
    assert.equal(issue.line, lineOf(duplicate, "  sales:", 1));
    const broken = issuesOf("version: 1\ntiers: [\n")[0];
    assert.equal(broken.field, "(syntax)");
  });

  it("reports every problem at once, sorted by position, and throws them all together", () => {
    let text = edit(VALID, "    tier: every_15_min\n", "    tier: hourly\n");
    text = edit(text, "    key: audit_id\n", "");
    text = edit(text, "timezone: Europe/Berlin", "timezone: Nowhere");
    const issues = issuesOf(text);
    assert.equal(issues.length, 3);
    const lines = issues.map((i) => i.line);
    assert.deepEqual(
      lines,
      [...lines].sort((a, b) => a - b),
    );
    assert.throws(
      () => parseTablesYaml(text, FILE),
      (error: unknown) => error instanceof TablesYamlError && error.issues.length === 3 && /3 problems in tables.yaml/.test(error.message),
    );
  });
});
