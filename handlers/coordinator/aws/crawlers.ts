/** The domain's raw-zone crawler: its state, how its last crawl ended, and a crawl over exactly the given S3 prefixes. */
import { GetCrawlerCommand, StartCrawlerCommand, UpdateCrawlerCommand, type GlueClient } from "@aws-sdk/client-glue";
import type { CrawlerState, Crawlers, CrawlStart, LastCrawl } from "../ports";
import { errorName } from "./values";

const BUSY_ERRORS = new Set(["CrawlerRunningException", "CrawlerStoppingException"]);

/**
 * LastCrawl.Status as Glue reports it (SUCCEEDED, FAILED, CANCELLED), plus moto's own names
 * (moto 5.2.5 reports the crawl's state: COMPLETED, STOPPED), which the tests and the local demo
 * see. Anything else is taken for a failure: re-crawling costs one crawl, a crawl wrongly taken
 * for a success leaves the catalog stale with nothing left to notice it.
 */
const LAST_CRAWL_STATUS: Readonly<Record<string, LastCrawl["status"]>> = {
  SUCCEEDED: "SUCCEEDED",
  COMPLETED: "SUCCEEDED",
  FAILED: "FAILED",
  CANCELLED: "CANCELLED",
  STOPPED: "CANCELLED",
};

export class GlueCrawlers implements Crawlers {
  constructor(private readonly client: GlueClient) {}

  async state(crawlerName: string): Promise<CrawlerState> {
    const res = await this.client.send(new GetCrawlerCommand({ Name: crawlerName }));
    const state = res.Crawler?.State;
    if (state === "READY" || state === "RUNNING" || state === "STOPPING") return state;
    throw new Error(`crawler ${crawlerName} reports unknown state ${String(state)}`);
  }

  async lastCrawl(crawlerName: string): Promise<LastCrawl> {
    const res = await this.client.send(new GetCrawlerCommand({ Name: crawlerName }));
    // While a crawl runs, Glue's LastCrawl still describes the crawl before it.
    if (res.Crawler?.State !== "READY") return { status: "RUNNING" };
    const last = res.Crawler.LastCrawl;
    if (last?.Status === undefined) return { status: "NONE" };
    const status = LAST_CRAWL_STATUS[last.Status];
    if (status === undefined) return { status: "FAILED", message: `unknown last crawl status ${last.Status}` };
    return { status, ...(last.ErrorMessage ? { message: last.ErrorMessage } : {}) };
  }

  async crawl(crawlerName: string, s3Targets: readonly string[]): Promise<CrawlStart> {
    try {
      await this.client.send(new UpdateCrawlerCommand({ Name: crawlerName, Targets: { S3Targets: s3Targets.map((Path) => ({ Path })) } }));
      await this.client.send(new StartCrawlerCommand({ Name: crawlerName }));
      return "started";
    } catch (error) {
      if (BUSY_ERRORS.has(errorName(error))) return "busy";
      throw error;
    }
  }
}
