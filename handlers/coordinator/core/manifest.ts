/**
 * The run manifest: the exact work of one job run (handlers/contracts/run-manifest.schema.json).
 * Everything the Glue job needs is spelled out here, so the job never re-derives names or paths.
 */
import {
  catalogDatabaseName,
  DEFAULT_PORTS,
  defaultSchema,
  qualifiedTableName,
  rawTablePrefix,
  type SourceEngine,
  type SourceLocation,
  type TableSpec,
} from "../../../model";
import type { ReconcileMode } from "./events";
import type { Watermark } from "./types";

/** A reconcile the job runs for one table (absent: none in this run). */
export interface ManifestReconcile {
  readonly mode: ReconcileMode;
  /** Compare (and repair) without loading first; the watermark is left as it was. */
  readonly skipLoad: boolean;
  /** Repairs above this many rows raise the alert at finalize. */
  readonly repairAlertRows: number;
}

export interface ManifestTable {
  readonly name: string;
  readonly domain: string;
  readonly sourceName: string;
  readonly quotedSourceName: string;
  readonly strategy: TableSpec["strategy"];
  readonly cursor?: string;
  readonly key?: string;
  readonly primaryKey: readonly string[];
  readonly pii: readonly string[];
  readonly lookbackSeconds?: number;
  /** append: keys re-read below the watermark (the job's default when absent). */
  readonly lookbackKeys?: number;
  readonly rawPath: string;
  readonly rawDatabase: string;
  readonly targetDatabase: string;
  readonly targetTable: string;
  readonly watermark: Watermark | null;
  readonly reconcile?: ManifestReconcile;
  /** What the catalog shows about the table (tables.yaml); the job sets it on the full copy. */
  readonly catalog: ManifestCatalog;
}

/** tableSpec.catalog: the table's description, owner and own tier from tables.yaml. */
export interface ManifestCatalog {
  readonly description: string;
  readonly owner: string;
  readonly tier: string;
}

export interface RunManifest {
  readonly version: 1;
  readonly runId: string;
  readonly tier: string;
  readonly createdAt: string;
  readonly leaseExpiresAt: number;
  readonly source: {
    readonly engine: SourceEngine;
    readonly database: string;
    readonly schema: string;
    readonly connectionName?: string;
    /** IANA zone of the source's DATETIME wall times; absent means UTC. */
    readonly timeZone?: string;
  };
  readonly lake: {
    readonly rawRoot: string;
    readonly warehouseRoot: string;
    readonly stateTable: string;
    readonly catalog: string;
  };
  readonly tables: readonly ManifestTable[];
}

/** The parts of the configuration a manifest is built from. */
export interface ManifestContext {
  readonly source: {
    readonly engine: SourceEngine;
    readonly database: string;
    readonly schema: string | undefined;
    readonly connectionName?: string;
    /** IANA zone the application writes DATETIME values in (SOURCE_TIME_ZONE); UTC when absent. */
    readonly timeZone?: string;
  };
  /** Where the lake lives: the buckets in AWS (defaultLakeRoots), local folders in a local run. */
  readonly lakeRoots: LakeRoots;
  readonly stateTable: string;
  readonly databasePrefix: string;
  readonly icebergCatalog: string;
}

/** The two lake roots a manifest addresses, each ending with "/". */
export interface LakeRoots {
  /** The raw zone: table batches under raw/<domain>/<table>/ below it. */
  readonly raw: string;
  /** The Iceberg warehouse. */
  readonly warehouse: string;
}

/** The roots of a lake in AWS: the raw bucket's root and the warehouse bucket's warehouse/ prefix. */
export function defaultLakeRoots(rawBucket: string, warehouseBucket: string): LakeRoots {
  return { raw: `s3://${rawBucket}/`, warehouse: `s3://${warehouseBucket}/warehouse/` };
}

export interface ManifestRun {
  readonly runId: string;
  readonly tier: string;
  readonly createdAt: Date;
  readonly leaseExpiresAt: number;
  readonly tables: readonly TableSpec[];
  /** Watermark of each table when leased; a missing entry is treated as never loaded. */
  readonly watermarks: ReadonlyMap<string, Watermark | null>;
  /** Reload from scratch: every watermark is left out. */
  readonly reload: boolean;
  /** Tables to reconcile in this run (core/reconcilePlan.ts); absent or missing entry: none. */
  readonly reconciles?: ReadonlyMap<string, ManifestReconcile>;
}

/** The raw zone's folder of one table below a raw root (s3://bucket/ or a local file:// root). */
export function rawTableUnder(rawRoot: string, table: Pick<TableSpec, "domain" | "name">): string {
  return `${rawRoot}${rawTablePrefix(table.domain, table.name)}`;
}

export function rawTableUri(rawBucket: string, table: Pick<TableSpec, "domain" | "name">): string {
  return rawTableUnder(defaultLakeRoots(rawBucket, "unused").raw, table);
}

/** The source location for naming only: host and port live in the Glue connection. */
function sourceLocation(ctx: ManifestContext): SourceLocation {
  const { engine, database, schema } = ctx.source;
  return { engine, database, schema, host: "(from the Glue connection)", port: DEFAULT_PORTS[engine] };
}

function tableEntry(
  ctx: ManifestContext,
  location: SourceLocation,
  table: TableSpec,
  watermark: Watermark | null,
  reconcile: ManifestReconcile | undefined,
): ManifestTable {
  const common = {
    name: table.name,
    domain: table.domain,
    sourceName: table.source,
    quotedSourceName: qualifiedTableName(location, table.source),
    strategy: table.strategy,
    primaryKey: [...table.primaryKey],
    pii: [...table.pii],
    rawPath: rawTableUnder(ctx.lakeRoots.raw, table),
    rawDatabase: catalogDatabaseName(ctx.databasePrefix, table.domain, "raw"),
    targetDatabase: catalogDatabaseName(ctx.databasePrefix, table.domain, "full"),
    targetTable: table.name,
    watermark,
    ...(reconcile !== undefined ? { reconcile: { ...reconcile } } : {}),
    catalog: { description: table.description, owner: table.owner, tier: table.tier },
  };
  switch (table.strategy) {
    case "incremental":
      return { ...common, cursor: table.cursor, lookbackSeconds: table.lookbackMinutes * 60 };
    case "append":
      return { ...common, key: table.key, lookbackKeys: table.lookbackKeys };
    case "snapshot":
      return common;
  }
}

export function buildManifest(ctx: ManifestContext, run: ManifestRun): RunManifest {
  const location = sourceLocation(ctx);
  const source = {
    engine: ctx.source.engine,
    database: ctx.source.database,
    schema: defaultSchema(location),
    ...(ctx.source.connectionName !== undefined ? { connectionName: ctx.source.connectionName } : {}),
    ...(ctx.source.timeZone !== undefined ? { timeZone: ctx.source.timeZone } : {}),
  };
  return {
    version: 1,
    runId: run.runId,
    tier: run.tier,
    createdAt: run.createdAt.toISOString(),
    leaseExpiresAt: run.leaseExpiresAt,
    source,
    lake: {
      rawRoot: ctx.lakeRoots.raw,
      warehouseRoot: ctx.lakeRoots.warehouse,
      stateTable: ctx.stateTable,
      catalog: ctx.icebergCatalog,
    },
    tables: run.tables.map((t) =>
      tableEntry(ctx, location, t, run.reload ? null : (run.watermarks.get(t.name) ?? null), run.reconciles?.get(t.name)),
    ),
  };
}
