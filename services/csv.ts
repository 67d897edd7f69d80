/**
 * CSV as RFC 4180 has it (fields with a comma, quote or line break quoted, quotes doubled, CRLF
 * line ends), made safe to open in a spreadsheet: a text cell a spreadsheet would read as a formula
 * gets a leading single quote, as OWASP advises for CSV injection.
 */

export type Cell = string | number | null | undefined;

/** The byte order mark, for spreadsheets that otherwise guess a legacy encoding. */
export const BOM = '\uFEFF';

/** What a spreadsheet may take for the start of a formula (or, tab and CR, for a cell to trim into one). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field. Numbers are ours and written as they are; text is guarded, then quoted if needed. */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRow(cells: readonly Cell[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}
