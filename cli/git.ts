/** Reads a file as it was at a git ref (`git show <ref>:./<file>`), relative to the working directory. */
import { execFileSync } from "node:child_process";
import { isAbsolute, relative } from "node:path";
import { UsageError } from "./args";

export function showAtRef(ref: string, file: string, cwd: string): string {
  if (ref.startsWith("-")) throw new UsageError(`--base "${ref}" is not a git ref`);
  const path = `./${(isAbsolute(file) ? relative(cwd, file) : file).replace(/^\.\//, "")}`;
  try {
    return execFileSync("git", ["show", `${ref}:${path}`], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    throw new UsageError(`git show ${ref}:${path} failed: ${stderr || (error as Error).message}`);
  }
}
