/**
 * RawZoneCrawler alone, under Pulumi mocks (pulumi.runtime.setMocks), with a pretend existing
 * database, bucket, role and security configuration: no schedule, Lake Formation credentials, the
 * domain folder as placeholder target, table level 3.
 */
import assert from "node:assert/strict";
import { RawZoneCrawler } from "../../components/rawZoneCrawler";
import { EXISTING, inventory, only, parseJson, runComponent, TAGS } from "./support";

const TYPE = "lake:catalog:RawZoneCrawler";

describe("RawZoneCrawler alone (Pulumi mocks)", () => {
  it("creates one unscheduled crawler on the domain's raw folder with Lake Formation credentials and the security configuration", async () => {
    const run = await runComponent(
      TYPE,
      () =>
        new RawZoneCrawler("estate-sales-raw", {
          tags: TAGS,
          domain: "sales",
          crawlerName: "estate-raw-sales",
          rawDatabaseName: "estate_sales_raw",
          rawBucketName: EXISTING.buckets.raw.name,
          roleArn: EXISTING.role("estate-crawler-sales"),
          securityConfigurationName: "estate-glue-security",
        }),
    );
    assert.deepEqual(inventory(run), { "aws:glue/crawler:Crawler": 1 });
    const crawler = only(run, "aws:glue/crawler:Crawler").inputs;
    assert.equal(crawler.schedule, undefined, "the coordinator starts it; no schedule");
    assert.deepEqual(
      { ...crawler, description: undefined, configuration: undefined },
      {
        name: "estate-raw-sales",
        description: undefined,
        databaseName: "estate_sales_raw",
        role: EXISTING.role("estate-crawler-sales"),
        s3Targets: [{ path: "s3://estate-raw/raw/sales/" }],
        recrawlPolicy: { recrawlBehavior: "CRAWL_EVERYTHING" },
        schemaChangePolicy: { updateBehavior: "UPDATE_IN_DATABASE", deleteBehavior: "LOG" },
        lakeFormationConfiguration: { useLakeFormationCredentials: true },
        securityConfiguration: "estate-glue-security",
        configuration: undefined,
        tags: { ...TAGS, domain: "sales" },
      },
    );
    assert.deepEqual(parseJson(crawler.configuration), {
      Version: 1.0,
      Grouping: { TableLevelConfiguration: 3 },
      CrawlerOutput: { Partitions: { AddOrUpdateBehavior: "InheritFromTable" } },
    });
    assert.deepEqual(run.outputs, { crawlerName: "estate-raw-sales" });
  });
});
