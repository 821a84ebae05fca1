/**
 * A throw-away PostgreSQL cluster (initdb + pg_ctl on a unix socket in a temp directory) for the
 * introspection tests. Runs as the `postgres` user when the tests run as root (PostgreSQL refuses root).
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/** The newest installed PostgreSQL's bin directory, or undefined when none is installed. */
export function postgresBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], "bin") : undefined;
}

export interface TempPostgres {
  readonly socketDir: string;
  readonly port: number;
  sql(database: string, text: string): void;
  stop(): void;
}

export function startPostgres(bin: string, port: number): TempPostgres {
  const dir = mkdtempSync(join(tmpdir(), "lake-cli-pg-"));
  const asRoot = userInfo().uid === 0;
  const run = (cmd: string, args: string[], input?: string): void => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
    execFileSync(file, argv, { stdio: ["pipe", "pipe", "pipe"], input, timeout: 60_000 });
  };
  if (asRoot) {
    const pgUser = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const pgGroup = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, pgUser, pgGroup);
  }
  const data = join(dir, "data");
  run(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres"]);
  run(join(bin, "pg_ctl"), ["-D", data, "-o", `-p ${port} -k ${dir} -c listen_addresses=''`, "-l", join(dir, "log"), "-w", "start"]);
  const psql = existsSync(join(bin, "psql")) ? join(bin, "psql") : "psql";
  return {
    socketDir: dir,
    port,
    sql: (database, text) =>
      run(psql, ["-h", dir, "-p", String(port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-q"], text),
    stop: () => {
      try {
        run(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
