/**
 * The demo's ManifestStore: the coordinator's manifest builder addresses the lake only as
 * s3://RAW_BUCKET/ and s3://WAREHOUSE_BUCKET/warehouse/ (core/manifest.ts), and local Spark has
 * no S3 file system. This store rewrites exactly those two roots to local folders (file://,
 * which the job and the manifest contract support), then writes the manifest to S3 (moto) with
 * the real S3 adapter, so the job reads it by its s3:// URI as in Glue.
 *
 * Needed in handlers/coordinator to drop this shim: a LAKE_ROOT_URI-style option (e.g.
 * RAW_ROOT_URI / WAREHOUSE_ROOT_URI) that buildManifest uses instead of the bucket names.
 */
import type { RunManifest } from "../handlers/coordinator/core/manifest";
import type { ManifestStore } from "../handlers/coordinator/ports";

export interface RootMapping {
  readonly rawBucket: string;
  readonly warehouseBucket: string;
  /** file:///…/ folder standing in for s3://RAW_BUCKET/. */
  readonly rawRoot: string;
  /** file:///…/ folder standing in for s3://WAREHOUSE_BUCKET/warehouse/. */
  readonly warehouseRoot: string;
}

export function localizeManifest(manifest: RunManifest, map: RootMapping): RunManifest {
  const raw = `s3://${map.rawBucket}/`;
  const warehouse = `s3://${map.warehouseBucket}/warehouse/`;
  const swap = (uri: string, from: string, to: string): string => {
    if (!uri.startsWith(from)) throw new Error(`manifest URI ${uri} is not under ${from}`);
    return to + uri.slice(from.length);
  };
  return {
    ...manifest,
    lake: {
      ...manifest.lake,
      rawRoot: swap(manifest.lake.rawRoot, raw, map.rawRoot),
      warehouseRoot: swap(manifest.lake.warehouseRoot, warehouse, map.warehouseRoot),
    },
    tables: manifest.tables.map((t) => ({ ...t, rawPath: swap(t.rawPath, raw, map.rawRoot) })),
  };
}

export class LocalLakeManifestStore implements ManifestStore {
  /** Manifests as written, by URI (for the report). */
  readonly written = new Map<string, RunManifest>();

  constructor(
    private readonly inner: ManifestStore,
    private readonly map: RootMapping,
  ) {}

  async put(key: string, body: string): Promise<string> {
    const local = localizeManifest(JSON.parse(body) as RunManifest, this.map);
    const uri = await this.inner.put(key, JSON.stringify(local, null, 1));
    this.written.set(uri, local);
    return uri;
  }

  /** The job's result file beside the manifest (finalize reads its reconcile statistics). */
  async get(key: string): Promise<string | undefined> {
    return this.inner.get?.(key);
  }
}
