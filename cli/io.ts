/** Where a command writes and from where it resolves paths: the process, or a test's capture. */
export interface Io {
  readonly cwd: string;
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  cwd: process.cwd(),
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : text + "\n"),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : text + "\n"),
};

/**
 * Exit codes shared by every command: 0 ok; 1 findings (validate: the file is invalid; plan: head
 * invalid or synthesis failed; onboard: proposals refused or tables skipped; drift: action needed);
 * 2 usage, connection or runtime error; 3 the tables.yaml a command works from (onboard, drift) does
 * not validate, so there is nothing to compare or extend.
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, invalidInput: 3 } as const;
