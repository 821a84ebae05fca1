/** DynamoDB attribute values: the few shapes the state table uses, without a marshalling library. */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";

export type Item = Record<string, AttributeValue>;

export const S = (value: string): AttributeValue => ({ S: value });
export const N = (value: number): AttributeValue => ({ N: String(value) });
export const SS = (values: readonly string[]): AttributeValue => ({ SS: [...values] });
export const L = (values: readonly string[]): AttributeValue => ({ L: values.map((v) => ({ S: v })) });

export function str(item: Item | undefined, name: string): string | undefined {
  const v = item?.[name];
  return v && "S" in v && typeof v.S === "string" ? v.S : undefined;
}

export function num(item: Item | undefined, name: string): number | undefined {
  const v = item?.[name];
  if (!v || !("N" in v) || typeof v.N !== "string") return undefined;
  const n = Number(v.N);
  return Number.isFinite(n) ? n : undefined;
}

export function bool(item: Item | undefined, name: string): boolean | undefined {
  const v = item?.[name];
  return v && "BOOL" in v && typeof v.BOOL === "boolean" ? v.BOOL : undefined;
}

export function strSet(item: Item | undefined, name: string): string[] {
  const v = item?.[name];
  return v && "SS" in v && Array.isArray(v.SS) ? [...v.SS] : [];
}

export function strList(item: Item | undefined, name: string): string[] {
  const v = item?.[name];
  if (!v || !("L" in v) || !Array.isArray(v.L)) return [];
  return v.L.flatMap((e) => (e && "S" in e && typeof e.S === "string" ? [e.S] : []));
}

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "";
}
