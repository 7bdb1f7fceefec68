import { escapeMarkdown, fenced } from '../escape.js';
import type { ReportRecord } from './read-reports.js';

/** A report as Markdown: attacker-controlled text escaped, the report lines in a fence longer than any backtick run. */
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
