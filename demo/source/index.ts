/** The demo's source engines by name (`--engine mariadb|postgres`). */
import { DEMO_ENGINES, type DemoEngine, type DemoSource } from "./engine";
import { MARIADB } from "./mariadb";
import { POSTGRES } from "./postgres";

export type { DemoEngine, DemoSource, SourceDb } from "./engine";

const SOURCES: Readonly<Record<DemoEngine, DemoSource>> = { mariadb: MARIADB, postgresql: POSTGRES };
/** Names the command line accepts besides the manifest's engine names. */
const ALIASES: Readonly<Record<string, DemoEngine>> = { postgres: "postgresql", pg: "postgresql", mysql: "mariadb" };

export function demoEngine(name: string): DemoEngine {
  const engine = ALIASES[name] ?? name;
  if (!(DEMO_ENGINES as readonly string[]).includes(engine))
    throw new Error(`--engine ${name}: the demo plays its day on ${DEMO_ENGINES.join(", ")} (or postgres)`);
  return engine as DemoEngine;
}

export function demoSource(engine: DemoEngine): DemoSource {
  return SOURCES[engine];
}
