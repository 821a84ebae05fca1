/**
 * PII tags fail closed and are reconciled on every run, against moto's Lake Formation (which
 * stores LF-tags per database, table and column) and Glue catalog. The catalog databases carry
 * pii=true as the stack sets them, so a column is visible to roles not cleared for PII only with
 * its own pii=false. moto 5.2.5 answers GetResourceLFTags on an untagged table with HTTP 500; the
 * coordinator reads that as "no tags" only against a local endpoint (aws/lfTags.ts).
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { AddLFTagsToResourceCommand, CreateLFTagCommand, GetResourceLFTagsCommand } from "@aws-sdk/client-lakeformation";
import { DeleteTableCommand } from "@aws-sdk/client-glue";
import { loadTablesYaml } from "../../model";
import type { FinalizeReport } from "../../handlers/coordinator/flows/finalizeRun";
import type { StartRunReport } from "../../handlers/coordinator/flows/startRun";
import { mockUpdateCrawler, type UpdateCrawlerMock } from "./support/glueMock";
import { resetMoto } from "./support/moto";
import {
  createCatalogTable,
  createLake,
  JOBS,
  job,
  jobStateEvent,
  scheduleEvent,
  type TestCoordinator,
  type TestLake,
} from "./support/lake";

type Started = Extract<StartRunReport, { outcome: "started" }>;
type Finalized = Extract<FinalizeReport, { outcome: "finalized" }>;

describe("coordinator PII tags: fail closed, reconciled every run (moto)", function () {
  this.timeout(60_000);
  let lake: TestLake;
  let updates: UpdateCrawlerMock;
  let customerColumns: string[];

  beforeEach(async () => {
    await resetMoto();
    lake = await createLake();
    updates = mockUpdateCrawler(lake.clients.glue);
    const spec = loadTablesYaml(lake.tablesFile).tables.find((t) => t.name === "customer");
    assert.ok(spec);
    customerColumns = [...spec.pii, ...spec.nonPii];
    // The full copy (created by the job) and the raw table (by the crawler) exist in the catalog.
    await createCatalogTable(lake, "lake_sales", "customer", customerColumns);
    await createCatalogTable(lake, "lake_sales_raw", "customer", [...customerColumns, "_ingested_at", "_run_id"]);
  });
  afterEach(() => updates.restore());

  /** One 15-minute run whose job commits every table with the same schema fingerprint (no crawl). */
  async function run(coordinator: TestCoordinator, at: string): Promise<Finalized> {
    const started = (await coordinator.handle(scheduleEvent("every_15_min", at))) as Started;
    assert.equal(started.outcome, "started", JSON.stringify(started));
    for (const table of started.leased) await job.commit(lake, table, started.runId, { fingerprint: `fp-${table}` });
    const report = (await coordinator.handle(jobStateEvent(JOBS.every_15_min, started.jobRunId, "SUCCEEDED"))) as Finalized;
    assert.equal(report.outcome, "finalized", JSON.stringify(report));
    lake.clock.advance(900);
    return report;
  }

  /** Column -> its own value of the key (absent: it inherits from the table and database). */
  async function ownTags(database: string, columns: readonly string[], key = "pii"): Promise<Map<string, string>> {
    const res = await lake.clients.lakeformation.send(
      new GetResourceLFTagsCommand({
        Resource: { TableWithColumns: { DatabaseName: database, Name: "customer", ColumnNames: [...columns] } },
        ShowAssignedLFTags: true,
      }),
    );
    const out = new Map<string, string>();
    for (const c of res.LFTagsOnColumns ?? []) {
      const value = c.LFTags?.find((t) => t.TagKey === key)?.TagValues?.[0];
      if (c.Name && value !== undefined) out.set(c.Name, value);
    }
    return out;
  }

  it("tags nonPii columns pii=false and pii columns pii=true, in the full copy and the raw table; lineage columns are nonPii", async () => {
    await run(lake.coordinator(), "2024-05-07T06:00:00Z");
    for (const database of ["lake_sales", "lake_sales_raw"]) {
      const tags = await ownTags(database, [...customerColumns, "_ingested_at"]);
      assert.equal(tags.get("email"), "true", database);
      assert.equal(tags.get("date_of_birth"), "true", database);
      assert.equal(tags.get("customer_id"), "false", database);
      assert.equal(tags.get("credit_limit"), "false", database);
      if (database.endsWith("_raw")) assert.equal(tags.get("_ingested_at"), "false");
    }
  });

  it("reconciles desired against actual on every run, not only on a schema change: a tampered tag is put back", async () => {
    const coordinator = lake.coordinator();
    await run(coordinator, "2024-05-07T06:00:00Z");
    // Someone reveals a PII column by hand; the next run (same schema fingerprint: no crawl) hides it again.
    await lake.clients.lakeformation.send(
      new AddLFTagsToResourceCommand({
        Resource: { TableWithColumns: { DatabaseName: "lake_sales", Name: "customer", ColumnNames: ["email"] } },
        LFTags: [{ TagKey: "pii", TagValues: ["false"] }],
      }),
    );
    assert.equal((await ownTags("lake_sales", ["email"])).get("email"), "false");
    const report = await run(coordinator, "2024-05-07T06:15:00Z");
    assert.deepEqual(report.crawlRequested, [], "no schema change");
    assert.equal((await ownTags("lake_sales", ["email"])).get("email"), "true");
    assert.ok(coordinator.log.lines.some((l) => l.event === "pii.reconciled" && JSON.stringify(l).includes('"hidden":["email"]')));
  });

  it("hides a column moved into pii: in tables.yaml on the next run, with no schema change", async () => {
    await run(lake.coordinator(), "2024-05-07T06:00:00Z");
    assert.equal((await ownTags("lake_sales", ["company_name"])).get("company_name"), "false");
    const text = readFileSync(lake.tablesFile, "utf8");
    const moved = text
      .replace(
        "pii: [first_name, last_name, email, phone, date_of_birth]",
        "pii: [first_name, last_name, email, phone, date_of_birth, company_name]",
      )
      .replace(
        "nonPii: [customer_id, customer_number, customer_type, company_name,",
        "nonPii: [customer_id, customer_number, customer_type,",
      );
    assert.notEqual(moved, text);
    writeFileSync(lake.tablesFile, moved);
    await run(lake.coordinator(), "2024-05-07T06:15:00Z"); // redeployed with the new tables.yaml
    for (const database of ["lake_sales", "lake_sales_raw"])
      assert.equal((await ownTags(database, ["company_name"])).get("company_name"), "true", database);
  });

  it("leaves a new, unclassified column without a tag of its own (it inherits pii=true: hidden) and logs it for classification", async () => {
    await lake.clients.glue.send(new DeleteTableCommand({ DatabaseName: "lake_sales", Name: "customer" }));
    await createCatalogTable(lake, "lake_sales", "customer", [...customerColumns, "loyalty_tier"]);
    const coordinator = lake.coordinator();
    await run(coordinator, "2024-05-07T06:00:00Z");
    const tags = await ownTags("lake_sales", ["loyalty_tier", "customer_id"]);
    assert.equal(tags.get("loyalty_tier"), undefined);
    assert.equal(tags.get("customer_id"), "false");
    const db = await lake.clients.lakeformation.send(new GetResourceLFTagsCommand({ Resource: { Database: { Name: "lake_sales" } } }));
    assert.deepEqual(db.LFTagOnDatabase?.find((t) => t.TagKey === "pii")?.TagValues, ["true"]);
    const warning = coordinator.log.lines.find((l) => l.event === "pii.unclassified" && l.fields["database"] === "lake_sales");
    assert.deepEqual(warning?.fields["hiddenNeedsClassification"], ["loyalty_tier"]);
  });

  it("honours the tag key prefix (PII_TAG_KEY) and never writes the bare key", async () => {
    await lake.clients.lakeformation.send(new CreateLFTagCommand({ TagKey: "acme_pii", TagValues: ["true", "false"] }));
    await run(lake.coordinator({ env: { PII_TAG_KEY: "acme_pii" } }), "2024-05-07T06:00:00Z");
    const prefixed = await ownTags("lake_sales", ["email", "customer_id"], "acme_pii");
    assert.deepEqual([prefixed.get("email"), prefixed.get("customer_id")], ["true", "false"]);
    assert.equal((await ownTags("lake_sales", ["email", "customer_id"], "pii")).size, 0);
  });

  it("a failed tag call leaves the columns hidden and raises the alert naming the table", async () => {
    // The tag key does not exist in Lake Formation: every AddLFTagsToResource reports a failure.
    const coordinator = lake.coordinator({ env: { PII_TAG_KEY: "missing_pii" } });
    const report = await run(coordinator, "2024-05-07T06:00:00Z");
    assert.ok(
      report.failed.some((f) => f.table === "lake_sales.customer" && f.reason.includes("not reconciled")),
      JSON.stringify(report.failed),
    );
    assert.equal(coordinator.alerts.length, 1);
    assert.match(coordinator.alerts[0].message, /lake_sales\.customer/);
    const tags = await ownTags("lake_sales", customerColumns, "missing_pii");
    assert.equal(tags.size, 0, "nothing revealed: every column still inherits the database's pii=true");
  });
});
