/**
 * How every CSV file the product writes spells a cell: RFC 4180 quoting, and no text a spreadsheet would run as a
 * formula ("CSV injection": `=HYPERLINK(...)` in a client's comment, `@SUM(...)`, `-2+3|cmd` reaching Excel or
 * LibreOffice).
 *
 * - A number we write (a JavaScript number) is written as it is: "-1.5" stays a number in the spreadsheet.
 * - A text beginning with `=`, `+`, `-`, `@`, a tab or a carriage return (what Excel, LibreOffice and Google
 *   Sheets read as the start of a formula), or with `'`, gets one `'` in front: the spreadsheet shows the text.
 *   Prefixing the texts that already begin with `'` too keeps the rule reversible: a reader (a compliance officer
 *   re-hashing the audit export) drops one leading `'` when there is one and gets the stored text back.
 * - A text that is a plain decimal number ("-12", "+3.5", "1e-3": a rejected value quoted from an input file) is
 *   left as it is: a spreadsheet reads it as that number, nothing runs.
 * - A cell holding `"`, `,`, `;`, a tab or a line break is quoted. `;` and tab included: French Excel, opening a
 *   file by a double click, splits it on `;`, where an unquoted `a;=cmd` would become a cell `=cmd`. (Such a
 *   reader is in step with the quoting up to the line's first comma only: the files are comma-separated, and are
 *   meant to be opened as such, with the spreadsheet's CSV import.)
 */

const FORMULA_START = /^[=+\-@\t\r']/;
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NEEDS_QUOTES = /[",;\t\r\n]/;

/** One cell of a CSV line: null is an empty field. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return csvQuoted(FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value);
}

/** One CSV line (without its line break). */
export function csvLine(cells: readonly (string | number | null)[]): string {
  return cells.map(csvCell).join(',');
}

/**
 * RFC 4180 quoting alone, for the demo generator's Kaggle-format tables: input for the importer, which must read
 * back exactly what was generated, and whose texts come from fixed vocabularies (none begins like a formula).
 */
export function csvQuoted(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
