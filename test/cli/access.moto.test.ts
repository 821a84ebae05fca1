/**
 * `lake access` end to end against moto's Lake Formation and Glue catalog. The grants are the
 * ones the Pulumi program synthesizes for stack dev (under Pulumi mocks), replayed into moto with
 * GrantPermissions; the databases are tagged as GovernedDatabase tags them (domain, pii=true);
 * the column tags are written by the coordinator's own reconciler (LakeFormationPiiTagger). Then
 * the command reads it all back (ListPermissions, ListLFTags, Glue GetTables, GetResourceLFTags).
 * moto stores tags and grants but evaluates neither: the LF-TBAC evaluation is ours (documented
 * rules unit-tested in lfTbac.test.ts); moto's HTTP 500 for a never-tagged table is read as "no
 * tags" against a local endpoint only (handlers/coordinator/aws/lfTags.ts).
 */
import assert from "node:assert/strict";
import { CreateDatabaseCommand, CreateTableCommand, DeleteTableCommand, GlueClient } from "@aws-sdk/client-glue";
import {
  AddLFTagsToResourceCommand,
  CreateLFTagCommand,
  GrantPermissionsCommand,
  LakeFormationClient,
} from "@aws-sdk/client-lakeformation";
import { auditLakeAccess, type LakeAccessReport } from "../../cli/access";
import { replayTagPolicyGrants, tagDatabase } from "../../demo/lakeFormationReplay";
import { LakeFormationPiiTagger } from "../../handlers/coordinator/aws/piiTagger";
import { catalogDatabaseName, columnClasses, loadTablesYaml, type LakeModel } from "../../model";
import { runLakeProgram } from "../../stacks/program";
import { stackFileConfig } from "../fixtures/stackConfig";
import { ofType, runWithMocks } from "../stack/harness";
import { motoUrl, resetMoto } from "../coordinator/support/moto";
import { lake } from "./support/run";

type Dict = Record<string, unknown>;
const REGION = "eu-central-1";
const PREFIX = "acme_dev"; // lake:name acme, stack dev (stacks/lake.ts)
const dev = stackFileConfig("dev");
const principals = dev["lake:rolePrincipals"] as Record<string, string>;

describe("lake access against moto (grants synthesized by the program, tags by the coordinator's reconciler)", function () {
  this.timeout(180_000);
  let model: LakeModel;
  let grants: Dict[];
  let glue: GlueClient;
  let lf: LakeFormationClient;
  let tagger: LakeFormationPiiTagger;

  before(async () => {
    model = loadTablesYaml("tables.yaml");
    const run = await runWithMocks(dev, () => runLakeProgram());
    grants = ofType(run.resources, "aws:lakeformation/permissions:Permissions").map((g) => g.inputs);
  });

  beforeEach(async () => {
    await resetMoto();
    glue = new GlueClient({ endpoint: motoUrl(), region: REGION });
    lf = new LakeFormationClient({ endpoint: motoUrl(), region: REGION });
    tagger = new LakeFormationPiiTagger(lf, glue, "pii", { tolerateMotoUntagged: true });
    await lf.send(new CreateLFTagCommand({ TagKey: "domain", TagValues: model.domains.map((d) => d.name) }));
    await lf.send(new CreateLFTagCommand({ TagKey: "pii", TagValues: ["false", "true"] }));
    for (const domain of model.domains)
      for (const zone of ["full", "raw"] as const) {
        const name = catalogDatabaseName(PREFIX, domain.name, zone);
        await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: name } }));
        await tagDatabase(lf, name, domain.name);
      }
    // Every grant of the program that names a catalog resource by LF-tag policy, as Pulumi would make it.
    await replayTagPolicyGrants(lf, grants);
  });

  async function createTable(database: string, table: string, columns: readonly string[]): Promise<void> {
    await glue.send(
      new CreateTableCommand({
        DatabaseName: database,
        TableInput: { Name: table, StorageDescriptor: { Columns: columns.map((c) => ({ Name: c.toLowerCase(), Type: "string" })) } },
      }),
    );
  }

  /** The customer and invoice full copies and customer's raw table, reconciled by the coordinator's tagger. */
  async function loadAndTag(extraCustomerColumns: readonly string[] = []): Promise<void> {
    for (const name of ["customer", "invoice"]) {
      const spec = model.tables.find((t) => t.name === name);
      assert.ok(spec);
      const full = catalogDatabaseName(PREFIX, spec.domain, "full");
      const columns = [...spec.pii, ...spec.nonPii];
      await createTable(full, name, name === "customer" ? [...columns, ...extraCustomerColumns] : columns);
      await tagger.reconcile(full, name, columnClasses(spec));
      if (name === "customer") {
        const raw = catalogDatabaseName(PREFIX, spec.domain, "raw");
        await createTable(raw, name, [...columns, "_ingested_at", "_run_id"]);
        await tagger.reconcile(raw, name, columnClasses(spec));
      }
    }
  }

  const audit = (): Promise<LakeAccessReport> =>
    auditLakeAccess({ glue, lakeformation: lf }, { model, databasePrefix: PREFIX, rolePrincipals: principals, localEndpoint: true });

  it("the synthesized grants over reconciled tags: no violation, and each role sees what tables.yaml says", async () => {
    await loadAndTag();
    const report = await audit();
    assert.deepEqual(report.violations, [], JSON.stringify(report.violations));
    assert.equal(report.piiVisibleToUncleared, 0);
    assert.deepEqual(report.missingTagKeys, []);
    assert.equal(report.tables, 3);
    // The service roles' grants (job, crawler, coordinator) are listed for review, the roles' are judged.
    assert.ok(report.otherPrincipals.length >= 3, report.otherPrincipals.join(", "));
    assert.ok(!report.otherPrincipals.some((p) => Object.values(principals).includes(p)));
    const cell = (role: string, database: string, table: string) =>
      report.matrix.find((c) => c.role === role && c.database === database && c.table === table);
    const customer = model.tables.find((t) => t.name === "customer");
    assert.ok(customer);
    // finance_analyst (finance, sales; not cleared): customer's nonPii columns only.
    assert.deepEqual(cell("finance_analyst", "acme_dev_sales", "customer")?.hidden, [...customer.pii]);
    assert.deepEqual(cell("finance_analyst", "acme_dev_sales", "customer")?.visible, [...customer.nonPii]);
    // sales_ops (sales, cleared): every column; manufacturing_analyst: nothing of sales or finance.
    assert.deepEqual(cell("sales_ops", "acme_dev_sales", "customer")?.hidden, []);
    assert.deepEqual(cell("manufacturing_analyst", "acme_dev_sales", "customer")?.visible, []);
    assert.deepEqual(cell("manufacturing_analyst", "acme_dev_finance", "invoice")?.visible, []);
    // Raw zone: lineage columns are nonPii, so the uncleared role sees them.
    assert.ok(cell("data_engineer", "acme_dev_sales_raw", "customer")?.visible.includes("_run_id"));
  });

  it("a new column and a new table are hidden from uncleared roles from the moment they exist, with no tag call", async () => {
    await loadAndTag(["loyalty_tier"]);
    await createTable(catalogDatabaseName(PREFIX, "sales", "full"), "sales_promotion", ["promotion_id", "customer_email"]);
    const report = await audit();
    assert.deepEqual(report.violations, []);
    assert.equal(report.piiVisibleToUncleared, 0);
    const analyst = report.matrix.filter((c) => c.role === "finance_analyst" && c.database === "acme_dev_sales");
    assert.ok(analyst.find((c) => c.table === "customer")?.hidden.includes("loyalty_tier"));
    assert.deepEqual(analyst.find((c) => c.table === "sales_promotion")?.visible, []);
    const ops = report.matrix.find((c) => c.role === "sales_ops" && c.table === "sales_promotion");
    assert.deepEqual(ops?.visible, ["promotion_id", "customer_email"], "a cleared role sees it at once");
  });

  it("the CLI exits 1 and counts PII visible to uncleared roles once a PII column is revealed; json and text", async () => {
    await loadAndTag();
    const ok = await lake(["access", "--stack", "dev", "--endpoint", motoUrl()]);
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.match(ok.out, /PII columns visible to uncleared roles: 0; 0 violation\(s\)/);
    await lf.send(
      new AddLFTagsToResourceCommand({
        Resource: { TableWithColumns: { DatabaseName: "acme_dev_sales", Name: "customer", ColumnNames: ["email"] } },
        LFTags: [{ TagKey: "pii", TagValues: ["false"] }],
      }),
    );
    const bad = await lake(["access", "--stack", "dev", "--endpoint", motoUrl(), "--format", "json"]);
    assert.equal(bad.code, 1, bad.err);
    const json = JSON.parse(bad.out) as LakeAccessReport;
    // Two roles not cleared read sales: finance_analyst and data_engineer.
    assert.equal(json.piiVisibleToUncleared, 2);
    assert.deepEqual(json.violations.map((v) => `${v.kind} ${v.role} ${v.table}.${v.column}`).sort(), [
      "pii-visible data_engineer customer.email",
      "pii-visible finance_analyst customer.email",
    ]);
  });

  it("flags a grant tables.yaml does not derive and the foreign domain it opens", async () => {
    await loadAndTag();
    await lf.send(
      new GrantPermissionsCommand({
        Principal: { DataLakePrincipalIdentifier: principals.manufacturing_analyst },
        Permissions: ["SELECT"],
        Resource: {
          LFTagPolicy: {
            ResourceType: "TABLE",
            Expression: [
              { TagKey: "domain", TagValues: ["finance"] },
              { TagKey: "pii", TagValues: ["false"] },
            ],
          },
        },
      }),
    );
    const report = await audit();
    assert.deepEqual(report.violations.map((v) => `${v.kind} ${v.role}`).sort(), [
      "foreign-domain manufacturing_analyst",
      "underivable-grant manufacturing_analyst",
    ]);
    await glue.send(new DeleteTableCommand({ DatabaseName: "acme_dev_finance", Name: "invoice" }));
    const withoutTables = await audit();
    assert.deepEqual(
      withoutTables.violations.map((v) => v.kind),
      ["underivable-grant"],
      "the grant itself is a violation even when no table matches it yet",
    );
  });
});
