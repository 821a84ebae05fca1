/**
 * Where the ingest job's code and driver jars live in the repository (relative to its root).
 * scripts/ingest-deps.sh downloads the pinned MariaDB driver (a test keeps the two in step);
 * for another engine, place its driver jar at the path below before `pulumi up`.
 */
import type { SourceEngine } from "../model";

const DRIVER_JARS: Readonly<Record<SourceEngine, string>> = {
  mariadb: ".cache/jars/mariadb-java-client-3.5.11.jar",
  mysql: ".cache/jars/mysql-connector-j.jar",
  postgresql: ".cache/jars/postgresql.jar",
  sqlserver: ".cache/jars/mssql-jdbc.jar",
  oracle: ".cache/jars/ojdbc11.jar",
};

export const INGEST_CODE = {
  script: "handlers/ingest/ingest_job.py",
  packageDir: "handlers/ingest/lake_ingest",
  packageExtras: { "lake_ingest/run-manifest.schema.json": "handlers/contracts/run-manifest.schema.json" } as Record<string, string>,
  driverJar: (engine: SourceEngine): string => DRIVER_JARS[engine],
} as const;
