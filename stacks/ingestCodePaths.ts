/**
 * Where the ingest job's code and driver jars live, relative to the package root (the code's
 * paths are owned by components/packageFiles.ts; the driver jars are this program's own).
 * scripts/ingest-deps.sh downloads the pinned drivers (a test keeps the two in step); the stack
 * uploads the configured engine's jar and passes it to the job (--extra-jars).
 */
import { relative } from "node:path";
import { INGEST_JOB_FILES, PACKAGE_ROOT } from "../components/packageFiles";
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

const fromRoot = (path: string): string => relative(PACKAGE_ROOT, path);

export const INGEST_CODE = {
  script: fromRoot(INGEST_JOB_FILES.script),
  packageDir: fromRoot(INGEST_JOB_FILES.packageDir),
  packageExtras: Object.fromEntries(
    Object.entries(INGEST_JOB_FILES.packageExtras).map(([inZip, path]) => [inZip, fromRoot(path)]),
  ) as Record<string, string>,
  driverJar,
} as const;
