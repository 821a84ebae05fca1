/**
 * Bundles a TypeScript Lambda handler with esbuild into one file, so the function ships
 * exactly the pinned dependencies from package-lock.json (not closure serialization, not
 * the runtime's own SDK copy).
 */
import { buildSync } from "esbuild";

export interface LambdaBundle {
  readonly code: string;
  readonly bytes: number;
}

const cache = new Map<string, LambdaBundle>();

export function bundleHandler(entry: string): LambdaBundle {
  const cached = cache.get(entry);
  if (cached) return cached;
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  const bundle = { code, bytes: Buffer.byteLength(code) };
  cache.set(entry, bundle);
  return bundle;
}
