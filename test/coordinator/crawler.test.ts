/**
 * Crawler skipping against moto (Glue crawlers, DynamoDB, Lake Formation LF-tags). moto 5.2.5
 * has no UpdateCrawler, so only that call is mocked (support/glueMock.ts); GetCrawler and
 * StartCrawler are moto's. A moto crawl stays RUNNING until ListCrawls is called once (its default
 * "manual" state progression), which is how these tests end a crawl. moto's job runs cannot fail, but finalize never asks: it trusts the
 * Glue Job State Change event and the table outcomes the job wrote to the state table.
 */
import assert from "node:assert/strict";
import { DeleteCrawlerCommand, GetCrawlerCommand, ListCrawlsCommand, StartCrawlerCommand, StopCrawlerCommand } from "@aws-sdk/client-glue";
import { GetResourceLFTagsCommand } from "@aws-sdk/client-lakeformation";
import { GlueCrawlers } from "../../handlers/coordinator/aws/crawlers";
import type { FinalizeReport } from "../../handlers/coordinator/flows/finalizeRun";
import type { StartRunReport } from "../../handlers/coordinator/flows/startRun";
import type { CrawlerEventReport } from "../../handlers/coordinator/flows/crawlerEvent";
import { mockUpdateCrawler, type UpdateCrawlerMock } from "./support/glueMock";
import { resetMoto } from "./support/moto";
import {
  crawlerOf,
  crawlerStateEvent,
  createCatalogTable,
  createLake,
  JOBS,
  job,
  jobStateEvent,
  scanState,
  scheduleEvent,
  tableItems,
  type TestCoordinator,
  type TestLake,
} from "./support/lake";

type Started = Extract<StartRunReport, { outcome: "started" }>;
type Finalized = Extract<FinalizeReport, { outcome: "finalized" }>;

describe("coordinator crawler decision (moto; UpdateCrawler mocked)", function () {
  this.timeout(60_000);
  let lake: TestLake;
  let updates: UpdateCrawlerMock;
  let coordinator: TestCoordinator;

  beforeEach(async () => {
    await resetMoto();
    lake = await createLake();
    updates = mockUpdateCrawler(lake.clients.glue);
    coordinator = lake.coordinator();
  });
  afterEach(() => updates.restore());

  /** Number of crawls the domain's crawler has run in moto. */
  async function crawlsOf(domain: string): Promise<number> {
    const res = await lake.clients.glue.send(new ListCrawlsCommand({ CrawlerName: crawlerOf(domain) }));
    return res.Crawls?.length ?? 0;
  }

  /** One 15-minute run in which the job commits the given fingerprints and fails nothing. */
  async function runWith(fingerprints: Record<string, string>, at: string): Promise<Finalized> {
    const run = (await coordinator.handle(scheduleEvent("every_15_min", at))) as Started;
    assert.equal(run.outcome, "started");
    for (const table of run.leased) await job.commit(lake, table, run.runId, { fingerprint: fingerprints[table] ?? `fp-${table}-1` });
    const report = (await coordinator.handle(jobStateEvent(JOBS.every_15_min, run.jobRunId, "SUCCEEDED"))) as Finalized;
    assert.equal(report.outcome, "finalized", JSON.stringify(report));
    lake.clock.advance(900);
    return report;
  }

  /** Ends every crawl in flight (moto completes a crawl once it has been listed). */
  async function finishCrawls(): Promise<void> {
    for (const domain of ["sales", "finance", "manufacturing", "logistics", "hr"]) {
      await lake.clients.glue.send(new ListCrawlsCommand({ CrawlerName: crawlerOf(domain) }));
      const state = (await lake.clients.glue.send(new GetCrawlerCommand({ Name: crawlerOf(domain) }))).Crawler?.State;
      assert.equal(state, "READY", `crawler of ${domain} finished`);
    }
  }

  /** Marks every 15-minute table's current schema as catalogued (as after an earlier crawl). */
  async function catalogueAll(): Promise<void> {
    await finishCrawls();
    for (const [table, item] of await tableItems(lake)) {
      const fp = item["schemaFingerprint"]?.S;
      if (fp) await job.catalogued(lake, table, fp);
    }
  }

  it("no change -> no crawl", async () => {
    await runWith({}, "2024-05-07T06:00:00Z");
    await catalogueAll();
    updates = (updates.restore(), mockUpdateCrawler(lake.clients.glue));
    const crawlsBefore = await crawlsOf("sales");
    const report = await runWith({}, "2024-05-07T06:15:00Z");
    assert.deepEqual(report.crawlRequested, []);
    assert.deepEqual(report.crawl.started, []);
    assert.deepEqual(updates.calls(), []);
    assert.equal(await crawlsOf("sales"), crawlsBefore);
    assert.ok(coordinator.log.lines.some((l) => l.event === "crawler.skipped"));
    const metric = JSON.parse(coordinator.log.metrics.at(-1) as string) as Record<string, number>;
    assert.equal(metric["CrawlSkipped"], 1);
    assert.equal(metric["CrawlersStarted"], 0);
  });

  it("one new table -> a crawl over that table only, and its PII columns tagged", async () => {
    await runWith({}, "2024-05-07T06:00:00Z");
    await catalogueAll();
    // customer is new to the catalog: forget what the crawler saw of it.
    await lake.clients.dynamodb.send(
      new (await import("@aws-sdk/client-dynamodb")).UpdateItemCommand({
        TableName: "lake-state",
        Key: { pk: { S: "table#customer" } },
        UpdateExpression: "REMOVE catalogFingerprint",
      }),
    );
    await createCatalogTable(lake, "lake_sales", "customer", ["customer_id", "first_name", "last_name", "email", "phone", "date_of_birth"]);
    updates = (updates.restore(), mockUpdateCrawler(lake.clients.glue));
    const domains = ["sales", "finance", "manufacturing", "logistics", "hr"];
    const before = await Promise.all(domains.map(crawlsOf));
    const report = await runWith({}, "2024-05-07T06:15:00Z");
    assert.deepEqual(report.crawlRequested, ["customer"]);
    assert.deepEqual(
      report.crawl.started,
      [{ domain: "sales", crawler: crawlerOf("sales"), tables: ["customer"] }],
      JSON.stringify(report.crawl),
    );
    assert.deepEqual(updates.calls(), [
      { Name: crawlerOf("sales"), Targets: { S3Targets: [{ Path: "s3://lake-raw/raw/sales/customer/" }] } },
    ]);
    const after = await Promise.all(domains.map(crawlsOf));
    assert.deepEqual(
      after,
      before.map((n, i) => (domains[i] === "sales" ? n + 1 : n)),
      "one crawl, of the sales crawler only",
    );
    assert.equal((await tableItems(lake)).get("customer")?.["catalogFingerprint"]?.S, "fp-customer-1");
    const tags = await lake.clients.lakeformation.send(
      new GetResourceLFTagsCommand({
        Resource: { TableWithColumns: { DatabaseName: "lake_sales", Name: "customer", ColumnNames: ["email", "customer_id"] } },
      }),
    );
    const byColumn = new Map(
      (tags.LFTagsOnColumns ?? []).map((c) => [c.Name, c.LFTags?.map((t) => `${t.TagKey}=${t.TagValues?.join(",")}`)]),
    );
    assert.deepEqual(byColumn.get("email"), ["pii=true"]);
    assert.deepEqual(byColumn.get("customer_id"), ["pii=false"], "a nonPii column is revealed with its own pii=false");
  });

  it("customer changed -> customer_address is not in the targets", async () => {
    await runWith({}, "2024-05-07T06:00:00Z");
    await catalogueAll();
    updates = (updates.restore(), mockUpdateCrawler(lake.clients.glue));
    const report = await runWith({ customer: "fp-customer-2" }, "2024-05-07T06:15:00Z");
    assert.deepEqual(report.crawlRequested, ["customer"]);
    const targets = updates.calls().flatMap((c) => c.Targets?.S3Targets?.map((t) => t.Path) ?? []);
    assert.deepEqual(targets, ["s3://lake-raw/raw/sales/customer/"]);
    assert.ok(!targets.some((t) => t?.includes("customer_address")));
    const items = await tableItems(lake);
    assert.equal(items.get("customer")?.["catalogFingerprint"]?.S, "fp-customer-2");
    assert.equal(items.get("customer_address")?.["catalogFingerprint"]?.S, "fp-customer_address-1");
  });

  it("crawler busy -> pending, then served on a later event (and the raw table tagged once the crawl ends)", async () => {
    await runWith({}, "2024-05-07T06:00:00Z");
    await catalogueAll();
    // The sales crawler is busy with a crawl someone else started (RUNNING until listed).
    await lake.clients.glue.send(new StartCrawlerCommand({ Name: crawlerOf("sales") }));
    updates = (updates.restore(), mockUpdateCrawler(lake.clients.glue));
    const busy = await runWith({ customer: "fp-customer-2" }, "2024-05-07T06:15:00Z");
    assert.deepEqual(busy.crawl.started, []);
    assert.deepEqual(busy.crawl.pending, [{ domain: "sales", tables: ["customer"], reason: `crawler ${crawlerOf("sales")} is RUNNING` }]);
    assert.deepEqual(updates.calls(), []);
    assert.equal((await tableItems(lake)).get("customer")?.["catalogFingerprint"]?.S, "fp-customer-1");

    // The crawl ends; its state-change event serves the pending request.
    await finishCrawls();
    await createCatalogTable(lake, "lake_sales_raw", "customer", ["customer_id", "first_name", "email"]);
    const served = (await coordinator.handle(crawlerStateEvent(crawlerOf("sales"), "Succeeded"))) as CrawlerEventReport;
    assert.equal(served.outcome, "served");
    const crawl = (served as Extract<CrawlerEventReport, { outcome: "served" }>).crawl;
    assert.deepEqual(crawl.started, [{ domain: "sales", crawler: crawlerOf("sales"), tables: ["customer"] }]);
    assert.deepEqual(
      updates.calls().map((c) => c.Targets),
      [{ S3Targets: [{ Path: "s3://lake-raw/raw/sales/customer/" }] }],
    );
    assert.equal((await tableItems(lake)).get("customer")?.["catalogFingerprint"]?.S, "fp-customer-2");

    // That crawl ends too: the raw table now exists, its PII columns get pii=true.
    await finishCrawls();
    await coordinator.handle(crawlerStateEvent(crawlerOf("sales"), "Succeeded"));
    const tags = await lake.clients.lakeformation.send(
      new GetResourceLFTagsCommand({
        Resource: { TableWithColumns: { DatabaseName: "lake_sales_raw", Name: "customer", ColumnNames: ["email"] } },
      }),
    );
    assert.deepEqual(
      tags.LFTagsOnColumns?.find((c) => c.Name === "email")?.LFTags?.map((t) => t.TagValues),
      [["true"]],
    );
    // Nothing is left pending.
    const again = (await coordinator.handle(crawlerStateEvent(crawlerOf("sales"), "Succeeded"))) as Extract<
      CrawlerEventReport,
      { outcome: "served" }
    >;
    assert.deepEqual(again.crawl, { started: [], pending: [], dropped: [], tagFailures: [], problems: [] });
  });

  it("a failed crawl puts its tables back in the queue", async () => {
    await runWith({}, "2024-05-07T06:00:00Z");
    await catalogueAll();
    updates = (updates.restore(), mockUpdateCrawler(lake.clients.glue));
    await runWith({ customer: "fp-customer-2" }, "2024-05-07T06:15:00Z"); // starts a crawl over customer, still RUNNING
    const failed = (await coordinator.handle(crawlerStateEvent(crawlerOf("sales"), "Failed", "access denied"))) as Extract<
      CrawlerEventReport,
      { outcome: "served" }
    >;
    assert.deepEqual(failed.requeued, ["customer"]);
    assert.deepEqual(
      failed.crawl.pending.map((p) => p.tables),
      [["customer"]],
      "crawler still busy: pending",
    );
    assert.equal((await tableItems(lake)).get("customer")?.["catalogFingerprint"], undefined);
    assert.equal(coordinator.alerts.length, 1);
    assert.match(coordinator.alerts[0]?.message ?? "", /customer: crawl failed: access denied/);
    // Once the crawler is idle, the next event crawls customer again.
    await finishCrawls();
    const retried = (await coordinator.handle(crawlerStateEvent(crawlerOf("sales"), "Succeeded"))) as Extract<
      CrawlerEventReport,
      { outcome: "served" }
    >;
    assert.deepEqual(
      retried.crawl.started.map((s) => s.tables),
      [["customer"]],
    );
  });

  it("a failed job run: unfinished tables get their leases back as FAILED, failed tables are alerted with their reason", async () => {
    const run = (await coordinator.handle(scheduleEvent("every_15_min", "2024-05-07T06:00:00Z"))) as Started;
    const [loaded, failed, ...unreached] = run.leased as [string, string, ...string[]];
    await job.commit(lake, loaded, run.runId, { fingerprint: "fp", rows: 42 });
    await job.fail(lake, failed, run.runId, "Unknown column 'segment' in 'field list'");
    const report = (await coordinator.handle(jobStateEvent(JOBS.every_15_min, run.jobRunId, "FAILED", "executor lost"))) as Finalized;
    assert.equal(report.counts.loaded, 1);
    assert.equal(report.counts.rowsWritten, 42);
    assert.equal(report.counts.failed, 1 + unreached.length);
    assert.deepEqual([...report.released].sort(), [...unreached].sort());
    const items = await tableItems(lake);
    for (const t of unreached) {
      assert.equal(items.get(t)?.["leaseRunId"], undefined);
      assert.equal(items.get(t)?.["lastStatus"]?.S, "FAILED");
      assert.match(items.get(t)?.["lastError"]?.S ?? "", /job run ended FAILED before the table was committed: executor lost/);
    }
    assert.equal(coordinator.alerts.length, 1);
    assert.match(coordinator.alerts[0]?.message ?? "", new RegExp(`${failed}: Unknown column 'segment'`));
    const metric = JSON.parse(coordinator.log.metrics.at(-1) as string) as Record<string, unknown>;
    assert.equal(metric["TablesFailed"], 1 + unreached.length);
    assert.equal(metric["TablesLoaded"], 1);
    assert.equal(metric["Tier"], "every_15_min");
    // A duplicate delivery of the same end event does nothing more.
    const dup = await coordinator.handle(jobStateEvent(JOBS.every_15_min, run.jobRunId, "FAILED", "executor lost"));
    assert.equal(dup.outcome, "duplicate");
    assert.equal(coordinator.alerts.length, 1);
  });

  it("GlueCrawlers.lastCrawl reads moto's LastCrawl (COMPLETED is a success, STOPPED a cancellation)", async () => {
    const crawlers = new GlueCrawlers(lake.clients.glue);
    const name = crawlerOf("hr");
    assert.deepEqual(await crawlers.lastCrawl(name), { status: "NONE" });
    await lake.clients.glue.send(new StartCrawlerCommand({ Name: name }));
    assert.deepEqual(await crawlers.lastCrawl(name), { status: "RUNNING" });
    await lake.clients.glue.send(new ListCrawlsCommand({ CrawlerName: name })); // moto ends the crawl
    const raw = (await lake.clients.glue.send(new GetCrawlerCommand({ Name: name }))).Crawler?.LastCrawl?.Status as string;
    assert.equal(raw, "COMPLETED", "moto 5.2.5 names a successful crawl COMPLETED (Glue: SUCCEEDED)");
    assert.deepEqual(await crawlers.lastCrawl(name), { status: "SUCCEEDED" });
    await lake.clients.glue.send(new StartCrawlerCommand({ Name: name }));
    await lake.clients.glue.send(new StopCrawlerCommand({ Name: name }));
    assert.deepEqual(await crawlers.lastCrawl(name), { status: "RUNNING" }, "stopping is not ended");
    await lake.clients.glue.send(new ListCrawlsCommand({ CrawlerName: name }));
    assert.deepEqual(await crawlers.lastCrawl(name), { status: "CANCELLED" });
  });

  it("a cancelled crawl (moto: StopCrawler) is not taken for a success: its table is crawled again with the next one", async () => {
    await runWith({}, "2024-05-07T06:00:00Z");
    await catalogueAll();
    updates = (updates.restore(), mockUpdateCrawler(lake.clients.glue));
    await runWith({ customer: "fp-customer-2" }, "2024-05-07T06:15:00Z"); // starts a crawl over customer
    await lake.clients.glue.send(new StopCrawlerCommand({ Name: crawlerOf("sales") }));
    await finishCrawls(); // the crawl ends STOPPED; its Failed/Succeeded event never comes
    const next = await runWith({ customer: "fp-customer-2", customer_address: "fp-customer_address-2" }, "2024-05-07T06:30:00Z");
    assert.deepEqual(next.crawlRequested, ["customer_address"], "customer was marked catalogued when its crawl started");
    assert.deepEqual(next.crawl.started, [{ domain: "sales", crawler: crawlerOf("sales"), tables: ["customer", "customer_address"] }]);
    assert.deepEqual(updates.calls().at(-1)?.Targets?.S3Targets, [
      { Path: "s3://lake-raw/raw/sales/customer/" },
      { Path: "s3://lake-raw/raw/sales/customer_address/" },
    ]);
    assert.equal(next.crawl.problems.length, 1);
    assert.deepEqual(next.crawl.problems[0]?.tables, ["customer"]);
    assert.match(next.crawl.problems[0]?.reason ?? "", /crawl by lake-raw-sales ended CANCELLED; queued again/);
    assert.match(coordinator.alerts.at(-1)?.message ?? "", /customer: crawl by lake-raw-sales ended CANCELLED/);
    assert.equal((await tableItems(lake)).get("customer")?.["catalogFingerprint"]?.S, "fp-customer-2", "catalogued by the new crawl");
  });

  it("a failed crawl found on the crawler's record (LastCrawl FAILED mocked: moto's crawls never fail) re-queues its table", async () => {
    await runWith({}, "2024-05-07T06:00:00Z");
    await catalogueAll();
    updates = (updates.restore(), mockUpdateCrawler(lake.clients.glue));
    await runWith({ customer: "fp-customer-2" }, "2024-05-07T06:15:00Z"); // starts a crawl over customer
    await finishCrawls();
    updates.failLastCrawl(crawlerOf("sales"), "Internal Service Exception");
    // The crawler's Failed event was lost; its Succeeded-looking end must not settle the crawl as a success.
    const event = (await coordinator.handle(crawlerStateEvent(crawlerOf("sales"), "Succeeded"))) as Extract<
      CrawlerEventReport,
      { outcome: "served" }
    >;
    assert.deepEqual(event.requeued, ["customer"]);
    assert.deepEqual(event.crawl.started, [{ domain: "sales", crawler: crawlerOf("sales"), tables: ["customer"] }], "crawled again");
    assert.match(coordinator.alerts.at(-1)?.message ?? "", /customer: crawl by lake-raw-sales ended FAILED: Internal Service Exception/);
    // Served again in the same event, so customer is catalogued again by the new crawl.
    assert.equal((await tableItems(lake)).get("customer")?.["catalogFingerprint"]?.S, "fp-customer-2");
  });

  it("a failed crawl found while serving the next request re-queues its table into that crawl (LastCrawl FAILED mocked)", async () => {
    await runWith({}, "2024-05-07T06:00:00Z");
    await catalogueAll();
    updates = (updates.restore(), mockUpdateCrawler(lake.clients.glue));
    await runWith({ customer: "fp-customer-2" }, "2024-05-07T06:15:00Z");
    await finishCrawls();
    updates.failLastCrawl(crawlerOf("sales"), "Internal Service Exception");
    const next = await runWith({ customer: "fp-customer-2", customer_address: "fp-customer_address-2" }, "2024-05-07T06:30:00Z");
    assert.deepEqual(
      next.crawl.started.map((c) => c.tables),
      [["customer", "customer_address"]],
    );
    assert.match(next.crawl.problems[0]?.reason ?? "", /ended FAILED: Internal Service Exception; queued again/);
  });

  it("a crawler that cannot be served (GetCrawler fails: moto, crawler deleted) leaves the table queued; the run is still finalized, measured and alerted", async () => {
    await runWith({}, "2024-05-07T06:00:00Z");
    await catalogueAll();
    await lake.clients.glue.send(new DeleteCrawlerCommand({ Name: crawlerOf("sales") }));
    const report = await runWith({ customer: "fp-customer-2" }, "2024-05-07T06:15:00Z");
    assert.deepEqual(report.crawl.started, []);
    assert.equal(report.crawl.pending.length, 1);
    assert.deepEqual(report.crawl.pending[0]?.tables, ["customer"]);
    assert.match(report.crawl.pending[0]?.reason ?? "", /crawler lake-raw-sales not served \(EntityNotFoundException/);
    assert.ok(coordinator.log.lines.some((l) => l.event === "crawler.serve_failed" && l.level === "error"));
    const run = (await scanState(lake)).find((i) => i["pk"]?.S === `run#${report.runId}`);
    assert.equal(run?.["status"]?.S, "FINALIZED");
    const metric = JSON.parse(coordinator.log.metrics.at(-1) as string) as Record<string, unknown>;
    assert.equal(metric["runId"], report.runId);
    assert.equal(metric["CrawlPendingTables"], 1);
    assert.match(coordinator.alerts.at(-1)?.message ?? "", /customer: crawler lake-raw-sales not served/);
    const queue = (await scanState(lake)).find((i) => i["pk"]?.S === "crawler#pending");
    assert.deepEqual(queue?.["tables"]?.SS, ["customer"], "still queued for the next serve");
    assert.equal((await tableItems(lake)).get("customer")?.["catalogFingerprint"]?.S, "fp-customer-1");
    // The crawler's lock was given back: the next serve is not blocked by it.
    const lock = (await scanState(lake)).find((i) => i["pk"]?.S === "crawler#lock#sales");
    assert.equal(lock?.["lockHolder"], undefined);
  });
});
