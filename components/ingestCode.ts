/**
 * IngestCode: uploads the ingest job's code to the scripts bucket once for every tier: the
 * entry script, its Python package (zipped for --extra-py-files) and the JDBC driver jar.
 * Object keys carry the content hash so a job never runs a half-updated mix of files.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import type { LakeTags } from "./common";
import type { LakeStorage } from "./lakeStorage";

export interface IngestCodeArgs {
  readonly tags: LakeTags;
  readonly storage: LakeStorage;
  /** Entry script Glue runs (handlers/ingest/ingest_job.py). */
  readonly scriptPath: string;
  /** Folder of the Python package the script imports; zipped under its own name. */
  readonly packageDir: string;
  /** Extra files placed inside the package zip, by path inside the zip (e.g. the manifest schema). */
  readonly packageExtras?: Readonly<Record<string, string>>;
  /** JDBC driver jar for the source engine. */
  readonly driverJarPath: string;
}

/** Short content hash of files (or of every file under folders), so uploads are versioned by content. */
export function contentHash(paths: readonly string[]): string {
  const hash = createHash("sha256");
  const visit = (path: string): void => {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      // A file not built yet (e.g. the jar before scripts/ingest-deps.sh): hash its name only.
      hash.update(`missing:${path}`);
      return;
    }
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry === "__pycache__" || entry.endsWith(".pyc")) continue;
        visit(join(path, entry));
      }
    } else {
      hash.update(relative(process.cwd(), path));
      hash.update(readFileSync(path));
    }
  };
  paths.forEach(visit);
  return hash.digest("hex").slice(0, 12);
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
    const packageContents: Record<string, pulumi.asset.Asset | pulumi.asset.Archive> = {
      [packageName]: new pulumi.asset.FileArchive(args.packageDir),
    };
    for (const [inZip, path] of Object.entries(extras)) packageContents[inZip] = new pulumi.asset.FileAsset(path);
    this.packageUri = upload("package", `jobs/${version}/${packageName}.zip`, new pulumi.asset.AssetArchive(packageContents));
    this.driverJarUri = upload("driver", `jobs/jars/${basename(args.driverJarPath)}`, new pulumi.asset.FileAsset(args.driverJarPath));
    this.registerOutputs({ scriptUri: this.scriptUri, packageUri: this.packageUri, driverJarUri: this.driverJarUri });
  }
}
