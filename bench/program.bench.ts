/**
 * Benchmark (prints figures; not a test): evaluation time, peak memory and resource count of
 * the Pulumi program for 30, 300 and 3000 tables. The resource count must not move with the
 * table count. Usage: npm run bench:program
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

interface Figures {
  tables: number;
  resources: number;
  evalMs: number;
  peakRssMb: number;
}

const sizes = (process.argv[2] ?? "30,300,3000").split(",").map(Number);
const rows: Figures[] = [];
for (const size of sizes) {
  const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", join(__dirname, "programRun.ts"), String(size)], {
    cwd: join(__dirname, ".."),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = out.trim().split("\n").pop() ?? "{}";
  rows.push(JSON.parse(line) as Figures);
}
console.log("tables | resources | evaluation (ms) | peak RSS (MB)");
console.log("------:|----------:|----------------:|-------------:");
for (const r of rows) console.log(`${r.tables} | ${r.resources} | ${r.evalMs} | ${r.peakRssMb}`);
const counts = new Set(rows.map((r) => r.resources));
console.log(
  counts.size === 1
    ? `resource count is constant (${rows[0].resources}) across table counts`
    : `RESOURCE COUNT VARIES WITH TABLES: ${[...counts].join(", ")}`,
);
process.exitCode = counts.size === 1 ? 0 : 1;
