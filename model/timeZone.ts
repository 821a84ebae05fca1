/**
 * The one time-zone rule of the project: an IANA region name ("Europe/Berlin") or "UTC". The
 * model, the stack config and the policy pack all use it. No imports and only ES2020 library
 * features, so the policy pack (compiled by Pulumi's ts-node with target ES2020) can import it.
 */

/**
 * True for "UTC" or an Area/Location name this runtime's time-zone database knows. Abbreviations
 * and fixed-offset aliases ("EST", "CET", "GMT+1") are refused even when the runtime accepts them:
 * they do not follow daylight saving the way the business does, or say nothing about where.
 */
export function isValidTimeZone(zone: string): boolean {
  if (zone !== zone.trim() || zone === "") return false;
  if (zone !== "UTC" && !zone.includes("/")) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
