/**
 * moto in server mode for the coordinator tests: started once for the whole mocha run by the
 * project's own script (port 5057, clear of the ingest tests' 5056), stopped afterwards if this
 * run started it; state is reset between tests with POST /moto-api/reset.
 *
 * Importing this module registers root-level before/after hooks.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

export const MOTO_PORT = process.env["COORDINATOR_MOTO_PORT"] ?? "5057";
const root = path.resolve(__dirname, "../../..");
const script = path.join(root, "scripts", "moto-server.sh");

let url: string | undefined;
let startedHere = false;

export function motoUrl(): string {
  if (!url) throw new Error("moto is not started (import test/coordinator/support/moto before using it)");
  return url;
}

async function answers(candidate: string): Promise<boolean> {
  try {
    return (await fetch(`${candidate}/moto-api/`)).ok;
  } catch {
    return false;
  }
}

export async function startMoto(): Promise<string> {
  if (url) return url;
  const env = { ...process.env, MOTO_PORT };
  const expected = execFileSync(script, ["url"], { env, encoding: "utf8" }).trim();
  startedHere = !(await answers(expected));
  url = execFileSync(script, ["start"], { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
    .trim()
    .split("\n")
    .pop() as string;
  // Fake credentials and a region: the SDK signs requests, moto accepts any key.
  process.env["AWS_ACCESS_KEY_ID"] = "testing";
  process.env["AWS_SECRET_ACCESS_KEY"] = "testing";
  process.env["AWS_REGION"] = "eu-central-1";
  delete process.env["AWS_PROFILE"];
  return url;
}

export function stopMoto(): void {
  if (startedHere) execFileSync(script, ["stop"], { env: { ...process.env, MOTO_PORT } });
  startedHere = false;
  url = undefined;
}

async function motoApi(pathname: string, body?: unknown): Promise<void> {
  const res = await fetch(`${motoUrl()}${pathname}`, { method: "POST", ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (!res.ok) throw new Error(`moto ${pathname}: HTTP ${res.status} ${await res.text()}`);
}

export async function resetMoto(): Promise<void> {
  await motoApi("/moto-api/reset");
  await motoApi("/moto-api/state-manager/unset-transition", { model_name: "glue::job_run" });
  await motoApi("/moto-api/state-manager/unset-transition", { model_name: "glue::crawl" });
}

/**
 * Keeps new Glue job runs (or crawls) RUNNING until `releaseState`. moto's defaults: a job run
 * completes as soon as it is described; a crawl completes once ListCrawls has seen it.
 */
export async function holdState(model: "glue::job_run" | "glue::crawl"): Promise<void> {
  await motoApi("/moto-api/state-manager/set-transition", { model_name: model, transition: { progression: "manual", times: 1_000_000 } });
}

/** Back to moto's default progression. */
export async function releaseState(model: "glue::job_run" | "glue::crawl"): Promise<void> {
  await motoApi("/moto-api/state-manager/unset-transition", { model_name: model });
}

before(async function () {
  this.timeout(120_000);
  await startMoto();
});

after(() => stopMoto());
