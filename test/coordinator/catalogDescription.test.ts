/**
 * Raw tables' catalog description, reconciled every finalize against moto's Glue catalog with the
 * real coordinator: the table's Description and lake.* parameters from tables.yaml and the state
 * item, column comments from the job's result file (as the Python job writes it, made here), the
 * crawler's own parameters, columns and partition keys kept, and only what differs set. The run
 * manifest carries the facts the job puts on the full copy.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { CreateTableCommand, GetTableCommand, type Table } from "@aws-sdk/client-glue";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { FinalizeReport } from "../../handlers/coordinator/flows/finalizeRun";
import { resultKey } from "../../handlers/coordinator/flows/reconcileReport";
import type { StartRunReport } from "../../handlers/coordinator/flows/startRun";
import { mockUpdateCrawler, type UpdateCrawlerMock } from "./support/glueMock";
import { resetMoto } from "./support/moto";
import {
  JOBS,
  MANIFEST_BUCKET,
  job,
  jobStateEvent,
  readManifest,
  scheduleEvent,
  createLake,
  type TestCoordinator,
  type TestLake,
} from "./support/lake";

type Started = Extract<StartRunReport, { outcome: "started" }>;
type Finalized = Extract<FinalizeReport, { outcome: "finalized" }>;

const COLUMN_DOCS = { email: "Primary e-mail address [PII]", segment: "Sales segment: A, B or C", phone: "[PII]" };

describe("coordinator: raw tables' catalog description, reconciled every run (moto)", function () {
  this.timeout(60_000);
  let lake: TestLake;
  let updates: UpdateCrawlerMock;

  beforeEach(async () => {
    await resetMoto();
    lake = await createLake();
    updates = mockUpdateCrawler(lake.clients.glue);
    // The raw table as a crawler creates it: its own parameters, columns and partition keys.
    await lake.clients.glue.send(
      new CreateTableCommand({
        DatabaseName: "lake_sales_raw",
        TableInput: {
          Name: "customer",
          TableType: "EXTERNAL_TABLE",
          Parameters: { classification: "parquet", UPDATED_BY_CRAWLER: "lake-raw-sales" },
          StorageDescriptor: {
            Location: "s3://lake-raw/raw/sales/customer/",
            Columns: ["customer_id", "email", "phone", "segment", "_ingested_at", "_run_id"].map((Name) => ({ Name, Type: "string" })),
          },
          PartitionKeys: [
            { Name: "ingest_date", Type: "string" },
            { Name: "run", Type: "string" },
          ],
        },
      }),
    );
  });
  afterEach(() => updates.restore());

  async function run(coordinator: TestCoordinator, at: string, withResult: boolean): Promise<Finalized> {
    const started = (await coordinator.handle(scheduleEvent("every_15_min", at))) as Started;
    assert.equal(started.outcome, "started", JSON.stringify(started));
    for (const table of started.leased) await job.commit(lake, table, started.runId, { fingerprint: `fp-${table}` });
    if (withResult) {
      const tables = started.leased.map((name) => ({
        name,
        status: "LOADED",
        ...(name === "customer" ? { catalogMetadata: { properties: [], columns: [], columnDocs: COLUMN_DOCS } } : {}),
      }));
      const key = resultKey(started.manifestUri.replace(`s3://${MANIFEST_BUCKET}/`, ""));
      const body = JSON.stringify({ runId: started.runId, tier: "every_15_min", status: "SUCCEEDED", tables });
      await lake.clients.s3.send(new PutObjectCommand({ Bucket: MANIFEST_BUCKET, Key: key, Body: body }));
    }
    const report = (await coordinator.handle(jobStateEvent(JOBS.every_15_min, started.jobRunId, "SUCCEEDED"))) as Finalized;
    assert.equal(report.outcome, "finalized", JSON.stringify(report));
    assert.deepEqual(report.failed, []);
    lake.clock.advance(900);
    return report;
  }

  async function rawCustomer(): Promise<Table> {
    const res = await lake.clients.glue.send(new GetTableCommand({ DatabaseName: "lake_sales_raw", Name: "customer" }));
    assert.ok(res.Table);
    return res.Table;
  }

  const comments = (table: Table): Record<string, string | undefined> =>
    Object.fromEntries((table.StorageDescriptor?.Columns ?? []).map((c) => [c.Name ?? "", c.Comment || undefined]));

  const described = (coordinator: TestCoordinator): Record<string, unknown>[] =>
    coordinator.log.lines.filter((l) => l.event === "catalog.described" && l.fields["table"] === "customer").map((l) => l.fields);

  it("sets the description, the lake.* parameters and the column comments; keeps the crawler's parameters, columns and partitions", async () => {
    const coordinator = lake.coordinator();
    const loadedAt = lake.clock.now().toISOString();
    await run(coordinator, "2024-05-07T06:00:00Z", true);
    const table = await rawCustomer();
    assert.equal(table.Description, "Customer master (B2B accounts and B2C consumers).");
    const parameters = table.Parameters ?? {};
    assert.equal(parameters["classification"], "parquet");
    assert.equal(parameters["UPDATED_BY_CRAWLER"], "lake-raw-sales");
    assert.deepEqual(Object.fromEntries(Object.entries(parameters).filter(([k]) => k.startsWith("lake."))), {
      "lake.owner": "sales-data@example.com",
      "lake.domain": "sales",
      "lake.tier": "every_15_min",
      "lake.strategy": "incremental",
      "lake.source-table": "customer",
      "lake.pii-columns": "date_of_birth,email,first_name,last_name,phone",
      "lake.last-load-at": loadedAt,
    });
    assert.deepEqual(comments(table), {
      customer_id: undefined,
      email: COLUMN_DOCS.email,
      phone: COLUMN_DOCS.phone,
      segment: COLUMN_DOCS.segment,
      _ingested_at: undefined,
      _run_id: undefined,
    });
    assert.deepEqual(
      (table.PartitionKeys ?? []).map((k) => k.Name),
      ["ingest_date", "run"],
    );
    assert.equal(table.StorageDescriptor?.Location, "s3://lake-raw/raw/sales/customer/");
  });

  it("sets only what differs: the next run moves the last load time only; a changed description in tables.yaml is set", async () => {
    await run(lake.coordinator(), "2024-05-07T06:00:00Z", true);
    const second = lake.coordinator();
    await run(second, "2024-05-07T06:15:00Z", true);
    assert.deepEqual(described(second), [
      { database: "lake_sales_raw", table: "customer", description: false, parameters: ["lake.last-load-at"], columns: [] },
    ]);

    const text = readFileSync(lake.tablesFile, "utf8");
    writeFileSync(
      lake.tablesFile,
      text.replace("description: Customer master (B2B accounts and B2C consumers).", "description: Every customer of the CRM."),
    );
    const redeployed = lake.coordinator();
    await run(redeployed, "2024-05-07T06:30:00Z", false);
    const table = await rawCustomer();
    assert.equal(table.Description, "Every customer of the CRM.");
    // without the job's result, the column comments are left as they were
    assert.equal(comments(table)["email"], COLUMN_DOCS.email);
    assert.deepEqual(described(redeployed), [
      { database: "lake_sales_raw", table: "customer", description: true, parameters: ["lake.last-load-at"], columns: [] },
    ]);
  });

  it("puts the catalog facts of each table in the run manifest, for the job's full copy", async () => {
    const started = (await lake.coordinator().handle(scheduleEvent("every_15_min", "2024-05-07T06:00:00Z"))) as Started;
    const manifest = (await readManifest(lake, started.manifestUri)) as { tables: { name: string; catalog: unknown }[] };
    const customer = manifest.tables.find((t) => t.name === "customer");
    assert.deepEqual(customer?.catalog, {
      description: "Customer master (B2B accounts and B2C consumers).",
      owner: "sales-data@example.com",
      tier: "every_15_min",
    });
  });
});
