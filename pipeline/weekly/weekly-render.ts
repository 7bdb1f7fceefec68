import { escapeHtml, escapeHtmlLines, escapeMarkdown, fenced } from '../escape.js';
import { HEADLINE_METRICS } from '../metrics/context-metrics.js';
import { cell, metricLabel } from '../metrics/format-metrics.js';
import type { WeeklyData } from './weekly-data.js';

type Row = WeeklyData['figures'][number];

const METRICS: [string, string][] = HEADLINE_METRICS.map((m) => [m, metricLabel(m)]);

function find(d: WeeklyData, group_by: string, group_value: string, metric: string): Row | undefined {
  return d.figures.find((r) => r.group_by === group_by && r.group_value === group_value && r.metric === metric);
}

/** The tables every view shows: headers and rows of plain text (escaped by each view). */
export function weeklyTables(d: WeeklyData): { title: string; header: string[]; rows: string[][] }[] {
  const present = (group_by: string) => METRICS.filter(([m]) => d.figures.some((r) => r.group_by === group_by && r.metric === m));
  const values = (group_by: string) => [...new Set(d.figures.filter((r) => r.group_by === group_by).map((r) => r.group_value))];
  const byName = present('alert_name');
  const trendMetrics = METRICS.filter(([m]) => d.trend.some((r) => r.metric === m));
  return [
    { title: 'This week', header: ['figure', 'value [95% interval] k/n'], rows: present('overall').map(([m, label]) => [label, cell(find(d, 'overall', '', m))]) },
    { title: 'Per alert name', header: ['alert name', ...byName.map(([, l]) => l)], rows: values('alert_name').map((v) => [v, ...byName.map(([m]) => cell(find(d, 'alert_name', v, m)))]) },
    {
      title: 'Per job', header: ['job', 'coverage (alerts it ran for)', ...(d.labeled ? ['item precision'] : []), 'items'],
      rows: values('job').map((job) => {
        const category = Object.entries(d.jobs).find(([, name]) => name === job)?.[0] ?? '';
        return [job, cell(find(d, 'job', job, 'coverage')), ...(d.labeled ? [cell(find(d, 'category', category, 'item_precision'))] : []),
          String(find(d, 'category', category, 'items')?.k ?? 0)];
      }),
    },
    {
      title: 'Trend per week', header: ['week', ...trendMetrics.map(([, l]) => l)],
      rows: d.weeks.map((w) => [w, ...trendMetrics.map(([m]) => cell(d.trend.find((r) => r.group_value === w && r.metric === m)))]),
    },
  ];
}

export function weeklyHtml(d: WeeklyData, charts: { title: string; svg: string }[]): string {
  const tables = weeklyTables(d).map((t) => `<section><h2>${escapeHtml(t.title)}</h2>
<table><thead><tr>${t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>
${t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody></table></section>`).join('\n');
  const reports = d.top_reports.map((r) => `<article class="report"><h3>${escapeHtml(r.alert_name)} on ${escapeHtml(r.host)}, ${escapeHtml(r.alert_time)}</h3>
<p>alert ${escapeHtml(r.alert_id)}, ${r.items} item(s), score ${r.score.toFixed(2)}</p>
<pre>${escapeHtmlLines(r.activity)}</pre></article>`).join('\n');
  // The SVGs come from vega, which escapes the text it draws; they are inlined as they are.
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Context coverage, week ${escapeHtml(d.week)}</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;margin:2rem auto;max-width:72rem;color:#222;padding:0 1rem}
h1{margin-bottom:.2rem} .sub{color:#666;margin-top:0}
table{border-collapse:collapse;margin:.5rem 0 1.5rem} td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f5f5f5} .charts{display:flex;flex-wrap:wrap;gap:1.5rem} figure{margin:0}
pre{white-space:pre-wrap;word-break:break-all;background:#f7f7f7;padding:.6rem;border-radius:4px;font-size:.85rem}
</style></head>
<body>
<h1>Context coverage, week ${escapeHtml(d.week)}</h1>
<p class="sub">${escapeHtml(d.from)} to ${escapeHtml(d.to)} (UTC); reports from ${escapeHtml(d.source.kind)} context run(s) ${escapeHtml(d.source.run_ids.join(', '))}; ${d.labeled ? 'labeled: precision and recall against ground truth' : 'no labels: coverage figures only'}. Intervals are 95% Wilson intervals.</p>
<div class="charts">
${charts.map((c) => `<figure data-chart="${escapeHtml(c.title)}">${c.svg}</figure>`).join('\n')}
</div>
${tables}
<section><h2>The week's most unusual reports</h2>
${reports || '<p>No reports this week.</p>'}
</section>
</body></html>
`;
}

export function weeklyMarkdown(d: WeeklyData): string {
  const table = (t: ReturnType<typeof weeklyTables>[number]) => [
    `## ${escapeMarkdown(t.title)}`, '',
    `| ${t.header.map(escapeMarkdown).join(' | ')} |`, `|${t.header.map(() => '---').join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(escapeMarkdown).join(' | ')} |`), '',
  ].join('\n');
  return [
    `# Context coverage, week ${escapeMarkdown(d.week)}`, '',
    `${escapeMarkdown(d.from)} to ${escapeMarkdown(d.to)} \\(UTC\\); reports from ${escapeMarkdown(d.source.kind)} context run\\(s\\) ${escapeMarkdown(d.source.run_ids.join(', '))}; ` +
      `${d.labeled ? 'labeled' : 'no labels: coverage figures only'}\\. Intervals are 95% Wilson intervals\\.`, '',
    ...weeklyTables(d).map(table),
    "## The week's most unusual reports", '',
    ...d.top_reports.flatMap((r) => [`### ${escapeMarkdown(r.alert_name)} on ${escapeMarkdown(r.host)}, ${escapeMarkdown(r.alert_time)}`, '', fenced(r.activity), '']),
  ].join('\n');
}
