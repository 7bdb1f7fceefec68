import { escapeHtml } from '../escape.js';
import type { ReportRecord } from './read-reports.js';

/** A report as one HTML page: every text escaped, a Content-Security-Policy that allows no script. */
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
