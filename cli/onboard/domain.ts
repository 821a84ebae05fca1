/**
 * A domain guess for a new table, always confirmed by a person:
 *   1. --domain-map prefixes (the user's own rules: confirmed, no TODO);
 *   2. the longest already-onboarded table whose name is a word prefix of the new one
 *      (customer -> customer_loyalty) or that shares its first word;
 *   3. the earliest word of the name that is a domain name or one of its keywords;
 *   4. else the domain with the most tables.
 */
import { UsageError } from "../args";
import { nameWords } from "./pii";
import type { LakeModel } from "../../model";

export interface DomainGuess {
  readonly domain: string;
  readonly confirmed: boolean;
  readonly reason: string;
}

export type DomainMap = ReadonlyArray<readonly [prefix: string, domain: string]>;

const KEYWORDS: Readonly<Record<string, readonly string[]>> = {
  sales: ["customer", "order", "quote", "crm", "opportunity", "lead", "return", "price", "discount", "campaign"],
  finance: ["gl", "ledger", "journal", "invoice", "payment", "vendor", "currency", "tax", "cost", "budget", "audit", "account"],
  manufacturing: ["plant", "work", "bom", "bill", "production", "machine", "quality", "shift", "routing", "mes"],
  logistics: ["product", "warehouse", "stock", "shipment", "carrier", "uom", "unit", "inventory", "delivery", "freight"],
  hr: ["employee", "department", "position", "absence", "salary", "applicant", "time", "payroll", "training"],
};

export function parseDomainMap(text: string | undefined, model: LakeModel): DomainMap {
  if (!text) return [];
  const domains = model.domains.map((d) => d.name);
  return text.split(",").map((part) => {
    const [prefix, domain, ...rest] = part.split("=");
    if (!prefix || !domain || rest.length > 0) throw new UsageError(`--domain-map: "${part}" is not prefix=domain`);
    if (!domains.includes(domain)) {
      throw new UsageError(`--domain-map: unknown domain "${domain}" (domains in ${model.file}: ${domains.join(", ")})`);
    }
    return [prefix.toLowerCase(), domain] as const;
  });
}

export function guessDomain(sourceName: string, model: LakeModel, map: DomainMap): DomainGuess {
  const lower = sourceName.toLowerCase();
  const words = nameWords(sourceName);
  const mapped = [...map].sort((a, b) => b[0].length - a[0].length).find(([prefix]) => lower.startsWith(prefix));
  if (mapped) return { domain: mapped[1], confirmed: true, reason: `--domain-map ${mapped[0]}=${mapped[1]}` };

  const joined = words.join("_");
  const byPrefix = model.tables
    .filter((t) => joined.startsWith(t.name + "_") || joined === t.name)
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (byPrefix) return { domain: byPrefix.domain, confirmed: false, reason: `like onboarded table ${byPrefix.name}` };
  const byFirstWord = model.tables.find((t) => nameWords(t.name)[0] === words[0]);
  if (byFirstWord) return { domain: byFirstWord.domain, confirmed: false, reason: `first word like onboarded table ${byFirstWord.name}` };

  // The earliest word that is a keyword decides: production_order is manufacturing, sales_order sales.
  for (const word of words) {
    const domain = model.domains.find((d) => d.name === word || (KEYWORDS[d.name] ?? []).includes(word));
    if (domain) return { domain: domain.name, confirmed: false, reason: `keyword "${word}"` };
  }
  const counts = model.domains.map((d) => ({ d: d.name, n: model.tables.filter((t) => t.domain === d.name).length }));
  const biggest = counts.sort((a, b) => b.n - a.n)[0];
  return { domain: biggest.d, confirmed: false, reason: "no naming hint: the domain with the most tables" };
}
