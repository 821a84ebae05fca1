/**
 * Serves the pending crawl set: per domain, under a short lock, if the domain's crawler is idle,
 * settle its finished crawl (a success tags the raw tables, a failure queues its tables again),
 * point it at exactly the pending tables' raw prefixes and start it. A busy crawler leaves its
 * tables pending for a later event; so does an error, which is reported, never thrown: a finalize
 * must reach FINALIZED, its metrics and its alert whatever the crawler does.
 */
import { catalogDatabaseName, columnClasses, type TableSpec } from "../../../model";
import { planPendingCrawls, type DomainCrawl } from "../core/crawl";
import { epochSeconds } from "../core/time";
import type { TableState } from "../core/types";
import { errorText, type FlowContext } from "./context";
import { describeRawTables } from "./describeTables";

export const CRAWLER_LOCK_SECONDS = 120;

/** A domain's crawl that failed or could not be served; its tables are (still) queued. */
export interface CrawlProblem {
  readonly domain: string;
  readonly tables: readonly string[];
  readonly reason: string;
}

export interface CrawlReport {
  readonly started: readonly { readonly domain: string; readonly crawler: string; readonly tables: readonly string[] }[];
  readonly pending: readonly { readonly domain: string; readonly tables: readonly string[]; readonly reason: string }[];
  /** Pending names that needed nothing (already catalogued or no longer in tables.yaml). */
  readonly dropped: readonly string[];
  /** Tables whose PII column tags could not be applied, with the reason. */
  readonly tagFailures: readonly { readonly table: string; readonly reason: string }[];
  /** Crawls that ended FAILED or CANCELLED (queued again) and crawls not served because of an error. */
  readonly problems: readonly CrawlProblem[];
}

type TagFailure = { table: string; reason: string };

/** Tables reconciled at once: each costs a few catalog and LF calls; a run may hold hundreds. */
const TAG_CONCURRENCY = 8;

/**
 * Reconciles the pii LF-tags of the given tables in a catalog database zone with tables.yaml (every
 * run, not only on schema change: a column moved into pii: is hidden on the next run). A table
 * not catalogued yet is skipped (it inherits pii=true). Failures are returned, never thrown.
 */
export async function tagPiiColumns(ctx: FlowContext, tables: readonly string[], zone: "raw" | "full"): Promise<TagFailure[]> {
  const byName = new Map(ctx.model.tables.map((t) => [t.name, t]));
  const failed: TagFailure[] = [];
  const queue = tables.filter((name) => byName.has(name));
  const worker = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const spec = byName.get(name) as TableSpec;
      const database = catalogDatabaseName(ctx.config.databasePrefix, spec.domain, zone);
      try {
        const result = await ctx.ports.tagger.reconcile(database, name, columnClasses(spec));
        if (!result.exists) continue;
        if (result.hidden.length > 0 || result.revealed.length > 0)
          ctx.ports.log.info("pii.reconciled", { database, table: name, hidden: result.hidden, revealed: result.revealed });
        if (result.unclassified.length > 0)
          ctx.ports.log.warn("pii.unclassified", { database, table: name, hiddenNeedsClassification: result.unclassified });
      } catch (error) {
        failed.push({
          table: `${database}.${name}`,
          reason: `PII tags not reconciled (unrevealed columns stay hidden): ${errorText(error)}`,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(TAG_CONCURRENCY, queue.length) }, worker));
  return failed;
}

/**
 * A crawl that did not succeed: its tables were marked catalogued when it started, so forget
 * that and queue them again (they are crawled on the next serve), and forget the crawl.
 */
export async function requeueCrawl(
  ctx: FlowContext,
  domain: string,
  holder: string,
  tables: readonly string[],
  reason: string,
): Promise<void> {
  for (const table of tables) await ctx.ports.leases.uncatalogue(table);
  await ctx.ports.crawlQueue.add(tables);
  await ctx.ports.crawlQueue.setInFlight(domain, holder, []);
  ctx.ports.log.warn("crawler.failed", { domain, crawler: ctx.config.crawlers[domain], requeued: tables, reason });
}

export interface SettledCrawl {
  readonly tagFailures: readonly TagFailure[];
  /** The crawl did not succeed: its tables, queued again, and why. */
  readonly failed?: CrawlProblem;
  /** The crawler has not finished the crawl yet: nothing settled. */
  readonly running: boolean;
}

/**
 * After the domain's crawl ended (under its lock): by the crawler's own record of that crawl, tag
 * its raw tables' PII columns (they exist now) or queue its tables again; then forget it.
 */
export async function settleFinishedCrawl(ctx: FlowContext, domain: string, holder: string): Promise<SettledCrawl> {
  const tables = await ctx.ports.crawlQueue.inFlight(domain);
  if (tables.length === 0) return { tagFailures: [], running: false };
  const crawler = ctx.config.crawlers[domain];
  const last = crawler === undefined ? { status: "NONE" as const } : await ctx.ports.crawlers.lastCrawl(crawler);
  if (last.status === "RUNNING") return { tagFailures: [], running: true };
  if (last.status === "SUCCEEDED") {
    const tagFailures = await tagPiiColumns(ctx, tables, "raw");
    // The crawl has just created or rewritten them: their description and parameters now (the
    // column comments at the tables' next finalize, from its job's result).
    tagFailures.push(...(await describeRawTables(ctx, tables, await ctx.ports.leases.read(tables), new Map())));
    await ctx.ports.crawlQueue.setInFlight(domain, holder, []);
    return { tagFailures, running: false };
  }
  const ended = last.status === "NONE" ? "has no record of it" : `ended ${last.status}`;
  const reason = `crawl by ${crawler ?? "no crawler"} ${ended}${last.message ? `: ${last.message}` : ""}; queued again`;
  await requeueCrawl(ctx, domain, holder, tables, reason);
  return { tagFailures: [], failed: { domain, tables, reason }, running: false };
}

interface DomainResult {
  started?: CrawlReport["started"][number];
  pending?: CrawlReport["pending"][number];
  tagFailures: TagFailure[];
  problems: CrawlProblem[];
}

/** The domain's crawl with the tables a failed crawl just queued again (their state read now). */
async function withRequeued(
  ctx: FlowContext,
  crawl: DomainCrawl,
  requeued: readonly string[],
  states: Map<string, TableState>,
): Promise<DomainCrawl> {
  for (const [name, state] of await ctx.ports.leases.read(requeued)) states.set(name, state);
  const names = [...crawl.tables.map((t) => t.name), ...requeued];
  const plan = planPendingCrawls(ctx.model, names, states, ctx.config.rawBucket);
  return plan.crawls.find((c) => c.domain === crawl.domain) ?? crawl;
}

async function serveDomain(ctx: FlowContext, planned: DomainCrawl, holder: string, states: Map<string, TableState>): Promise<DomainResult> {
  const { ports, config } = ctx;
  const domain = planned.domain;
  let crawl = planned;
  const names = (): string[] => crawl.tables.map((t) => t.name);
  const crawler = config.crawlers[domain];
  if (crawler === undefined)
    return { pending: { domain, tables: names(), reason: "CRAWLERS names no crawler for the domain" }, tagFailures: [], problems: [] };
  const tagFailures: TagFailure[] = [];
  const problems: CrawlProblem[] = [];
  try {
    const now = epochSeconds(ports.clock.now());
    if (!(await ports.crawlQueue.lock(domain, holder, now, now + CRAWLER_LOCK_SECONDS))) {
      return { pending: { domain, tables: names(), reason: "another coordinator is serving this crawler" }, tagFailures, problems };
    }
    try {
      const state = await ports.crawlers.state(crawler);
      if (state !== "READY")
        return { pending: { domain, tables: names(), reason: `crawler ${crawler} is ${state}` }, tagFailures, problems };
      const settled = await settleFinishedCrawl(ctx, domain, holder);
      tagFailures.push(...settled.tagFailures);
      if (settled.running)
        return { pending: { domain, tables: names(), reason: `crawler ${crawler} is finishing a crawl` }, tagFailures, problems };
      if (settled.failed) {
        problems.push(settled.failed);
        crawl = await withRequeued(ctx, crawl, settled.failed.tables, states);
      }
      const result = await ports.crawlers.crawl(crawler, crawl.targets);
      if (result === "busy")
        return { pending: { domain, tables: names(), reason: `crawler ${crawler} is running` }, tagFailures, problems };
      const tables = names();
      for (const table of tables) {
        const fingerprint = states.get(table)?.schemaFingerprint;
        if (fingerprint !== undefined) await ports.leases.markCatalogued(table, fingerprint);
      }
      await ports.crawlQueue.setInFlight(domain, holder, tables);
      await ports.crawlQueue.remove(tables);
      ports.log.info("crawler.started", { crawler, domain, tables, targets: crawl.targets });
      return { started: { domain, crawler, tables }, tagFailures, problems };
    } finally {
      // A lock left behind expires after CRAWLER_LOCK_SECONDS; not worth failing the serve for.
      await ports.crawlQueue.unlock(domain, holder).catch((error: unknown) => {
        ports.log.warn("crawler.unlock_failed", { domain, crawler, error: errorText(error) });
      });
    }
  } catch (error) {
    const reason = `crawler ${crawler} not served (${errorText(error)}); its tables stay queued`;
    ports.log.error("crawler.serve_failed", { domain, crawler, tables: names(), error: errorText(error) });
    return { pending: { domain, tables: names(), reason }, tagFailures, problems: [...problems, { domain, tables: names(), reason }] };
  }
}

export async function serveCrawls(ctx: FlowContext, holder: string): Promise<CrawlReport> {
  const { ports } = ctx;
  const pending = await ports.crawlQueue.pending();
  if (pending.length === 0) return { started: [], pending: [], dropped: [], tagFailures: [], problems: [] };
  const states = new Map(await ports.leases.read(pending));
  const plan = planPendingCrawls(ctx.model, pending, states, ctx.config.rawBucket);
  if (plan.drop.length > 0) await ports.crawlQueue.remove(plan.drop);
  const started: CrawlReport["started"][number][] = [];
  const stillPending: CrawlReport["pending"][number][] = [];
  const tagFailures: TagFailure[] = [];
  const problems: CrawlProblem[] = [];
  for (const crawl of plan.crawls) {
    const result = await serveDomain(ctx, crawl, holder, states);
    if (result.started) started.push(result.started);
    if (result.pending) {
      stillPending.push(result.pending);
      ports.log.info("crawler.pending", result.pending);
    }
    tagFailures.push(...result.tagFailures);
    problems.push(...result.problems);
  }
  return { started, pending: stillPending, dropped: plan.drop, tagFailures, problems };
}

/** The crawl report when the queue itself could not be served: every requested table, by domain, with the reason. */
export function unservedCrawls(ctx: FlowContext, tables: readonly string[], reason: string): CrawlReport {
  const byDomain = new Map<string, string[]>();
  const domainOf = new Map(ctx.model.tables.map((t) => [t.name, t.domain]));
  for (const table of tables) {
    const domain = domainOf.get(table) ?? "unknown";
    byDomain.set(domain, [...(byDomain.get(domain) ?? []), table]);
  }
  const entries = [...byDomain.entries()].map(([domain, names]) => ({ domain, tables: names, reason }));
  return { started: [], pending: entries, dropped: [], tagFailures: [], problems: entries };
}
