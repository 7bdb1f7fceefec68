import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { setAlertJobs } from '../pipeline/context/context-candidates.js';
import type { Database } from '../pipeline/db.js';
import { computeMetrics, metricInputsFromRuns } from '../pipeline/metrics/context-metrics.js';
import type { MetricRow } from '../pipeline/metrics/context-metrics.js';
import { buildLabeledRun } from './fixtures/labeled-run.js';
import { memoryDb } from './helpers.js';

/** [k, n, value, low, high]: low/high are the 95% Wilson interval, worked out independently. */
type Expected = [number, number, number, number | null, number | null];

function figure(rows: MetricRow[], group_by: string, group_value: string, metric: string): Expected | undefined {
  const r = rows.find((x) => x.group_by === group_by && x.group_value === group_value && x.metric === metric);
  if (!r) return undefined;
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1e6) / 1e6);
  return [r.k, r.n!, round(r.value)!, round(r.low), round(r.high)];
}

describe('context metrics on a hand-built labeled run (SPEC.md section 5)', () => {
  let db: Database;
  let rows: MetricRow[];
  beforeAll(async () => {
    db = await memoryDb();
    await buildLabeledRun(db);
    await setAlertJobs(db, '2026-11-02', '2026-11-10', DEFAULT_THRESHOLDS);
    await metricInputsFromRuns(db, '2026-11-02', '2026-11-10', [1]);
    rows = await computeMetrics(db);
  });

  it('overall: coverage, item precision, attack recall, true alerts reported, benign report rate, items per report, truncation', () => {
    // 3 of 4 alerts have a report; 3 of 6 items hold a malicious event (e1, l1, e5);
    // recall: a1's window holds e1, e2, l1 (e4 is 90 min before) and finds e1, l1; a2's holds e5, e6, finds e5;
    // benign alerts a3 (reported) and a4 (not); 6 items in 3 reports; r2 was truncated.
    expect(figure(rows, 'overall', '', 'coverage')).toEqual([3, 4, 0.75, 0.300642, 0.954413]);
    expect(figure(rows, 'overall', '', 'item_precision')).toEqual([3, 6, 0.5, 0.187616, 0.812384]);
    expect(figure(rows, 'overall', '', 'attack_recall')).toEqual([3, 5, 0.6, 0.230724, 0.882379]);
    // the true alerts a1 and a2 both have a report
    expect(figure(rows, 'overall', '', 'true_alert_coverage')).toEqual([2, 2, 1, 0.34238, 1]);
    expect(figure(rows, 'overall', '', 'benign_report_rate')).toEqual([1, 2, 0.5, 0.094531, 0.905469]);
    expect(figure(rows, 'overall', '', 'items_per_report')).toEqual([6, 3, 2, null, null]);
    expect(figure(rows, 'overall', '', 'truncation_rate')).toEqual([1, 3, 0.333333, 0.061492, 0.79234]);
  });

  it('per alert name and per ISO week; a figure with no denominator is left out', () => {
    expect(figure(rows, 'alert_name', 'Credential dumping', 'coverage')).toEqual([2, 2, 1, 0.34238, 1]);
    expect(figure(rows, 'alert_name', 'Credential dumping', 'attack_recall')).toEqual([3, 5, 0.6, 0.230724, 0.882379]);
    expect(figure(rows, 'alert_name', 'Credential dumping', 'benign_report_rate')).toBeUndefined();
    expect(figure(rows, 'alert_name', 'Office macro', 'item_precision')).toEqual([0, 1, 0, 0, 0.793451]);
    expect(figure(rows, 'alert_name', 'Office macro', 'attack_recall')).toBeUndefined();
    expect(figure(rows, 'alert_name', 'Office macro', 'true_alert_coverage')).toBeUndefined();
    expect(figure(rows, 'week', '2026-W45', 'coverage')).toEqual([3, 3, 1, 0.438503, 1]);
    expect(figure(rows, 'week', '2026-W46', 'coverage')).toEqual([0, 1, 0, 0, 0.793451]);
  });

  it('per job (coverage among the alerts it ran for) and per category (item precision)', () => {
    expect(figure(rows, 'job', 'Unusual processes executed', 'coverage')).toEqual([3, 4, 0.75, 0.300642, 0.954413]);
    expect(figure(rows, 'job', 'RDP Logons', 'coverage')).toEqual([1, 4, 0.25, 0.045587, 0.699358]);
    // Supplemental runs for a1 (alice) and a2 (bob) only: a3 is SYSTEM's session, a4 has no account.
    expect(figure(rows, 'job', 'Supplemental processes executed', 'coverage')).toEqual([1, 2, 0.5, 0.094531, 0.905469]);
    expect(figure(rows, 'job', 'Unusual multi-processes commandline execution', 'coverage')).toEqual([0, 4, 0, 0, 0.489891]);
    expect(figure(rows, 'category', 'UnusualProcess', 'item_precision')).toEqual([2, 4, 0.5, 0.150039, 0.849961]);
    expect(figure(rows, 'category', 'RDPLogon', 'item_precision')).toEqual([1, 1, 1, 0.206549, 1]);
  });

  it('a true alert without a report counts against true alerts reported', async () => {
    await db.exec(`DELETE FROM metric_reports WHERE alert_id = 'a2'; DELETE FROM metric_items WHERE alert_id = 'a2'`);
    const fewer = await computeMetrics(db);
    expect(figure(fewer, 'overall', '', 'true_alert_coverage')).toEqual([1, 2, 0.5, 0.094531, 0.905469]);
    expect(figure(fewer, 'overall', '', 'coverage')).toEqual([2, 4, 0.5, 0.150039, 0.849961]);
    await metricInputsFromRuns(db, '2026-11-02', '2026-11-10', [1]); // the run's inputs again, for the tests after
  });

  it('without labels, only the unlabeled figures', async () => {
    await db.exec('DELETE FROM labels');
    const unlabeled = await computeMetrics(db);
    expect([...new Set(unlabeled.map((r) => r.metric))].sort()).toEqual(['coverage', 'items', 'items_per_report', 'truncation_rate']);
    expect(figure(unlabeled, 'overall', '', 'coverage')).toEqual([3, 4, 0.75, 0.300642, 0.954413]);
  });
});
