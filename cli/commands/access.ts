/** lake access --stack <name> [--file tables.yaml] [--endpoint <url>] [--region <r>] [--format text|json] */
import { GlueClient } from "@aws-sdk/client-glue";
import { LakeFormationClient } from "@aws-sdk/client-lakeformation";
import { auditLakeAccess, type LakeAccessReport } from "../access";
import { formatOption, parseCommandArgs, stringOption, UsageError } from "../args";
import { EXIT, type Io } from "../io";
import { readStackFile } from "../stackFile";
import { loadTables } from "../tablesFile";

export const ACCESS_USAGE = `lake access --stack <name> [--file tables.yaml] [--endpoint <url>] [--region <region>] [--format text|json]
  Reads the real Lake Formation state of the stack's lake (grants, LF-tags of every database, table
  and column, the tags defined) and prints the effective access role x domain x table x column
  under LF-TBAC, flagging every violation: a pii or unclassified column visible to a role not
  cleared for PII, a table of a domain the role's rule does not name, a grant tables.yaml does not
  derive. --endpoint points at a local endpoint (moto). Uses the AWS credentials of the environment.
  Exit 0 no violation, 1 violations, 2 usage/connection error, 3 tables.yaml invalid.`;

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);

function renderText(report: LakeAccessReport, io: Io): void {
  for (const cell of report.matrix) {
    if (cell.visible.length === 0) continue;
    const hidden = cell.hidden.length > 0 ? `; hidden: ${cell.hidden.join(", ")}` : "";
    io.out(
      `${cell.role} × ${cell.domain} × ${cell.database}.${cell.table}: visible ${cell.visible.length}/${cell.visible.length + cell.hidden.length}${hidden}`,
    );
  }
  for (const v of report.violations) io.out(`VIOLATION ${v.kind}: ${v.message}`);
  for (const key of report.missingTagKeys) io.out(`warning: LF-tag ${key} is not defined in Lake Formation`);
  if (report.otherPrincipals.length > 0)
    io.out(`not judged (service roles or other principals; review): ${report.otherPrincipals.join(", ")}`);
  io.out(
    `${report.roles} roles, ${report.tables} tables, ${report.columns} columns audited; ` +
      `PII columns visible to uncleared roles: ${report.piiVisibleToUncleared}; ${report.violations.length} violation(s)`,
  );
}

export async function accessCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      stack: { type: "string" },
      file: { type: "string" },
      endpoint: { type: "string" },
      region: { type: "string" },
      format: { type: "string" },
    },
    0,
  );
  const stack = stringOption(args, "stack");
  if (!stack) throw new UsageError("--stack <name> is required (its lake:name and lake:rolePrincipals name the databases and roles)");
  const format = formatOption(args);
  const endpoint = stringOption(args, "endpoint");
  if (endpoint !== undefined && !/^https?:\/\/\S+$/.test(endpoint)) throw new UsageError(`--endpoint "${endpoint}" is not an http(s) URL`);
  const stackFile = readStackFile(stack, [io.cwd]);
  const principals = stackFile.config["lake:rolePrincipals"];
  const lakeName = stackFile.config["lake:name"];
  if (typeof lakeName !== "string") throw new UsageError(`${stackFile.path}: lake:name is not set`);
  const lf = stackFile.config["lake:lakeFormation"];
  const tagKeyPrefix = isDict(lf) && typeof lf.tagKeyPrefix === "string" ? lf.tagKeyPrefix : "";
  const region =
    stringOption(args, "region") ?? (typeof stackFile.config["aws:region"] === "string" ? stackFile.config["aws:region"] : undefined);
  const loaded = loadTables(stringOption(args, "file") ?? "tables.yaml", io);
  if (!loaded) return EXIT.invalidInput;
  const clientConfig = { ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) };
  const report = await auditLakeAccess(
    { glue: new GlueClient(clientConfig), lakeformation: new LakeFormationClient(clientConfig) },
    {
      model: loaded.model,
      // As stacks/lake.ts names them: <lake>_<stack>_<domain>[_raw].
      databasePrefix: `${lakeName}-${stack}`.replace(/-/g, "_"),
      rolePrincipals: isDict(principals)
        ? (Object.fromEntries(Object.entries(principals).map(([k, v]) => [k, String(v)])) as Record<string, string>)
        : {},
      tagKeyPrefix,
      localEndpoint: endpoint !== undefined,
    },
  );
  if (format === "json") io.out(JSON.stringify(report, null, 2));
  else renderText(report, io);
  return report.violations.length > 0 ? EXIT.findings : EXIT.ok;
}
