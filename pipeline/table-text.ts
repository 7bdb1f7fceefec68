import { visible } from './escape.js';

/**
 * A plain-text table with right-aligned numbers, for terminal summaries. Cells often hold text from
 * telemetry or from files (file names, alert names, rule titles): each is shown with its controls
 * escaped (visible) before it is measured, so a newline or an escape sequence in one cannot forge a
 * row or shift the columns.
 */
export function textTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((r) => r.map((c) => (typeof c === 'number' ? c.toLocaleString('en-US') : visible(c))));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.every((r) => typeof r[i] === 'number'));
  const line = (r: readonly string[]) =>
    r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
