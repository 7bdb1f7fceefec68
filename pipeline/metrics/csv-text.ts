import { visible } from '../escape.js';

/**
 * CSV as spreadsheets read it safely (RFC 4180, OWASP's CSV injection advice): every text cell is
 * quoted with its quotes doubled; a text cell that begins with = + - @, a tab or a carriage return
 * gets a leading ' so that no spreadsheet runs it as a formula (an alert name
 * `=cmd|' /C calc'!A0`); control characters are shown (\x1b). Numbers are written as numbers,
 * NULL as an empty cell.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvTextCell(text: string): string {
  const neutral = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${visible(neutral).replaceAll('"', '""')}"`;
}

function csvCell(value: unknown, numeric: boolean): string {
  if (value === null || value === undefined) return '';
  if (numeric && (typeof value === 'number' || typeof value === 'bigint')) return String(value);
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return csvTextCell(text);
}

/** A header line and one line per row; `numeric`: the columns written as numbers. */
export function csvText(columns: readonly string[], numeric: ReadonlySet<string>, rows: readonly Record<string, unknown>[]): string {
  // Our own column names: plain when they need no quoting, as before.
  const header = columns.map((c) => (/^[A-Za-z0-9_.]+$/.test(c) ? c : csvTextCell(c))).join(',');
  const lines = rows.map((r) => columns.map((c) => csvCell(r[c], numeric.has(c))).join(','));
  return [header, ...lines].join('\n') + '\n';
}
