/**
 * lake catalog [--file tables.yaml] [--out catalog] [--source <url>] [--stack <s> | --database-prefix p] [--time-zone z]
 * Writes the data dictionary (cli/catalog/render.ts): index.html with a search box, one page per
 * domain, catalog.md. With --source, the live columns, types and comments of the source.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseCommandArgs, stringOption } from "../args";
import { renderCatalog } from "../catalog/render";
import { readSourceSchema } from "../introspect";
import { EXIT, type Io } from "../io";
import { readStackFile } from "../stackFile";
import { loadTables } from "../tablesFile";

export const CATALOG_USAGE = `lake catalog [--file tables.yaml] [--out catalog] [--source <url>] [--stack <s> | --database-prefix <p>] [--time-zone <zone>]
  Writes a browsable data dictionary to --out (default ./catalog): index.html (domains, tiers and a
  search box over tables and columns), one <domain>.html per domain (each table's description,
  owner, tier and freshness, strategy, source, keys, PII columns, columns and an Athena example
  query) and catalog.md. --source adds the live columns, types and comments (password from
  LAKE_SOURCE_PASSWORD). Database names use --stack (<lake:name>_<stack>) or --database-prefix
  (default lake). Exit 0 written, 2 usage or connection error, 3 tables.yaml invalid.`;

export async function catalogCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      file: { type: "string" },
      out: { type: "string" },
      source: { type: "string" },
      stack: { type: "string" },
      "database-prefix": { type: "string" },
      "time-zone": { type: "string" },
    },
    0,
  );
  const loaded = loadTables(stringOption(args, "file") ?? "tables.yaml", io);
  if (!loaded) return EXIT.invalidInput;
  const stack = stringOption(args, "stack");
  const config = stack ? readStackFile(stack, [io.cwd]).config : {};
  const lakeName = typeof config["lake:name"] === "string" ? config["lake:name"] : undefined;
  const zone = typeof config["lake:businessTimeZone"] === "string" ? config["lake:businessTimeZone"] : "UTC";
  // As stacks/lake.ts names the databases: <lake>-<stack> with dashes as underscores.
  const databasePrefix = stringOption(args, "database-prefix") ?? (lakeName && stack ? `${lakeName}-${stack}`.replace(/-/g, "_") : "lake");
  const source = stringOption(args, "source");
  const schema = source ? await readSourceSchema(source) : undefined;
  const files = renderCatalog({
    model: loaded.model,
    databasePrefix,
    businessTimeZone: stringOption(args, "time-zone") ?? zone,
    schema,
    generatedAt: new Date(),
  });
  const out = resolve(io.cwd, stringOption(args, "out") ?? "catalog");
  mkdirSync(out, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(out, name), text);
  io.out(`wrote ${files.size} files to ${out}: index.html, ${loaded.model.domains.length} domain page(s), catalog.md`);
  return EXIT.ok;
}
