/** The access audit's judgement (cli/access/audit.ts) on hand-built Lake Formation states. Pure: no AWS. */
import assert from "node:assert/strict";
import { auditAccess, derivableGrants, type AuditedDatabase } from "../../cli/access/audit";
import type { Grant, Tag } from "../../cli/access/lfTbac";
import { parseTablesYaml, type LakeModel } from "../../model";

const MODEL: LakeModel = parseTablesYaml(
  `version: 1
tiers:
  daily:
    schedule: "cron(30 1 * * ? *)"
    syncsAllTables: true
domains:
  sales:
    description: Sales
  finance:
    description: Finance
access:
  analyst:
    domains: [sales]
    pii: false
  ops:
    domains: [sales]
    pii: true
tables:
  - name: customer
    domain: sales
    tier: daily
    strategy: incremental
    cursor: updated_at
    primaryKey: [customer_id]
    pii: [email]
    nonPii: [customer_id, updated_at]
    description: Customers
  - name: invoice
    domain: finance
    tier: daily
    strategy: snapshot
    nonPii: [invoice_id]
    description: Invoices
`,
  "tables.yaml",
);
const PRINCIPALS = { analyst: "arn:aws:iam::1:role/analyst", ops: "arn:aws:iam::1:role/ops" };
const t = (key: string, value: string): Tag => ({ key, value });

function databases(customerColumns: Record<string, Tag[]>): AuditedDatabase[] {
  return [
    {
      name: "lake_sales",
      domain: "sales",
      zone: "full",
      tags: [t("domain", "sales"), t("pii", "true")],
      tables: [{ name: "customer", tags: [], columns: Object.entries(customerColumns).map(([name, tags]) => ({ name, tags })) }],
    },
    {
      name: "lake_finance",
      domain: "finance",
      zone: "full",
      tags: [t("domain", "finance"), t("pii", "true")],
      tables: [{ name: "invoice", tags: [], columns: [{ name: "invoice_id", tags: [t("pii", "false")] }] }],
    },
  ];
}

const roleGrants = (): Grant[] =>
  MODEL.access.flatMap((rule) => derivableGrants(rule, PRINCIPALS[rule.role as keyof typeof PRINCIPALS], "domain", "pii"));
const OPTIONS = { model: MODEL, rolePrincipals: PRINCIPALS, domainKey: "domain", piiKey: "pii" };
const CLASSIFIED = { customer_id: [t("pii", "false")], updated_at: [t("pii", "false")], email: [t("pii", "true")] };

describe("lake access: the audit's judgement", () => {
  it("the stack's own grants over reconciled tags: no violation; the uncleared role sees nonPii columns only", () => {
    const audit = auditAccess({ databases: databases(CLASSIFIED), grants: roleGrants() }, OPTIONS);
    assert.deepEqual(audit.violations, []);
    assert.equal(audit.piiVisibleToUncleared, 0);
    const cell = audit.matrix.find((c) => c.role === "analyst" && c.table === "customer");
    assert.deepEqual([cell?.visible, cell?.hidden], [["customer_id", "updated_at"], ["email"]]);
    const ops = audit.matrix.find((c) => c.role === "ops" && c.table === "customer");
    assert.deepEqual(ops?.visible, ["customer_id", "updated_at", "email"]);
    assert.deepEqual(audit.matrix.find((c) => c.role === "analyst" && c.table === "invoice")?.visible, [], "finance is not analyst's");
  });

  it("a pii column revealed (own pii=false) and an unclassified column revealed are violations, counted", () => {
    const state = {
      databases: databases({ ...CLASSIFIED, email: [t("pii", "false")], loyalty_tier: [t("pii", "false")] }),
      grants: roleGrants(),
    };
    const audit = auditAccess(state, OPTIONS);
    assert.equal(audit.piiVisibleToUncleared, 2);
    assert.deepEqual(
      audit.violations.map((v) => `${v.kind} ${v.role} ${v.column}`),
      ["pii-visible analyst email", "pii-visible analyst loyalty_tier"],
    );
  });

  it("a grant tables.yaml does not derive: flagged, and the foreign domain it opens is flagged too", () => {
    const extra: Grant = {
      principal: PRINCIPALS.analyst,
      permissions: ["SELECT"],
      withGrantOption: [],
      resource: {
        kind: "tagPolicy",
        resourceType: "TABLE",
        expression: [
          { key: "domain", values: ["finance"] },
          { key: "pii", values: ["false"] },
        ],
      },
    };
    const audit = auditAccess({ databases: databases(CLASSIFIED), grants: [...roleGrants(), extra] }, OPTIONS);
    assert.deepEqual(audit.violations.map((v) => v.kind).sort(), ["foreign-domain", "underivable-grant"]);
    assert.match(
      audit.violations.find((v) => v.kind === "foreign-domain")?.message ?? "",
      /analyst sees lake_finance\.invoice of domain finance/,
    );
  });

  it("an IAM_ALLOWED_PRINCIPALS grant on a lake database is a violation; a grant option on a role's grant too", () => {
    const iam: Grant = {
      principal: "IAM_ALLOWED_PRINCIPALS",
      permissions: ["ALL"],
      withGrantOption: [],
      resource: { kind: "database", database: "lake_sales" },
    };
    const [dbGrant, tableGrant] = derivableGrants(MODEL.access[0], PRINCIPALS.analyst, "domain", "pii");
    const regrant: Grant = { ...tableGrant, withGrantOption: ["SELECT"] };
    const audit = auditAccess({ databases: databases(CLASSIFIED), grants: [iam, dbGrant, regrant] }, OPTIONS);
    assert.deepEqual(audit.violations.map((v) => `${v.kind} ${v.role}`).sort(), [
      "underivable-grant IAM_ALLOWED_PRINCIPALS",
      "underivable-grant analyst",
    ]);
  });
});
