/** lake validate [file] [--format text|json|github] [--stack <name>]: the model's checks as a CLI. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseCommandArgs, stringOption, UsageError } from "../args";
import { EXIT, type Io } from "../io";
import { readStackFile, rolePrincipalNames } from "../stackFile";
import { checkTablesYaml, formatIssue, type ModelIssue } from "../../model";

export const VALIDATE_USAGE = `lake validate [file] [--format text|json|github] [--stack <name>]
  Checks tables.yaml (default ./tables.yaml) with the model: every problem with file:line:column,
  table, field and a hint. --stack also checks access roles against lake:rolePrincipals of
  Pulumi.<name>.yaml. Exit 0 valid, 1 invalid, 2 usage error.`;

function githubAnnotation(issue: ModelIssue): string {
  const text = formatIssue(issue).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  return `::error file=${issue.file},line=${issue.line},col=${issue.column}::${text}`;
}

export async function validateCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommandArgs(argv, { format: { type: "string" }, stack: { type: "string" } }, 1);
  const format = stringOption(args, "format") ?? "text";
  if (!["text", "json", "github"].includes(format)) throw new UsageError(`--format must be text, json or github (got "${format}")`);
  const file = args.positionals[0] ?? "tables.yaml";
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const stack = stringOption(args, "stack");
  const knownRoles = stack ? rolePrincipalNames(readStackFile(stack, [io.cwd])) : undefined;
  const result = checkTablesYaml(text, file, { knownRoles });
  const model = result.model;
  if (format === "json") {
    const summary = model && {
      tables: model.tables.length,
      enabledTables: model.tables.filter((t) => t.enabled).length,
      tiers: model.tiers.map((t) => t.name),
      domains: model.domains.map((d) => d.name),
      roles: model.access.map((a) => a.role),
    };
    io.out(JSON.stringify({ file, valid: !!model, stack: stack ?? null, issues: result.issues, summary: summary ?? null }, null, 2));
  } else if (model) {
    io.out(
      `${file}: valid: ${model.tables.length} tables (${model.tables.filter((t) => !t.enabled).length} disabled), ` +
        `${model.tiers.length} tiers, ${model.domains.length} domains, ${model.access.length} roles` +
        (stack ? `; roles match lake:rolePrincipals of stack ${stack}` : ""),
    );
  } else {
    for (const issue of result.issues) io.err(format === "github" ? githubAnnotation(issue) : formatIssue(issue));
    io.err(`${file}: ${result.issues.length} problem${result.issues.length === 1 ? "" : "s"}`);
  }
  return model ? EXIT.ok : EXIT.findings;
}
