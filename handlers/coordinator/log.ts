/** Structured JSON log lines on stdout/stderr (CloudWatch Logs); metric lines are EMF documents. */
import type { Log } from "./ports";

type Fields = Readonly<Record<string, unknown>>;
type Sink = (line: string) => void;

export function jsonLog(
  base: Fields = {},
  out: Sink = (l) => process.stdout.write(l + "\n"),
  err: Sink = (l) => process.stderr.write(l + "\n"),
): Log {
  const line = (level: string, event: string, fields: Fields): string =>
    JSON.stringify({ level, event, time: new Date().toISOString(), ...base, ...fields });
  return {
    info: (event, fields = {}) => out(line("info", event, fields)),
    warn: (event, fields = {}) => out(line("warn", event, fields)),
    error: (event, fields = {}) => err(line("error", event, fields)),
    metric: (emf) => out(emf),
  };
}

/** A log that keeps its lines, for tests and the local demo. */
export interface MemoryLog extends Log {
  readonly lines: { level: string; event: string; fields: Fields }[];
  readonly metrics: string[];
}

export function memoryLog(): MemoryLog {
  const lines: MemoryLog["lines"] = [];
  const metrics: string[] = [];
  return {
    lines,
    metrics,
    info: (event, fields = {}) => void lines.push({ level: "info", event, fields }),
    warn: (event, fields = {}) => void lines.push({ level: "warn", event, fields }),
    error: (event, fields = {}) => void lines.push({ level: "error", event, fields }),
    metric: (emf) => void metrics.push(emf),
  };
}
