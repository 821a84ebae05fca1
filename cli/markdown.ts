/** Small Markdown helpers for PR comments. */

export function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[], align?: readonly ("l" | "r")[]): string {
  const sep = headers.map((_, i) => (align?.[i] === "r" ? "---:" : "---"));
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(" | ")} |`;
  return [line(headers), `|${sep.join("|")}|`, ...rows.map(line)].join("\n");
}

export function code(text: string): string {
  return "`" + text.replace(/`/g, "'") + "`";
}

export function list(items: readonly string[]): string {
  return items.map((i) => `- ${i}`).join("\n");
}

export function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

export function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}
