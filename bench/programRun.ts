/**
 * One measured evaluation of the Pulumi program under mocks for a generated tables.yaml of N
 * tables; prints one JSON line. Run by program.bench.ts in a fresh process per size so the
 * peak memory belongs to that size alone.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runLakeProgram } from "../stacks/program";
import { stackFileConfig, withConfig } from "../test/fixtures/stackConfig";
import { syntheticTablesYaml } from "../test/fixtures/syntheticTables";
import { runWithMocks } from "../stacks/offline";

async function main(): Promise<void> {
  const tables = Number(process.argv[2]);
  const file = join(mkdtempSync(join(tmpdir(), "lake-bench-")), "tables.yaml");
  writeFileSync(file, syntheticTablesYaml(tables));
  const started = process.hrtime.bigint();
  const { resources } = await runWithMocks(withConfig(stackFileConfig("dev"), { "lake:tablesFile": file }), () => runLakeProgram());
  const evalMs = Number(process.hrtime.bigint() - started) / 1e6;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ tables, resources: resources.length, evalMs: Math.round(evalMs), peakRssMb: Math.round(peakRssMb) }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
