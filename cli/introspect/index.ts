/** Opens the introspector for a --source URL and reads the schema once. */
import { MariaDbIntrospector } from "./mariadb";
import { PostgresIntrospector } from "./postgres";
import type { Introspector, SourceSchema } from "./types";
import { parseSourceUrl } from "./url";

export type { SourceColumn, SourceSchema, SourceTable } from "./types";
export { parseSourceUrl, redactUrl, PASSWORD_ENV } from "./url";

async function open(url: string): Promise<Introspector> {
  const source = parseSourceUrl(url);
  switch (source.engine) {
    case "mariadb":
    case "mysql":
      return MariaDbIntrospector.connect(source);
    case "postgresql":
      return PostgresIntrospector.connect(source);
    default:
      throw new Error(`no introspector for ${source.engine}`);
  }
}

export async function readSourceSchema(url: string): Promise<SourceSchema> {
  const introspector = await open(url);
  try {
    return await introspector.describe();
  } finally {
    await introspector.close();
  }
}
