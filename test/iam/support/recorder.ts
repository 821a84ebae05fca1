/**
 * moto's request recorder (server mode: /moto-api/recorder/*). One recording window per actor:
 * reset, start, let the actor work, stop, download. moto here serves one request at a time
 * (scripts/moto_serial_server.py), so a window holds exactly the requests made inside it.
 */

/** One request as moto's recorder logs it (a JSON line). */
export interface RecordedRequest {
  readonly method: string;
  /** Full URL as received (raw, percent-encoding kept). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Base64 when body_encoded, else text ("" when none). */
  readonly body: string | null;
  readonly body_encoded: boolean;
}

async function post(motoUrl: string, what: string): Promise<void> {
  const res = await fetch(`${motoUrl}/moto-api/recorder/${what}`, { method: "POST" });
  if (!res.ok) throw new Error(`moto recorder ${what}: HTTP ${res.status} ${await res.text()}`);
}

export function parseRecording(text: string): RecordedRequest[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      try {
        return JSON.parse(line) as RecordedRequest;
      } catch (err) {
        throw new Error(`moto recording line ${i + 1} is not JSON: ${(err as Error).message}`);
      }
    });
}

/** Runs `work` inside its own recording window and returns its result and every request it made. */
export async function recordWindow<T>(motoUrl: string, work: () => Promise<T>): Promise<{ result: T; requests: RecordedRequest[] }> {
  await post(motoUrl, "stop-recording");
  await post(motoUrl, "reset-recording");
  await post(motoUrl, "start-recording");
  let result: T;
  try {
    result = await work();
  } finally {
    await post(motoUrl, "stop-recording");
  }
  const res = await fetch(`${motoUrl}/moto-api/recorder/download-recording`);
  if (!res.ok) throw new Error(`moto recorder download-recording: HTTP ${res.status}`);
  return { result, requests: parseRecording(await res.text()) };
}

export function bodyText(req: RecordedRequest): string {
  if (!req.body) return "";
  return req.body_encoded ? Buffer.from(req.body, "base64").toString("utf8") : req.body;
}
