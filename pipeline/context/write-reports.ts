import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db.js';
import { escapeHtml, escapeMarkdown, fenced } from '../escape.js';

/** One report as users and SIEMs see it (SPEC.md section 2). */
export interface ReportRecord {
  report_id: string; alert_id: string; alert_name: string; alert_time: string; host: string; title: string;
  description: string; jobs: string[]; truncated: boolean; context_event_activity: string; score: number;
  start_time: string; end_time: string; accounts: string[];
  items: { time: string; category: string; subject: string | null; command_line: string | null; repeat_times: string[];
           repeat_count: number; score: number; reason: string; event_ids: string[]; more_like_this: number; line: string }[];
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

/** The reports of a run with their items, ordered by alert time (built set-based in SQL). */
export async function readReports(db: Database, runId: number, alertId?: string): Promise<ReportRecord[]> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT r.*, (SELECT list({'time': i.time, 'category': i.category, 'subject': i.subject, 'command_line': i.command_line,
                                'repeat_times': i.repeat_times, 'repeat_count': i.repeat_count, 'score': i.score,
                                'reason': i.reason, 'event_ids': i.event_ids, 'more_like_this': coalesce(i.more_like_this, 0), 'line': i.line} ORDER BY i.item_no)
                  FROM context_report_items i WHERE i.run_id = r.run_id AND i.report_id = r.report_id) AS item_list
     FROM context_reports r WHERE r.run_id = $1 AND ($2::VARCHAR IS NULL OR r.alert_id = $2)
     ORDER BY r.alert_time, r.alert_id`,
    [runId, alertId ?? null],
  );
  return rows.map((r) => ({
    report_id: String(r['report_id']), alert_id: String(r['alert_id']), alert_name: String(r['alert_name']),
    alert_time: iso(r['alert_time']), host: String(r['host']), title: String(r['title']), description: String(r['description']),
    jobs: r['jobs'] as string[], truncated: Boolean(r['truncated']), context_event_activity: String(r['context_event_activity']),
    score: Number(r['score']), start_time: iso(r['start_time']), end_time: iso(r['end_time']), accounts: r['accounts'] as string[],
    items: ((r['item_list'] as Record<string, unknown>[]) ?? []).map((i) => ({
      time: iso(i['time']), category: String(i['category']), subject: (i['subject'] as string | null) ?? null,
      command_line: (i['command_line'] as string | null) ?? null, repeat_times: ((i['repeat_times'] as unknown[]) ?? []).map(iso),
      repeat_count: Number(i['repeat_count']), score: Number(i['score']), reason: String(i['reason']),
      event_ids: i['event_ids'] as string[], more_like_this: Number(i['more_like_this']), line: String(i['line']),
    })),
  }));
}

/** A report in the shape of the SecurityAlert table (Microsoft Sentinel, Defender for Cloud). */
export function toSecurityAlert(r: ReportRecord): Record<string, unknown> {
  const severity = r.score >= 0.8 ? 'High' : r.score >= 0.5 ? 'Medium' : 'Low';
  const entities = [
    { Type: 'host', HostName: r.host },
    ...r.accounts.map((a) => ({ Type: 'account', Name: a })),
    ...r.items.filter((i) => i.command_line).map((i) => ({ Type: 'process', CommandLine: i.command_line })),
  ];
  return {
    AlertName: r.title, AlertSeverity: severity, Description: r.description, CompromisedEntity: r.host,
    StartTime: r.start_time, EndTime: r.end_time, SystemAlertId: r.report_id, ProviderName: 'alert-context', ProductName: 'alert-context',
    ExtendedProperties: JSON.stringify({
      CONTEXTEVENTACTIVITY: r.context_event_activity, 'Related alert id': r.alert_id, 'Related alert name': r.alert_name,
      'Related alert time': r.alert_time, Jobs: r.jobs.join(', '),
    }),
    Entities: JSON.stringify(entities),
  };
}

export function reportMarkdown(r: ReportRecord): string {
  const more = (i: ReportRecord['items'][number]) => (i.more_like_this > 0 ? ` [+${i.more_like_this} more like this]` : '');
  const rows = r.items.map((i) => `| ${escapeMarkdown(i.time.slice(11, 19))}Z | ${escapeMarkdown(i.category)} | ${i.score.toFixed(2)} | ${escapeMarkdown(i.reason)}${more(i)} |`);
  return [
    `# ${escapeMarkdown(r.title)}`, '',
    `Alert **${escapeMarkdown(r.alert_name)}** on **${escapeMarkdown(r.host)}** at ${escapeMarkdown(r.alert_time)} (alert id ${escapeMarkdown(r.alert_id)}).`, '',
    fenced(r.context_event_activity), '',
    '| time | category | score | why it is unusual |', '|---|---|---|---|', ...rows, '',
  ].join('\n');
}

export function reportHtml(r: ReportRecord): string {
  const rows = r.items
    .map((i) => `<tr><td>${escapeHtml(i.time.slice(11, 19))}Z</td><td>${escapeHtml(i.category)}</td><td><code>${escapeHtml(i.line)}</code></td><td>${i.score.toFixed(2)}</td><td>${escapeHtml(i.reason)}${i.more_like_this > 0 ? ` <em>[+${i.more_like_this} more like this]</em>` : ''}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(r.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}code,pre{white-space:pre-wrap;word-break:break-all}</style></head>
<body><h1>${escapeHtml(r.title)}</h1>
<p>Alert <strong>${escapeHtml(r.alert_name)}</strong> on <strong>${escapeHtml(r.host)}</strong> at ${escapeHtml(r.alert_time)} (alert id ${escapeHtml(r.alert_id)}).</p>
<p>${escapeHtml(r.description)}</p>
<table><thead><tr><th>time</th><th>category</th><th>item</th><th>score</th><th>why it is unusual</th></tr></thead><tbody>
${rows}
</tbody></table>${r.truncated ? '\n<p>[Report truncated...maximum number of items exceeded]</p>' : ''}
</body></html>
`;
}

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
