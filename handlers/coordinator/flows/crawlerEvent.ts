/**
 * A crawler changed state. When a crawl ends, its raw tables exist (or changed): tag their PII
 * columns, or, if the crawl failed, put its tables back in the queue. Then serve the queue.
 */
import { buildAlert } from "../core/alert";
import type { CrawlerStateEvent } from "../core/events";
import type { FlowContext } from "./context";
import { epochSeconds } from "../core/time";
import { CRAWLER_LOCK_SECONDS, serveCrawls, settleFinishedCrawl, type CrawlReport } from "./serveCrawls";

export type CrawlerEventReport =
  | { readonly outcome: "ignored"; readonly reason: string }
  | { readonly outcome: "rejected"; readonly reason: string }
  | { readonly outcome: "served"; readonly domain: string; readonly requeued: readonly string[]; readonly crawl: CrawlReport };

export async function onCrawlerState(ctx: FlowContext, event: CrawlerStateEvent): Promise<CrawlerEventReport> {
  const { ports, config } = ctx;
  const domain = Object.entries(config.crawlers).find(([, name]) => name === event.crawlerName)?.[0];
  if (domain === undefined) {
    const reason = `crawler "${event.crawlerName}" is not one of this lake's crawlers (CRAWLERS)`;
    ports.log.error("event.rejected", { reason });
    return { outcome: "rejected", reason };
  }
  const state = event.state.toLowerCase();
  if (state !== "succeeded" && state !== "failed") {
    ports.log.info("crawler.state_ignored", { crawler: event.crawlerName, state: event.state });
    return { outcome: "ignored", reason: `crawler state ${event.state} is not an end state` };
  }
  const holder = `crawler-event-${ports.clock.randomHex(4)}`;
  let requeued: string[] = [];
  const tagFailures: { table: string; reason: string }[] = [];
  const now = epochSeconds(ports.clock.now());
  // Under the domain's crawler lock; if another coordinator holds it, it settles the crawl itself.
  if (await ports.crawlQueue.lock(domain, holder, now, now + CRAWLER_LOCK_SECONDS)) {
    try {
      if (state === "succeeded") {
        tagFailures.push(...(await settleFinishedCrawl(ctx, domain, holder)));
      } else {
        requeued = await ports.crawlQueue.inFlight(domain);
        for (const table of requeued) await ports.leases.uncatalogue(table);
        await ports.crawlQueue.add(requeued);
        await ports.crawlQueue.setInFlight(domain, holder, []);
        ports.log.warn("crawler.failed", { crawler: event.crawlerName, requeued, message: event.message });
      }
    } finally {
      await ports.crawlQueue.unlock(domain, holder);
    }
  }
  const crawl = await serveCrawls(ctx, holder);
  tagFailures.push(...crawl.tagFailures);
  if (tagFailures.length > 0 || state === "failed") {
    const alert = buildAlert({
      lakeName: config.lakeName,
      environment: config.environment,
      runId: holder,
      tier: `crawler ${event.crawlerName}`,
      headline: state === "failed" ? `crawl failed (${requeued.length} table(s) queued again): ${event.message}` : "PII tags not applied",
      failures: [...requeued.map((table) => ({ table, reason: `crawl failed: ${event.message || "no message"}` })), ...tagFailures],
    });
    await ports.alerter.publish(alert.subject, alert.message);
  }
  return { outcome: "served", domain, requeued, crawl };
}
