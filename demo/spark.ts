/** Spark properties of a local "Glue job": lake_ingest.localconf, as scripts/run-ingest-local.sh builds them. */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { REPO, type DemoSettings } from "./settings";

export function writeSparkProperties(settings: DemoSettings, catalog: string, warehouseUri: string, file: string): string {
  execFileSync(
    path.join(settings.venv, "bin", "python"),
    [
      "-c",
      [
        "import sys",
        "from lake_ingest.localconf import local_spark_conf, properties_file_text",
        "conf = local_spark_conf(sys.argv[1], sys.argv[2], sys.argv[3])",
        "conf.pop('spark.master')",
        "open(sys.argv[4], 'w').write(properties_file_text(conf))",
      ].join("\n"),
      catalog,
      warehouseUri,
      settings.jarDir,
      file,
    ],
    { env: { ...process.env, PYTHONPATH: path.join(REPO, "handlers", "ingest") }, stdio: ["ignore", "inherit", "inherit"] },
  );
  return file;
}
