/**
 * lake onboard --source <url> [--dry-run] [--file tables.yaml] [--domain-map p=d,...] [--tier t]
 * Proposes tables.yaml entries for source tables not onboarded yet and inserts them after the last
 * entry (model/edit.ts: no existing byte changes), after the model has validated the result.
 */
import { writeFileSync } from "node:fs";
import { parseCommandArgs, stringOption, UsageError } from "../args";
import { readSourceSchema } from "../introspect";
import { EXIT, type Io } from "../io";
import { table } from "../markdown";
import { parseDomainMap } from "../onboard/domain";
import { propose, type Proposal } from "../onboard/propose";
import { appendEntries } from "../onboard/write";
import { loadTables } from "../tablesFile";
import { checkTablesYaml, formatIssue } from "../../model";

export const ONBOARD_USAGE = `lake onboard --source <url> [--dry-run] [--file tables.yaml] [--domain-map prefix=domain,...] [--tier <tier>]
  Introspects the source (mariadb://user@host:3306/db, mysql://..., postgres://user@host:5432/db?schema=public;
  password from LAKE_SOURCE_PASSWORD; ?socket=<path> for a unix socket) and proposes entries for tables
  not in tables.yaml: primary key, strategy, likely PII columns, a domain guess (marked "TODO confirm
  domain"), a lake-safe name. Inserts them after the file's last entry, leaving every existing byte as
  it was, or prints them with --dry-run.
  Exit 0 done (or nothing to do), 1 proposals refused or tables skipped, 2 usage/connection error,
  3 tables.yaml invalid.`;

/** The lines an append inserted (common prefix and suffix removed). */
export function insertedLines(before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return b.slice(start, b.length - end).join("\n");
}

function summary(proposals: readonly Proposal[]): string {
  return table(
    ["source", "name", "strategy", "column", "primaryKey", "pii", "domain"],
    proposals.map((p) => [
      p.sourceTable.name,
      p.entry.name,
      p.entry.strategy,
      p.entry.cursor ?? p.entry.key ?? "",
      (p.entry.primaryKey ?? []).join(", ") || "(none)",
      (p.entry.pii ?? []).join(", "),
      p.domain.confirmed ? p.entry.domain : `${p.entry.domain}? (${p.domain.reason})`,
    ]),
  );
}

export async function onboardCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      source: { type: "string" },
      "dry-run": { type: "boolean" },
      file: { type: "string" },
      "domain-map": { type: "string" },
      tier: { type: "string" },
    },
    0,
  );
  const url = stringOption(args, "source");
  if (!url) throw new UsageError("--source <url> is required");
  const file = stringOption(args, "file") ?? "tables.yaml";
  const loaded = loadTables(file, io);
  if (!loaded) return EXIT.invalidInput;
  const tier = stringOption(args, "tier");
  if (tier !== undefined && !loaded.model.tiers.some((t) => t.name === tier)) {
    throw new UsageError(`--tier: unknown tier "${tier}" (tiers in ${file}: ${loaded.model.tiers.map((t) => t.name).join(", ")})`);
  }
  const domainMap = parseDomainMap(stringOption(args, "domain-map"), loaded.model);

  const schema = await readSourceSchema(url);
  const { proposals, skipped } = propose(schema, loaded.model, { domainMap, tier });
  io.err(`${schema.url}: ${schema.tables.length} tables in ${schema.schema}; ${proposals.length + skipped.length} not in ${file}`);
  for (const s of skipped) io.err(`skipped ${s.source}: ${s.reason}`);
  if (proposals.length === 0) {
    io.out(`nothing to onboard: every source table is in ${file}`);
    return skipped.length > 0 ? EXIT.findings : EXIT.ok;
  }

  const header = `--- proposed by lake onboard from ${schema.url} (${new Date().toISOString().slice(0, 10)}): review pii and confirm domains ---`;
  const updated = appendEntries(loaded.text, proposals, header);
  const check = checkTablesYaml(updated, file);
  if (!check.model) {
    io.err(`refusing to write ${file}: the proposed entries do not validate:`);
    for (const issue of check.issues) io.err("  " + formatIssue(issue));
    io.err("this is a bug in the proposal rules or an unusual source table; onboard these tables by hand");
    return EXIT.findings;
  }
  const todo = proposals.filter((p) => !p.domain.confirmed).length;
  if (args.values["dry-run"] === true) {
    io.out(insertedLines(loaded.text, updated));
    io.err(`\n${summary(proposals)}\n`);
    io.err(`dry run: ${proposals.length} entries validated with ${file}, not written; ${todo} domain guess(es) to confirm`);
    return EXIT.ok;
  }
  writeFileSync(loaded.path, updated);
  io.out(summary(proposals));
  io.out(
    `wrote ${proposals.length} entries to ${file} (validated by the model); ` +
      `${todo} domain guess(es) marked "# TODO confirm domain"; review pii, then open a pull request`,
  );
  return skipped.length > 0 ? EXIT.findings : EXIT.ok;
}
