/**
 * A crawler changed state. When a crawl ends, its raw tables exist (or changed): tag their PII
 * columns, or, if the crawl failed, put its tables back in the queue. Then serve the queue.
 * A "Succeeded" event is checked against the crawler's own record of its last crawl (a cancelled
 * crawl, or a Failed event lost on the way, must not pass for a success).
 */
import { buildAlert } from "../core/alert";
import type { CrawlerStateEvent } from "../core/events";
import type { FlowContext } from "./context";
import { epochSeconds } from "../core/time";
import { CRAWLER_LOCK_SECONDS, requeueCrawl, serveCrawls, settleFinishedCrawl, type CrawlReport } from "./serveCrawls";

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
  let requeued: readonly string[] = [];
  let requeueReason = state === "failed" ? `crawl failed: ${event.message || "no message"}` : "";
  const tagFailures: { table: string; reason: string }[] = [];
  const now = epochSeconds(ports.clock.now());
  // Under the domain's crawler lock; if another coordinator holds it, it settles the crawl itself.
  if (await ports.crawlQueue.lock(domain, holder, now, now + CRAWLER_LOCK_SECONDS)) {
    try {
      if (state === "succeeded") {
        const settled = await settleFinishedCrawl(ctx, domain, holder);
        tagFailures.push(...settled.tagFailures);
        if (settled.failed) {
          requeued = settled.failed.tables;
          requeueReason = settled.failed.reason;
        }
      } else {
        requeued = await ports.crawlQueue.inFlight(domain);
        if (requeued.length > 0) await requeueCrawl(ctx, domain, holder, requeued, requeueReason);
      }
    } finally {
      await ports.crawlQueue.unlock(domain, holder);
    }
  }
  const crawl = await serveCrawls(ctx, holder);
  tagFailures.push(...crawl.tagFailures);
  const problems = crawl.problems.flatMap((p) => p.tables.map((table) => ({ table, reason: p.reason })));
  if (tagFailures.length > 0 || problems.length > 0 || requeued.length > 0 || state === "failed") {
    const alert = buildAlert({
      lakeName: config.lakeName,
      environment: config.environment,
      runId: holder,
      tier: `crawler ${event.crawlerName}`,
      headline:
        state === "failed" || requeued.length > 0
          ? `crawl did not succeed (${requeued.length} table(s) queued again): ${requeueReason}`
          : problems.length > 0
            ? "crawls not served"
            : "PII tags not applied",
      failures: [...requeued.map((table) => ({ table, reason: requeueReason })), ...tagFailures, ...problems],
    });
    await ports.alerter.publish(alert.subject, alert.message);
  }
  return { outcome: "served", domain, requeued, crawl };
}
