/**
 * lake init [--file tables.yaml] [--domains d1,d2] [--owner e-mail] [--timezone zone] [--access role=d1+d2[:pii],...]
 *           [--daily-only] [--force]
 * Writes a starter tables.yaml for a new lake: tiers, domains and access rules, and `tables: []`
 * for `lake onboard` to fill. The text is validated by the model before it is written.
 */
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Document, isSeq, visit } from "yaml";
import { parseCommandArgs, stringOption, UsageError } from "../args";
import { EXIT, type Io } from "../io";
import { checkTablesYaml, formatIssue } from "../../model";
import { STRINGIFY } from "../../model/edit";

export const INIT_USAGE = `lake init [--file tables.yaml] [--domains d1,d2] [--owner <e-mail>] [--timezone <IANA zone>]
          [--access role=domain+domain[:pii],...] [--daily-only] [--force]
  Writes a starter tables.yaml: a daily catch-all tier at 01:30 and (unless --daily-only) an
  every_15_min tier on workdays 06:00-19:45, the domains (default: general) owned by --owner, the
  access rules (default: data_engineer reads every domain without PII), and "tables: []" for
  lake onboard to fill. Tiers use --timezone, else the stack's lake:businessTimeZone. Refuses to
  overwrite an existing file unless --force. Exit 0 written, 2 usage error or file exists.`;

const DEFAULT_OWNER = "data-platform@example.com";

const HEADER = `# yaml-language-server: $schema=./model/tables.schema.json
#
# tables.yaml: the single source of truth of the governed lake (written by lake init).
#
#   tiers     when tables sync; the syncsAllTables tier loads every enabled table daily.
#   domains   one governed catalog database pair (raw and full copy) each, tagged domain=<name>.
#   access    per role: the domains it may read and whether it is cleared for PII columns;
#             each role needs its IAM principal in lake:rolePrincipals of the stack config.
#   tables    empty for now: \`lake onboard --source <url>\` proposes entries from the source.
`;

interface AccessOption {
  readonly role: string;
  readonly domains: string[];
  readonly pii: boolean;
}

function list(text: string | undefined, option: string): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) throw new UsageError(`--${option}: empty item in "${text}"`);
  return items;
}

/** `role=d1+d2[:pii]`: the role reads d1 and d2, cleared for PII only with `:pii`. */
function parseAccess(text: string | undefined, domains: readonly string[]): AccessOption[] {
  const items = list(text, "access");
  if (!items) return [{ role: "data_engineer", domains: [...domains], pii: false }];
  return items.map((item) => {
    const match = /^([^=]+)=([^:]+)(:pii)?$/.exec(item);
    if (!match) throw new UsageError(`--access: "${item}" is not role=domain+domain[:pii]`);
    const roleDomains = match[2].split("+");
    const unknown = roleDomains.filter((d) => !domains.includes(d));
    if (unknown.length > 0)
      throw new UsageError(`--access: role ${match[1]} names unknown domain(s) ${unknown.join(", ")} (--domains: ${domains.join(", ")})`);
    return { role: match[1], domains: roleDomains, pii: match[3] !== undefined };
  });
}

/** The starter file's text; exported for tests. */
export function starterTablesYaml(options: {
  domains: readonly string[];
  owner: string;
  timezone?: string;
  access: readonly AccessOption[];
  dailyOnly: boolean;
}): string {
  const zone = options.timezone !== undefined ? { timezone: options.timezone } : {};
  const where = options.timezone ?? "business";
  const tiers: Record<string, object> = {
    daily: {
      syncsAllTables: true,
      schedule: "cron(30 1 * * ? *)",
      ...zone,
      description: `Nightly catch-all at 01:30 ${where} time; loads every enabled table, whatever its tier.`,
    },
  };
  if (!options.dailyOnly) {
    tiers.every_15_min = {
      schedule: "cron(0/15 6-19 ? * MON-FRI *)",
      ...zone,
      workdaysOnly: true,
      description: `Every 15 minutes from 06:00 to 19:45 ${where} time, Monday to Friday.`,
    };
  }
  const doc = new Document({
    version: 1,
    defaults: { lookbackMinutes: 10, owner: options.owner },
    tiers,
    domains: Object.fromEntries(options.domains.map((d) => [d, { description: `TODO describe the ${d} domain.`, owner: options.owner }])),
    access: Object.fromEntries(options.access.map((a) => [a.role, { domains: a.domains, pii: a.pii }])),
    tables: [],
  });
  visit(doc, {
    Seq(_, node) {
      if (isSeq(node)) node.flow = true;
    },
  });
  // A blank line between the top-level sections, as in the repository's tables.yaml.
  const body = doc.toString(STRINGIFY).replace(/\n(?=[a-z])/g, "\n\n");
  return `${HEADER}\n${body}`;
}

export async function initCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      file: { type: "string" },
      domains: { type: "string" },
      owner: { type: "string" },
      timezone: { type: "string" },
      access: { type: "string" },
      "daily-only": { type: "boolean" },
      force: { type: "boolean" },
    },
    0,
  );
  const file = stringOption(args, "file") ?? "tables.yaml";
  const path = resolve(io.cwd, file);
  if (existsSync(path) && args.values.force !== true) {
    throw new UsageError(`${file} exists; refusing to overwrite it (pass --force to replace it)`);
  }
  const domains = list(stringOption(args, "domains"), "domains") ?? ["general"];
  const text = starterTablesYaml({
    domains,
    owner: stringOption(args, "owner") ?? DEFAULT_OWNER,
    timezone: stringOption(args, "timezone"),
    access: parseAccess(stringOption(args, "access"), domains),
    dailyOnly: args.values["daily-only"] === true,
  });
  // Options become names and zones the model checks; its messages name the field at fault.
  const check = checkTablesYaml(text, file);
  if (!check.model) {
    throw new UsageError(
      `the options give a tables.yaml that does not validate:\n${check.issues.map((i) => "  " + formatIssue(i)).join("\n")}`,
    );
  }
  writeFileSync(path, text);
  const model = check.model;
  io.out(
    `wrote ${file}: ${model.tiers.length} tier(s) (${model.tiers.map((t) => t.name).join(", ")}), ` +
      `${model.domains.length} domain(s) (${model.domains.map((d) => d.name).join(", ")}), ` +
      `${model.access.length} role(s), no tables yet; next: lake onboard --source <url> --file ${file}`,
  );
  return EXIT.ok;
}
