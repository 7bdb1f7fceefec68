import { textTable } from '../table-text.js';
import type { MetricRow } from './context-metrics.js';
import { HEADLINE_METRICS } from './context-metrics.js';

const LABELS: Record<string, string> = {
  coverage: 'coverage', item_precision: 'item precision', attack_recall: 'attack recall', true_alert_coverage: 'true alerts reported',
  benign_report_rate: 'benign report rate', items_per_report: 'items per report', truncation_rate: 'truncation rate',
};

/** The figure's name as every text view shows it ("true alerts reported" for true_alert_coverage). */
export function metricLabel(metric: string): string {
  return LABELS[metric] ?? metric.replaceAll('_', ' ');
}

/** "0.82 [0.74-0.88] 41/50" for a proportion, "4.1 (205/50)" for a mean, "-" when absent: the same text in every view. */
export function cell(r: Pick<MetricRow, 'k' | 'n' | 'value' | 'low' | 'high'> | null | undefined): string {
  if (!r || r.value === null) return '-';
  if (r.low === null || r.high === null) return `${r.value.toFixed(1)} (${r.k}/${r.n})`;
  return `${r.value.toFixed(2)} [${r.low.toFixed(2)}-${r.high.toFixed(2)}] ${r.k}/${r.n}`;
}

/** Overall figures, then per alert name, per job and per week, as plain-text tables. */
export function metricsSummary(rows: readonly MetricRow[]): string {
  const find = (group_by: string, group_value: string, metric: string) =>
    rows.find((r) => r.group_by === group_by && r.group_value === group_value && r.metric === metric);
  const overall = HEADLINE_METRICS.filter((m) => find('overall', '', m)).map((m) => [LABELS[m]!, cell(find('overall', '', m))]);
  const grouped = (group_by: string, metrics: readonly string[]) => {
    const values = [...new Set(rows.filter((r) => r.group_by === group_by).map((r) => r.group_value))];
    const shown = metrics.filter((m) => rows.some((r) => r.group_by === group_by && r.metric === m));
    return textTable([group_by.replace('_', ' '), ...shown.map((m) => LABELS[m] ?? m)], values.map((v) => [v, ...shown.map((m) => cell(find(group_by, v, m)))]));
  };
  return [
    textTable(['figure (95% Wilson interval, k/n)', 'value'], overall),
    '',
    grouped('alert_name', ['coverage', 'item_precision', 'attack_recall', 'benign_report_rate', 'items_per_report']),
    '',
    grouped('job', ['coverage']),
    '',
    grouped('category', ['item_precision']),
    '',
    grouped('week', ['coverage', 'item_precision', 'attack_recall', 'benign_report_rate']),
  ].join('\n');
}
