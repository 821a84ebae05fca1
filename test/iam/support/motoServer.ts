/**
 * A moto server for the recordings, started by the project's script on the given port with its
 * recorder writing under .cache/ (not the working directory), stopped afterwards if started here.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../../..");
const SCRIPT = path.join(REPO, "scripts", "moto-server.sh");

export interface MotoServer {
  readonly url: string;
  stop(): void;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/moto-api/`)).ok;
  } catch {
    return false;
  }
}

export async function startRecordingMoto(port: string): Promise<MotoServer> {
  const env = { ...process.env, MOTO_PORT: port, MOTO_RECORDER_FILEPATH: path.join(REPO, ".cache", `moto-recording-${port}.jsonl`) };
  const expected = execFileSync(SCRIPT, ["url"], { env, encoding: "utf8" }).trim();
  const startedHere = !(await answers(expected));
  const url = execFileSync(SCRIPT, ["start"], { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
    .trim()
    .split("\n")
    .pop() as string;
  // Fake credentials for the SDK clients of this process (moto accepts any key); never a profile's.
  process.env["AWS_ACCESS_KEY_ID"] = "testing";
  process.env["AWS_SECRET_ACCESS_KEY"] = "testing";
  delete process.env["AWS_SESSION_TOKEN"];
  delete process.env["AWS_PROFILE"];
  const reset = await fetch(`${url}/moto-api/reset`, { method: "POST" });
  if (!reset.ok) throw new Error(`moto reset: HTTP ${reset.status}`);
  return {
    url,
    stop: () => {
      if (startedHere) execFileSync(SCRIPT, ["stop"], { env });
    },
  };
}
