/**
 * Where the ingest job's code and driver jars live, relative to the package root (the code's
 * paths are owned by components/packageFiles.ts; the driver jars are this program's own).
 * scripts/ingest-deps.sh downloads the pinned MariaDB driver (a test keeps the two in step);
 * for another engine, place its driver jar at the path below before `pulumi up`.
 */
import { relative } from "node:path";
import { INGEST_JOB_FILES, PACKAGE_ROOT } from "../components/packageFiles";
import type { SourceEngine } from "../model";

const DRIVER_JARS: Readonly<Record<SourceEngine, string>> = {
  mariadb: ".cache/jars/mariadb-java-client-3.5.11.jar",
  mysql: ".cache/jars/mysql-connector-j.jar",
  postgresql: ".cache/jars/postgresql.jar",
  sqlserver: ".cache/jars/mssql-jdbc.jar",
  oracle: ".cache/jars/ojdbc11.jar",
};

const fromRoot = (path: string): string => relative(PACKAGE_ROOT, path);

export const INGEST_CODE = {
  script: fromRoot(INGEST_JOB_FILES.script),
  packageDir: fromRoot(INGEST_JOB_FILES.packageDir),
  packageExtras: Object.fromEntries(
    Object.entries(INGEST_JOB_FILES.packageExtras).map(([inZip, path]) => [inZip, fromRoot(path)]),
  ) as Record<string, string>,
  driverJar: (engine: SourceEngine): string => DRIVER_JARS[engine],
} as const;
