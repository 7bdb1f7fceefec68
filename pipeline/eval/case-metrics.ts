import { listValue } from '@duckdb/node-api';
import type { Thresholds } from '../../models/thresholds.js';
import { setAlertJobs } from '../context/context-candidates.js';
import type { Database } from '../db.js';
import { computeMetrics, metricInputsFromRuns } from '../metrics/context-metrics.js';
import type { MetricRow } from '../metrics/context-metrics.js';
import type { RetroRun } from '../retro/run-retro.js';
import type { EvalSet } from './eval-set.js';

/** k of n, the value and its 95% Wilson interval. */
export type Figure = Pick<MetricRow, 'k' | 'n' | 'value' | 'low' | 'high'>;

/** A case's figures (or the overall ones: case_id 'overall'). */
export interface CaseResult {
  case_id: string;
  campaign_id: string | null;
  title: string;
  day: string | null;
  /** The baseline as of the case's day: its window, the days of history in it, the fleet's hosts. */
  window_days: number | null;
  history_days: number | null;
  fleet_hosts: number | null;
  /** The case's hosts without a single event in the window: judged as new hosts. */
  new_hosts: string[];
  alerts: number;
  true_alerts: number;
  benign_alerts: number;
  reports: number;
  coverage: Figure | null;
  item_precision: Figure | null;
  attack_recall: Figure | null;
  benign_report_rate: Figure | null;
}

const FIGURES = ['coverage', 'item_precision', 'attack_recall', 'benign_report_rate'] as const;

/**
 * The stored retro run's figures per case and overall: the metrics SQL (sql/metrics/context_metrics.sql,
 * as retro, tune and weekly compute them) over the run's reports, once per case with only the
 * case's alerts as the period's alerts. The figures are sums over alerts, so the cases' k and n add
 * up to the overall ones.
 */
export async function caseMetrics(db: Database, set: EvalSet, run: RetroRun, t: Thresholds): Promise<{ cases: CaseResult[]; overall: CaseResult }> {
  const from = run.period_from;
  const to = run.period_to;
  await setAlertJobs(db, from, to, t);
  await metricInputsFromRuns(db, from, to, [run.run_id]);
  const figures = async (alertIds: string[]) => {
    await db.run('CREATE OR REPLACE TEMP TABLE metric_alerts AS SELECT alert_id FROM alerts WHERE list_contains($1, alert_id)', [listValue(alertIds)]);
    const rows = (await computeMetrics(db)).filter((r) => r.group_by === 'overall');
    const pick = (m: string) => {
      const r = rows.find((x) => x.metric === m);
      return r ? { k: r.k, n: r.n, value: r.value, low: r.low, high: r.high } : null;
    };
    return Object.fromEntries(FIGURES.map((m) => [m, pick(m)])) as Record<(typeof FIGURES)[number], Figure | null>;
  };
  const counts = (alertIds: string[]) => {
    const alerts = set.alerts.filter((a) => alertIds.includes(a.alert_id));
    return { alerts: alerts.length, true_alerts: alerts.filter((a) => a.malicious).length, benign_alerts: alerts.filter((a) => !a.malicious).length };
  };
  const cases: CaseResult[] = [];
  for (const c of set.cases) {
    const ids = set.alerts.filter((a) => a.case_id === c.case_id).map((a) => a.alert_id);
    const f = await figures(ids);
    const history = await db.all<{ window_days: number; history_days: number; fleet_hosts: number }>(
      'SELECT window_days, history_days, fleet_hosts FROM baseline_runs WHERE as_of = $1::DATE', [c.day],
    );
    const seen = await db.all<{ host: string }>(
      `SELECT DISTINCT host FROM process_events WHERE list_contains($1, host) AND ts >= $2::DATE - $3::INTEGER AND ts < $2::DATE`,
      [listValue(c.hosts), c.day, history[0]?.window_days ?? t.baseline.window_days],
    );
    cases.push({
      case_id: c.case_id, campaign_id: c.campaign_id, title: c.title, day: c.day,
      window_days: history[0]?.window_days ?? null, history_days: history[0]?.history_days ?? null, fleet_hosts: history[0]?.fleet_hosts ?? null,
      new_hosts: c.hosts.filter((h) => !seen.some((s) => s.host === h)),
      ...counts(ids), reports: f.coverage?.k ?? 0, ...f,
    });
  }
  const all = set.alerts.map((a) => a.alert_id);
  const f = await figures(all);
  const overall: CaseResult = {
    case_id: 'overall', campaign_id: null, title: `${set.cases.length} cases`, day: null, window_days: null, history_days: null, fleet_hosts: null,
    new_hosts: [], ...counts(all), reports: f.coverage?.k ?? 0, ...f,
  };
  return { cases, overall };
}
