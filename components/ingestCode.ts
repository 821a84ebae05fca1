/**
 * IngestCode: uploads the ingest job's code to the scripts bucket once for every tier: the
 * entry script, its Python package (zipped for --extra-py-files) and the JDBC driver jar of the
 * configured source engine (stacks/ingestCodePaths.ts: MariaDB Connector/J or the PostgreSQL driver).
 * Object keys carry the content hash so a job never runs a half-updated mix of files.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import type { LakeTags } from "./common";
import type { LakeStorageRef } from "./references";

export interface IngestCodeArgs {
  /** Tags on every uploaded object. */
  readonly tags: LakeTags;
  /**
   * The scripts bucket (code goes under `jobs/`) and the key the objects are encrypted with, by
   * reference (a LakeStorage, or an existing bucket and key).
   */
  readonly storage: LakeStorageRef<"scripts">;
  /** Local path of the entry script Glue runs (the package ships it: INGEST_JOB_FILES.script). */
  readonly scriptPath: string;
  /** Local folder of the Python package the script imports; zipped under its own name (INGEST_JOB_FILES.packageDir). */
  readonly packageDir: string;
  /**
   * Extra files placed inside the package zip: path inside the zip -> local path (e.g. the manifest schema).
   * @default {} (the package folder only)
   */
  readonly packageExtras?: Readonly<Record<string, string>>;
  /** Local path of the JDBC driver jar for the source engine (the job gets it with --extra-jars); not shipped by the package. */
  readonly driverJarPath: string;
}

/** Short content hash of files (or of every source file under folders), so uploads are versioned by content. */
export function contentHash(paths: readonly string[]): string {
  const hash = createHash("sha256");
  for (const path of paths) {
    const files = statSync(path).isDirectory() ? sourceFiles(path) : [path];
    for (const file of files) {
      hash.update(relative(path, file) || basename(file));
      hash.update(readFileSync(file));
    }
  }
  return hash.digest("hex").slice(0, 12);
}

/** Files under a folder, without Python caches, in a stable order. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry === "__pycache__" || entry.endsWith(".pyc")) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else out.push(path);
  }
  return out;
}

export class IngestCode extends pulumi.ComponentResource {
  readonly scriptUri: pulumi.Output<string>;
  readonly packageUri: pulumi.Output<string>;
  readonly driverJarUri: pulumi.Output<string>;

  constructor(name: string, args: IngestCodeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:ingest:IngestCode", name, {}, opts);
    const bucket = args.storage.buckets.scripts.name;
    const extras = args.packageExtras ?? {};
    const version = contentHash([args.scriptPath, args.packageDir, ...Object.values(extras)]);
    const packageName = basename(args.packageDir);
    const upload = (suffix: string, key: string, source: pulumi.asset.Asset | pulumi.asset.Archive): pulumi.Output<string> => {
      const object = new aws.s3.BucketObjectv2(
        `${name}-${suffix}`,
        { bucket, key, source, serverSideEncryption: "aws:kms", kmsKeyId: args.storage.keyArn, tags: args.tags },
        { parent: this },
      );
      return pulumi.interpolate`s3://${object.bucket}/${object.key}`;
    };
    this.scriptUri = upload("script", `jobs/${version}/${basename(args.scriptPath)}`, new pulumi.asset.FileAsset(args.scriptPath));
    // File by file, so local caches (__pycache__, .pyc) never ship.
    const packageContents: Record<string, pulumi.asset.Asset> = {};
    for (const file of sourceFiles(args.packageDir)) {
      packageContents[`${packageName}/${relative(args.packageDir, file)}`] = new pulumi.asset.FileAsset(file);
    }
    for (const [inZip, path] of Object.entries(extras)) packageContents[inZip] = new pulumi.asset.FileAsset(path);
    this.packageUri = upload("package", `jobs/${version}/${packageName}.zip`, new pulumi.asset.AssetArchive(packageContents));
    this.driverJarUri = upload("driver", `jobs/jars/${basename(args.driverJarPath)}`, new pulumi.asset.FileAsset(args.driverJarPath));
    this.registerOutputs({ scriptUri: this.scriptUri, packageUri: this.packageUri, driverJarUri: this.driverJarUri });
  }
}
