/** The text of an SNS alert: which tables failed and why, and where to look. */

export interface AlertInput {
  readonly lakeName: string;
  readonly environment: string;
  readonly runId: string;
  readonly tier: string;
  readonly headline: string;
  readonly failures: readonly { readonly table: string; readonly reason: string }[];
}

export interface Alert {
  readonly subject: string;
  readonly message: string;
}

const SUBJECT_MAX = 100;

export function buildAlert(input: AlertInput): Alert {
  const subject = `[${input.lakeName}/${input.environment}] ${input.tier}: ${input.headline}`;
  const lines = [
    `${input.headline}`,
    `lake: ${input.lakeName} (${input.environment})`,
    `tier: ${input.tier}`,
    `run: ${input.runId}`,
    "",
    `${input.failures.length} table${input.failures.length === 1 ? "" : "s"}:`,
    ...input.failures.map((f) => `  - ${f.table}: ${f.reason}`),
  ];
  // SNS subjects: ASCII printable, no newlines, at most 100 characters.
  const clean = subject.replace(/[^\x20-\x7e]/g, "?");
  return { subject: clean.length > SUBJECT_MAX ? clean.slice(0, SUBJECT_MAX - 3) + "..." : clean, message: lines.join("\n") };
}
