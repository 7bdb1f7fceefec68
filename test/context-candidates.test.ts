import { beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_JOBS } from '../models/context-jobs.js';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { resolveThresholds } from '../pipeline/config.js';
import { collectContextCandidates } from '../pipeline/context/context-candidates.js';
import { makeContextReports } from '../pipeline/context/make-reports.js';
import type { Database } from '../pipeline/db.js';
import { scoredFleet } from './helpers.js';

describe('context candidates (all alerts of a period in one pass)', () => {
  let db: Database;
  let days: string[];
  beforeAll(async () => {
    ({ db, days } = await scoredFleet());
    await collectContextCandidates(db, days[0]!, days.at(-1)!, [{ pointId: 0, t: DEFAULT_THRESHOLDS }]);
  });

  it('keeps every item inside its job\'s window around the alert, the windows from the config', async () => {
    const narrow = resolveThresholds({ windows: { process_before_minutes: 5, process_after_minutes: 1, rdp_before_minutes: 90, rdp_after_minutes: 0 } });
    const counts: number[] = [];
    for (const t of [narrow, DEFAULT_THRESHOLDS]) {
      counts.push(await collectContextCandidates(db, days[0]!, days.at(-1)!, [{ pointId: 0, t }]));
      for (const job of CONTEXT_JOBS) {
        const outside = await db.one<{ n: number }>(
          `SELECT count(*) AS n FROM context_candidates c JOIN alerts a USING (alert_id)
           WHERE c.category = $1 AND (c.ts < a.ts - to_minutes($2::INTEGER) OR c.ts > a.ts + to_minutes($3::INTEGER) OR c.host <> a.host)`,
          [job.category, t.windows[`${job.window}_before_minutes`], t.windows[`${job.window}_after_minutes`]],
        );
        expect(outside.n, job.category).toBe(0);
      }
    }
    expect(counts[0]).toBeLessThan(counts[1]!);
  });

  it('finds the attack around true alerts once there is history, and little around false ones', async () => {
    const rows = await db.all<{ malicious: boolean; alerts: number; with_unusual: number; unusual_items: number; malicious_items: number }>(
      `WITH per_alert AS (
         SELECT a.alert_id, la.malicious,
                count(c.event_id) FILTER (WHERE c.unusual) AS unusual_items,
                count(l.id) FILTER (WHERE c.unusual) AS malicious_items
         FROM alerts a JOIN labels la ON la.kind = 'alert' AND la.id = a.alert_id
         LEFT JOIN context_candidates c USING (alert_id)
         LEFT JOIN labels l ON l.kind = 'event' AND l.id = c.event_id
         WHERE a.ts >= $1::TIMESTAMP
         GROUP BY ALL)
       SELECT malicious, count(*) AS alerts, count(*) FILTER (WHERE unusual_items > 0) AS with_unusual,
              sum(unusual_items) AS unusual_items, sum(malicious_items) AS malicious_items
       FROM per_alert GROUP BY 1 ORDER BY 1`,
      [days[3]!],
    );
    const tp = rows.find((r) => r.malicious)!;
    const fp = rows.find((r) => !r.malicious)!;
    expect(tp.with_unusual / tp.alerts).toBeGreaterThan(0.6);
    expect(tp.malicious_items / tp.unusual_items).toBeGreaterThan(0.8);
    expect(fp.unusual_items / fp.alerts).toBeLessThan(tp.unusual_items / tp.alerts / 5);
  });

  it('never takes the machine\'s own sessions (SYSTEM, LOCAL/NETWORK SERVICE) as the alert\'s session', async () => {
    const n = await db.one<{ n: number }>(
      `SELECT count(*) AS n FROM context_candidates c JOIN process_events p USING (event_id)
       WHERE c.category = 'SupplementalProcess' AND p.logon_id IN ('0x3e7', '0x3e4', '0x3e5')
         AND c.reason LIKE 'in the alert''s logon session%'`,
    );
    expect(n.n).toBe(0);
  });

  it('finds script bursts with a sliding 60-second window', async () => {
    const b = await db.all<{ reason: string; campaign_kind: string }>(
      `SELECT c.reason, l.campaign_kind FROM context_candidates c JOIN labels l ON l.kind = 'event' AND l.id = c.event_id
       WHERE c.category = 'UnusualMultiProcess' ORDER BY c.alert_id, c.event_id`,
    );
    expect(b.length).toBeGreaterThan(0);
    // Each reason names the relation (which one depends on the member: the alert process, its
    // child, its session), then what is unusual about the pattern.
    const relation = "(the alert process|(child|parent|ancestor|descendant) of the alert process|in the alert's logon session 0x[0-9a-f]+|run by the alert's account [^;]+"
      + "|((child|descendant) of )?another run of \\S+ of the alert's process tree (\\(the same command line\\), [^;(]+|\\([^)]+\\)))";
    const burst = '; burst of \\d+ distinct processes within 60 s from \\d\\d:\\d\\d:\\d\\d, \\d+ of its \\d+ command templates unusual \\(rare in the fleet, new to this host\\); this host\'s usual ceiling is';
    for (const x of b) expect(x.reason).toMatch(new RegExp(`^${relation}${burst}`));
    expect(b.some((x) => x.reason.startsWith("in the alert's logon session"))).toBe(true);
  });

  it('makes the same reports in passes over groups of hosts as in one pass (a fleet day with more alerts than a pass holds)', async () => {
    const items = async (runId: number) => db.all<{ r: string }>(
      `SELECT report_id || ' ' || item_no || ' ' || category || ' ' || coalesce(command_line, '') || ' ' || reason || ' ' || repeat_count AS r
       FROM context_report_items WHERE run_id = $1 ORDER BY report_id, item_no`, [runId]);
    const one = await makeContextReports(db, days[0]!, days.at(-1)!, DEFAULT_THRESHOLDS, 'test');
    const many = await makeContextReports(db, days[0]!, days.at(-1)!, DEFAULT_THRESHOLDS, 'test', null, 3);
    expect(one.alerts).toBeGreaterThan(6); // more than two passes
    expect(many.reports).toBe(one.reports);
    expect(one.reports).toBeGreaterThan(0);
    expect(await items(many.runId)).toEqual(await items(one.runId));
    // every alert's jobs are there again for the metrics
    const { n } = await db.one<{ n: number }>('SELECT count(DISTINCT alert_id) AS n FROM context_alert_jobs');
    expect(n).toBe(one.alerts);
    // the hosts are spread over the passes (the 64-bit hash taken modulo exactly: as a double, almost
    // every hash is even, and two passes would be one)
    const spread = await db.one<{ largest: number; hosts: number }>(
      'SELECT max(n) AS largest, sum(n) AS hosts FROM (SELECT ac_host_pass(host, 2) AS p, count(DISTINCT host) AS n FROM context_alert_jobs GROUP BY p)');
    expect(Number(spread.largest)).toBeLessThanOrEqual(0.8 * Number(spread.hosts));
  });
});
