/** Anything that needs a second look: a character RFC 4180 quotes, or a formula's first character. */
const SPECIAL = /[",\r\n]|^[=+\-@\t\r]/;
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * One field of a CSV the CLI writes, per RFC 4180: quoted (quotes doubled) when it holds a comma,
 * quote, CR or LF. A field a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
 * tab or CR, and not a number such as `-1.5`) is neutralised with a leading `'`. Plain ids, symbols
 * and numbers come out unchanged, so ordinary rows are byte-for-byte what they always were.
 */
export function csvField(text: string): string {
  if (!SPECIAL.test(text)) return text;
  const safe = FORMULA_START.test(text) && !NUMBER.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A CSV row of `csvField`s. */
export function csvRow(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}
