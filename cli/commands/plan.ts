/**
 * lake plan [--base <ref>] [--file tables.yaml] [--stack dev[,prod]] [cost options] [--measured <json>] [--no-resources]
 * What a tables.yaml change does, as Markdown for a PR comment: tables, resources (offline
 * synthesis of base and head), access matrix, Glue cost (estimated, and from measured run times).
 */
import { numberOption, parseCommandArgs, stringOption, UsageError } from "../args";
import { DEFAULT_ASSUMPTIONS, lakeCost, measuredTierCost, type CostAssumptions } from "../cost";
import { showAtRef } from "../git";
import { EXIT, type Io } from "../io";
import { diffAccess } from "../plan/access";
import { readMeasured, runForTier } from "../measured";
import { PLAN_MARKER, renderAccess, renderCost, renderMeasuredCost, renderResources, renderTables } from "../plan/render";
import { diffResources, synthesize } from "../plan/resources";
import { diffTables, sectionChanges } from "../plan/tables";
import { readStackFile, rolePrincipalNames, workerSettings } from "../stackFile";
import { loadTables } from "../tablesFile";
import { code } from "../markdown";
import { checkTablesYaml, formatIssue } from "../../model";

export const PLAN_USAGE = `lake plan [--base <git ref>] [--file tables.yaml] [--stack dev[,prod]] [--no-resources]
          [--price-standard 0.44] [--price-flex 0.29] [--startup-seconds 60] [--seconds-per-table 20] [--min-billed-seconds 60]
          [--measured bench/results/scale-300x10k.json]
  Markdown for a pull-request comment comparing tables.yaml at --base (default origin/main, read with
  git show) with the working tree: tables added, removed, moved between tiers or strategies, changed
  fields; resources that change (the program synthesized offline with Pulumi mocks for both, per
  stack); the access matrix and its diff; an estimated Glue cost per tier and, with --measured (the
  JSON of bench/scale_bench.py --json), the cost per day from measured run times beside it. Exit 0
  planned, 1 head invalid or synthesis failed, 2 usage error (a --measured file that does not read
  or validate included).`;

function assumptionsFrom(args: Parameters<typeof numberOption>[0]): CostAssumptions {
  const d = DEFAULT_ASSUMPTIONS;
  return {
    ...d,
    standardPricePerDpuHour: numberOption(args, "price-standard", d.standardPricePerDpuHour),
    flexPricePerDpuHour: numberOption(args, "price-flex", d.flexPricePerDpuHour),
    startupSeconds: numberOption(args, "startup-seconds", d.startupSeconds),
    secondsPerTable: numberOption(args, "seconds-per-table", d.secondsPerTable),
    minimumBilledSeconds: numberOption(args, "min-billed-seconds", d.minimumBilledSeconds),
  };
}

export async function planCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      base: { type: "string" },
      file: { type: "string" },
      stack: { type: "string" },
      "no-resources": { type: "boolean" },
      "price-standard": { type: "string" },
      "price-flex": { type: "string" },
      "startup-seconds": { type: "string" },
      "seconds-per-table": { type: "string" },
      "min-billed-seconds": { type: "string" },
      measured: { type: "string" },
    },
    0,
  );
  const ref = stringOption(args, "base") ?? "origin/main";
  const file = stringOption(args, "file") ?? "tables.yaml";
  const stacks = (stringOption(args, "stack") ?? "dev").split(",").filter((s) => s.length > 0);
  if (stacks.length === 0) throw new UsageError("--stack names no stack");
  const assumptions = assumptionsFrom(args);
  const measuredPath = stringOption(args, "measured");
  const measured = measuredPath === undefined ? undefined : readMeasured(measuredPath, io.cwd);
  const stackFiles = stacks.map((s) => readStackFile(s, [io.cwd]));
  const knownRoles = rolePrincipalNames(stackFiles[0]);

  const head = loadTables(file, io, { knownRoles });
  const title = `${PLAN_MARKER}\n## lake plan: ${code(file)} at ${code(ref)} → this change`;
  if (!head) {
    io.out(`${title}\n\n**${file} does not validate** (see \`lake validate ${file}\`); nothing else was planned.`);
    return EXIT.findings;
  }
  const baseText = showAtRef(ref, file, io.cwd);
  const baseCheck = checkTablesYaml(baseText, `${ref}:${file}`);
  if (!baseCheck.model) {
    throw new UsageError(`${ref}:${file} does not validate, cannot compare:\n  ${baseCheck.issues.map(formatIssue).join("\n  ")}`);
  }
  const base = baseCheck.model;
  const tables = diffTables(base, head.model);
  const sections = sectionChanges(base, head.model);
  const summary =
    `${tables.added.length} added, ${tables.removed.length} removed, ${tables.tierMoves.length} moved between tiers, ` +
    `${tables.strategyChanges.length} strategy change(s), ${tables.changed.length} changed; ` +
    `${head.model.tables.length} tables in ${head.model.tiers.length} tiers and ${head.model.domains.length} domains.`;
  const parts = [title, summary, renderTables(tables, sections)];

  let failed = false;
  for (const stackFile of stackFiles) {
    if (args.values["no-resources"] === true) break;
    try {
      const baseResources = await synthesize(stackFile.config, baseText, stackFile.stack);
      const headResources = await synthesize(stackFile.config, head.text, stackFile.stack);
      parts.push(renderResources(stackFile.stack, diffResources(baseResources, headResources), baseText !== head.text));
    } catch (error) {
      failed = true;
      parts.push(`### Resources (stack ${code(stackFile.stack)})\n\n**Synthesis failed**: ${(error as Error).message}`);
    }
  }
  parts.push(renderAccess(head.model, diffAccess(base, head.model)));
  for (const stackFile of stackFiles) {
    const workers = (tier: string): ReturnType<typeof workerSettings> => workerSettings(stackFile, tier);
    const estimate = lakeCost(head.model, workers, assumptions);
    parts.push(renderCost(stackFile.stack, estimate, lakeCost(base, workers, assumptions), assumptions));
    if (measured !== undefined) {
      const fromRuns = estimate.map((c) => measuredTierCost(c, runForTier(measured, c.tier), assumptions));
      parts.push(renderMeasuredCost(stackFile.stack, fromRuns, estimate, measured, assumptions));
    }
  }
  io.out(parts.join("\n\n"));
  return failed ? EXIT.findings : EXIT.ok;
}
