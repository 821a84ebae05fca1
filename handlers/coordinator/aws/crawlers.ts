/** The domain's raw-zone crawler: its state, and a crawl over exactly the given S3 prefixes. */
import { GetCrawlerCommand, StartCrawlerCommand, UpdateCrawlerCommand, type GlueClient } from "@aws-sdk/client-glue";
import type { CrawlerState, Crawlers, CrawlStart } from "../ports";
import { errorName } from "./values";

const BUSY_ERRORS = new Set(["CrawlerRunningException", "CrawlerStoppingException"]);

export class GlueCrawlers implements Crawlers {
  constructor(private readonly client: GlueClient) {}

  async state(crawlerName: string): Promise<CrawlerState> {
    const res = await this.client.send(new GetCrawlerCommand({ Name: crawlerName }));
    const state = res.Crawler?.State;
    if (state === "READY" || state === "RUNNING" || state === "STOPPING") return state;
    throw new Error(`crawler ${crawlerName} reports unknown state ${String(state)}`);
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
