/**
 * The `lake` CLI: PR-based onboarding around tables.yaml.
 *   lake validate | plan | onboard | drift | access   (lake help <command> for options)
 * Exit codes (cli/io.ts EXIT): 0 ok, 1 findings (validate: invalid file; drift needing action; proposals
 * refused), 2 usage or runtime error, 3 the tables.yaml onboard or drift works from does not validate.
 */
import { UsageError } from "./args";
import { ACCESS_USAGE, accessCommand } from "./commands/access";
import { CATALOG_USAGE, catalogCommand } from "./commands/catalog";
import { DRIFT_USAGE, driftCommand } from "./commands/drift";
import { INIT_USAGE, initCommand } from "./commands/init";
import { ONBOARD_USAGE, onboardCommand } from "./commands/onboard";
import { PLAN_USAGE, planCommand } from "./commands/plan";
import { RECONCILE_USAGE, reconcileCommand } from "./commands/reconcile";
import { STATUS_USAGE, statusCommand } from "./commands/status";
import { BACKFILL_USAGE, RELOAD_USAGE, backfillCommand, reloadCommand } from "./commands/reload";
import { VALIDATE_USAGE, validateCommand } from "./commands/validate";
import { VERIFY_USAGE, verifyCommand } from "./commands/verify";
import { EXIT, processIo, type Io } from "./io";

type Command = (argv: readonly string[], io: Io) => Promise<number>;

const COMMANDS: Readonly<Record<string, { run: Command; usage: string }>> = {
  init: { run: initCommand, usage: INIT_USAGE },
  validate: { run: validateCommand, usage: VALIDATE_USAGE },
  plan: { run: planCommand, usage: PLAN_USAGE },
  onboard: { run: onboardCommand, usage: ONBOARD_USAGE },
  drift: { run: driftCommand, usage: DRIFT_USAGE },
  verify: { run: verifyCommand, usage: VERIFY_USAGE },
  reconcile: { run: reconcileCommand, usage: RECONCILE_USAGE },
  status: { run: statusCommand, usage: STATUS_USAGE },
  reload: { run: reloadCommand, usage: RELOAD_USAGE },
  backfill: { run: backfillCommand, usage: BACKFILL_USAGE },
  access: { run: accessCommand, usage: ACCESS_USAGE },
  catalog: { run: catalogCommand, usage: CATALOG_USAGE },
};

export const USAGE = `usage: lake <command> [options]

${Object.values(COMMANDS)
  .map((c) => c.usage)
  .join("\n\n")}`;

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    const topic = rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
    io.out(topic ? topic.usage : USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`lake: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`lake ${name}: ${error.message}\n\n${command.usage}`);
    } else {
      io.err(`lake ${name}: ${(error as Error).message}`);
    }
    return EXIT.usage;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(EXIT.usage);
    },
  );
}
