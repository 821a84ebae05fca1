/**
 * Serves the pending crawl set: per domain, under a short lock, if the domain's crawler is idle,
 * tag the raw tables of its finished crawl, point it at exactly the pending tables' raw prefixes
 * and start it. A busy crawler leaves its tables pending for a later event.
 */
import { catalogDatabaseName } from "../../../model";
import { catalogColumnNames, planPendingCrawls, type DomainCrawl } from "../core/crawl";
import { epochSeconds } from "../core/time";
import { errorText, type FlowContext } from "./context";

export const CRAWLER_LOCK_SECONDS = 120;

export interface CrawlReport {
  readonly started: readonly { readonly domain: string; readonly crawler: string; readonly tables: readonly string[] }[];
  readonly pending: readonly { readonly domain: string; readonly tables: readonly string[]; readonly reason: string }[];
  /** Pending names that needed nothing (already catalogued or no longer in tables.yaml). */
  readonly dropped: readonly string[];
  /** Tables whose PII column tags could not be applied, with the reason. */
  readonly tagFailures: readonly { readonly table: string; readonly reason: string }[];
}

type TagFailure = { table: string; reason: string };

/** Tags pii=true on the PII columns of the given tables in a catalog database zone. */
export async function tagPiiColumns(ctx: FlowContext, tables: readonly string[], zone: "raw" | "full"): Promise<TagFailure[]> {
  const byName = new Map(ctx.model.tables.map((t) => [t.name, t]));
  const failed: TagFailure[] = [];
  for (const name of tables) {
    const spec = byName.get(name);
    if (!spec || spec.pii.length === 0) continue;
    const database = catalogDatabaseName(ctx.config.databasePrefix, spec.domain, zone);
    try {
      await ctx.ports.tagger.tagColumns(database, name, catalogColumnNames(spec.pii));
      ctx.ports.log.info("pii.tagged", { database, table: name, columns: spec.pii.length });
    } catch (error) {
      failed.push({ table: `${database}.${name}`, reason: `PII column tags not applied: ${errorText(error)}` });
    }
  }
  return failed;
}

/** After a crawl ended: tag its raw tables' PII columns (they exist now) and forget it. */
export async function settleFinishedCrawl(ctx: FlowContext, domain: string, holder: string): Promise<TagFailure[]> {
  const tables = await ctx.ports.crawlQueue.inFlight(domain);
  if (tables.length === 0) return [];
  const failed = await tagPiiColumns(ctx, tables, "raw");
  await ctx.ports.crawlQueue.setInFlight(domain, holder, []);
  return failed;
}

interface DomainResult {
  started?: CrawlReport["started"][number];
  pending?: CrawlReport["pending"][number];
  tagFailures: TagFailure[];
}

async function serveDomain(
  ctx: FlowContext,
  crawl: DomainCrawl,
  holder: string,
  fingerprints: ReadonlyMap<string, string>,
): Promise<DomainResult> {
  const { ports, config } = ctx;
  const tables = crawl.tables.map((t) => t.name);
  const crawler = config.crawlers[crawl.domain];
  if (crawler === undefined)
    return { pending: { domain: crawl.domain, tables, reason: "CRAWLERS names no crawler for the domain" }, tagFailures: [] };
  const now = epochSeconds(ports.clock.now());
  if (!(await ports.crawlQueue.lock(crawl.domain, holder, now, now + CRAWLER_LOCK_SECONDS))) {
    return { pending: { domain: crawl.domain, tables, reason: "another coordinator is serving this crawler" }, tagFailures: [] };
  }
  try {
    const state = await ports.crawlers.state(crawler);
    if (state !== "READY") return { pending: { domain: crawl.domain, tables, reason: `crawler ${crawler} is ${state}` }, tagFailures: [] };
    const tagFailures = await settleFinishedCrawl(ctx, crawl.domain, holder);
    const result = await ports.crawlers.crawl(crawler, crawl.targets);
    if (result === "busy") return { pending: { domain: crawl.domain, tables, reason: `crawler ${crawler} is running` }, tagFailures };
    for (const table of tables) {
      const fingerprint = fingerprints.get(table);
      if (fingerprint !== undefined) await ports.leases.markCatalogued(table, fingerprint);
    }
    await ports.crawlQueue.setInFlight(crawl.domain, holder, tables);
    await ports.crawlQueue.remove(tables);
    ports.log.info("crawler.started", { crawler, domain: crawl.domain, tables, targets: crawl.targets });
    return { started: { domain: crawl.domain, crawler, tables }, tagFailures };
  } finally {
    await ports.crawlQueue.unlock(crawl.domain, holder);
  }
}

export async function serveCrawls(ctx: FlowContext, holder: string): Promise<CrawlReport> {
  const { ports } = ctx;
  const pending = await ports.crawlQueue.pending();
  if (pending.length === 0) return { started: [], pending: [], dropped: [], tagFailures: [] };
  const states = await ports.leases.read(pending);
  const plan = planPendingCrawls(ctx.model, pending, states, ctx.config.rawBucket);
  if (plan.drop.length > 0) await ports.crawlQueue.remove(plan.drop);
  const fingerprints = new Map<string, string>();
  for (const [name, state] of states) if (state.schemaFingerprint !== undefined) fingerprints.set(name, state.schemaFingerprint);
  const started: CrawlReport["started"][number][] = [];
  const stillPending: CrawlReport["pending"][number][] = [];
  const tagFailures: TagFailure[] = [];
  for (const crawl of plan.crawls) {
    const result = await serveDomain(ctx, crawl, holder, fingerprints);
    if (result.started) started.push(result.started);
    if (result.pending) {
      stillPending.push(result.pending);
      ports.log.info("crawler.pending", result.pending);
    }
    tagFailures.push(...result.tagFailures);
  }
  return { started, pending: stillPending, dropped: plan.drop, tagFailures };
}
