/**
 * The one owner of where this package's own files are: the package root and the handler files a
 * component bundles or uploads at deploy time. Found from this module's location, so it holds
 * both in the repository (components/*.ts) and when installed (node_modules/<pkg>/dist/components/*.js).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The nearest folder at or above `start` that holds a package.json. */
export function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json at or above ${start}: cannot locate the lake library's handler files`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(__dirname);

/** A file shipped in this package, by its path relative to the package root. */
export function packageFile(relativePath: string): string {
  return join(PACKAGE_ROOT, relativePath);
}

/** Entry of the coordinator Lambda (TypeScript source, bundled by esbuild at deploy time). */
export const COORDINATOR_HANDLER_ENTRY = packageFile("handlers/coordinator/index.ts");

/** The ingest job's code as IngestCode uploads it (absolute paths inside this package). */
export const INGEST_JOB_FILES = {
  script: packageFile("handlers/ingest/ingest_job.py"),
  packageDir: packageFile("handlers/ingest/lake_ingest"),
  // The contracts the job reads, inside its package (handlers/ingest/build_zip.py builds the same zip).
  packageExtras: Object.fromEntries(
    ["run-manifest.schema.json", "state-table.json"].map((name) => [`lake_ingest/${name}`, packageFile(`handlers/contracts/${name}`)]),
  ) as Readonly<Record<string, string>>,
} as const;

/** The job's Iceberg catalog settings, shared with lake_ingest/localconf.py. */
export const ICEBERG_CATALOG_FILE = packageFile("handlers/contracts/iceberg-catalog.json");
