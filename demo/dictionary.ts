/**
 * The demo lake's data dictionary: `lake catalog` (cli/commands/catalog.ts) run as a user would,
 * on the demo's copy of tables.yaml with the live columns and comments of the demo source, into
 * .lake/demo/catalog/ (index.html, one page per domain, catalog.md). The report links it.
 */
import * as path from "node:path";
import { main } from "../cli/index";
import type { DemoSettings } from "./settings";
import { REPO } from "./settings";

/** The demo's catalog database prefix (demo/lakePipeline.ts NAMES.databasePrefix). */
const DATABASE_PREFIX = "demo";

export interface Dictionary {
  /** index.html of the dictionary. */
  readonly index: string;
  readonly markdown: string;
}

export async function writeDictionary(settings: DemoSettings, tablesFile: string, print: (line: string) => void): Promise<Dictionary> {
  const out = path.join(settings.work, "catalog");
  const user = encodeURIComponent(settings.sourceUser);
  const source =
    settings.engine === "postgresql"
      ? `postgresql://${user}@127.0.0.1:${process.env["PGPORT"] ?? "5433"}/${settings.database}?schema=public`
      : `mariadb://${user}@127.0.0.1:3306/${settings.database}`;
  const errors: string[] = [];
  // lake catalog reads the source password from the environment, as on the command line.
  const previous = process.env["LAKE_SOURCE_PASSWORD"];
  process.env["LAKE_SOURCE_PASSWORD"] = settings.sourcePassword;
  try {
    const args = ["catalog", "--file", tablesFile, "--source", source, "--database-prefix", DATABASE_PREFIX, "--out", out];
    const code = await main(args, { cwd: REPO, out: (text) => print(`   ${text.trimEnd()}`), err: (text) => errors.push(text) });
    if (code !== 0) throw new Error(`lake ${args.join(" ")} exited ${code}: ${errors.join("\n")}`);
  } finally {
    if (previous === undefined) delete process.env["LAKE_SOURCE_PASSWORD"];
    else process.env["LAKE_SOURCE_PASSWORD"] = previous;
  }
  return { index: path.join(out, "index.html"), markdown: path.join(out, "catalog.md") };
}
