/** Likely personal data, by column name. A proposal, not a verdict: reviewers confirm it. */

/** Words of a column name: snake_case and CamelCase both split, lower-cased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** Whole-name patterns on the words joined by "_". */
const PII_PATTERNS: readonly RegExp[] = [
  /(^|_)e_?mail(_address)?$/,
  /(^|_)(phone|mobile|fax|telephone)(_number|_no)?$/,
  /(^|_)(first|last|full|middle|maiden|given|family|sur)_?name$/,
  /(^|_)(recipient|payer|payee|contact|author|billing|person|employee|customer|holder)_name$/,
  /(^|_)(card_number|credit_card(_number)?|card_pan|cvv)$/,
  /(^|_)(date_of_birth|birth_?date|birthday|dob|place_of_birth)$/,
  /(^|_)(iban|bank_account(_number)?|account_holder)$/,
  /(^|_)(national_id|ssn|social_security(_number)?|tax_id|personal_id|passport(_number)?|id_card(_number)?)$/,
  /(^|_)address_line_?\d*$/,
  /(^|_)(street|house_number)$/,
  /^home_/,
  /(^|_)(salary|wage|bonus|bonus_target|compensation)$/,
  /(^|_)(client_ip|ip_address|ip)$/,
  /(^|_)(cv|cv_text|resume)$/,
  /(^|_)(gender|religion|nationality|health|disability)$/,
  /(^|_)responsible_person$/,
];

export function looksLikePii(column: string): boolean {
  const joined = nameWords(column).join("_");
  return PII_PATTERNS.some((p) => p.test(joined));
}
