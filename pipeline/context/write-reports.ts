import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportRecord } from './read-reports.js';
import { reportHtml } from './report-html.js';
import { reportMarkdown } from './report-markdown.js';
import { toSecurityAlert } from './security-alert.js';

/** Write OUT/reports.ndjson, OUT/security_alerts.ndjson and OUT/reports/<id>.md / .html. */
export function writeReports(out: string, reports: readonly ReportRecord[]): void {
  mkdirSync(join(out, 'reports'), { recursive: true });
  writeFileSync(join(out, 'reports.ndjson'), reports.map((r) => JSON.stringify({ ...r, items: r.items.map(({ line: _line, ...i }) => i) })).join('\n') + (reports.length ? '\n' : ''));
  writeFileSync(join(out, 'security_alerts.ndjson'), reports.map((r) => JSON.stringify(toSecurityAlert(r))).join('\n') + (reports.length ? '\n' : ''));
  for (const r of reports) {
    writeFileSync(join(out, 'reports', `${r.report_id}.md`), reportMarkdown(r));
    writeFileSync(join(out, 'reports', `${r.report_id}.html`), reportHtml(r));
  }
}
