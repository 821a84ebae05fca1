/**
 * Where the ingest job's code and driver jars live in the repository (relative to its root).
 * scripts/ingest-deps.sh downloads the pinned drivers (a test keeps the two in step); the stack
 * uploads the configured engine's jar and passes it to the job (--extra-jars).
 */
import { engineProblem, isLoadableEngine, type LoadableEngine, type SourceEngine } from "../model";

const MARIADB_DRIVER = ".cache/jars/mariadb-java-client-3.5.11.jar";
const DRIVER_JARS: Readonly<Record<LoadableEngine, string>> = {
  mariadb: MARIADB_DRIVER,
  mysql: MARIADB_DRIVER, // MariaDB Connector/J reads MySQL too (the job's dialect is the same)
  postgresql: ".cache/jars/postgresql-42.7.14.jar",
};

function driverJar(engine: SourceEngine): string {
  if (!isLoadableEngine(engine)) throw new Error(engineProblem(engine));
  return DRIVER_JARS[engine];
}

export const INGEST_CODE = {
  script: "handlers/ingest/ingest_job.py",
  packageDir: "handlers/ingest/lake_ingest",
  packageExtras: { "lake_ingest/run-manifest.schema.json": "handlers/contracts/run-manifest.schema.json" } as Record<string, string>,
  driverJar,
} as const;
