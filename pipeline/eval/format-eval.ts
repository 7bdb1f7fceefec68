import { cell } from '../metrics/format-metrics.js';
import { textTable } from '../table-text.js';
import type { CaseResult } from './case-metrics.js';
import type { EvalResult } from './run-eval.js';

function history(c: CaseResult): string {
  if (c.history_days === null) return '';
  const fresh = c.new_hosts.length ? `; new: ${c.new_hosts.join(', ')}` : '';
  return `${c.history_days} d, ${c.fleet_hosts} hosts${fresh}`;
}

/** The per-case and overall figures as a plain table (95% Wilson intervals, k/n). */
export function evalTable(r: Pick<EvalResult, 'cases' | 'overall'>): string {
  const row = (c: CaseResult) => [
    c.case_id, c.day ?? '', history(c), `${c.true_alerts} + ${c.benign_alerts}`, c.reports,
    cell(c.item_precision), cell(c.attack_recall), cell(c.benign_report_rate),
  ];
  return textTable(
    ['case', 'day', 'history (window)', 'alerts (true + benign)', 'reports', 'item precision', 'attack recall', 'benign report rate'],
    [...r.cases.map(row), row(r.overall)],
  );
}

/** The summary the command prints. */
export function evalSummary(r: EvalResult): string {
  return [
    `eval ${r.set}: ${r.cases.length} cases, ${r.overall.alerts} alerts (${r.overall.true_alerts} true, ${r.overall.benign_alerts} benign), ` +
      `${r.labeled_events} events labeled malicious by ${r.selectors.length} selectors`,
    `loaded ${r.loaded.process_events.toLocaleString('en-US')} process and ${r.loaded.logon_events.toLocaleString('en-US')} logon events; ` +
      `nightly over ${r.nightly_days} days with events; retro run ${r.retro.run_id} over ${r.retro.period_from}..${r.retro.period_to} ` +
      `(config ${r.retro.config_hash}, ${r.retro.config_source ?? 'defaults'}, window ${r.retro.config.baseline.window_days} days); ${r.seconds} s`,
    '',
    evalTable(r),
    '',
    'figures: 95% Wilson interval, k/n; history: days of history and hosts in the baseline window before the case\'s day',
    ...(r.files.length ? ['', 'written:', ...r.files.map((f) => `  ${f}`)] : []),
  ].join('\n');
}
