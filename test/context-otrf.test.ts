import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { aggregateDays, buildBaselines, scoreDays } from '../pipeline/baseline/build-baselines.js';
import { makeContextReports } from '../pipeline/context/make-reports.js';
import { readReports } from '../pipeline/context/read-reports.js';
import type { Database } from '../pipeline/db.js';
import { loadFiles } from '../pipeline/load/load-files.js';
import { OTRF_INPUTS, memoryDb } from './helpers.js';

const DAY = '2020-09-20';

/**
 * The OTRF captures as the fleet's history, and an alert at the attacker's whoami on WORKSTATION6
 * in the empire_psexec capture (2020-09-20 16:17:19Z). The lab ran the same Empire launcher on
 * WORKSTATION6 two days before (another capture), so the point-in-time baseline knows it there;
 * what is new is the parent PsExec's service gave it (services.exe -> cmd.exe).
 */
describe('context on real telemetry (OTRF)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
    await loadFiles(db, { inputs: OTRF_INPUTS, format: 'auto' });
    await db.run(
      `INSERT INTO alerts (alert_id, ts, alert_name, severity, host, user_name, logon_id, command_line, source)
       SELECT 'otrf-whoami', ts + INTERVAL 2 SECOND, 'Unusual process execution detected', 'Medium', host, user_name, logon_id, command_line, 'test'
       FROM process_events WHERE host = 'workstation6' AND process_name = 'whoami.exe' AND ts BETWEEN '2020-09-20 16:17:19' AND '2020-09-20 16:17:21'
       ORDER BY ts LIMIT 1`,
    );
    await aggregateDays(db, '2019-12-01', '2023-07-31');
    await buildBaselines(db, DAY, DAY, DEFAULT_THRESHOLDS);
    await scoreDays(db, DAY, DAY, DEFAULT_THRESHOLDS);
  });

  it('by default reports the service-started cmd.exe of the launcher: its template is known here, services.exe never started cmd.exe on any host', async () => {
    const b = await db.one<{ history_days: number; fleet_hosts: number }>(`SELECT history_days, fleet_hosts FROM baseline_runs WHERE as_of = $1::DATE`, [DAY]);
    expect(b).toEqual({ history_days: 5, fleet_hosts: 3 });
    const launcher = await db.all<{ template_hosts: number; host_days: number; unusual: boolean; reason: string }>(
      `SELECT r.template_hosts, r.host_days, r.unusual, ac_process_reason(r.template_hosts, r.fleet_hosts, r.history_days, r.host_days, r.host_history_days, r.pair_hosts, p.parent_name, p.process_name, 3) AS reason FROM process_rarity r JOIN process_events p USING (event_id)
       WHERE p.host = 'workstation6' AND p.command_line LIKE '%powershell  -noP -sta -w 1 -enc%' AND p.ts::DATE = $1::DATE`,
      [DAY],
    );
    expect(launcher.length).toBeGreaterThan(0);
    for (const l of launcher) {
      expect(l).toMatchObject({ template_hosts: 1, host_days: 1, unusual: false });
      expect(l.reason).toMatch(/^template on 1 of 3 hosts in 5 days, on this host 1 of 5 days/);
    }
    const seen = await db.all(`SELECT DISTINCT strftime(day, '%Y-%m-%d') AS day FROM agg_template_daily WHERE host = 'workstation6' AND template LIKE '%powershell -nop -sta -w 1 -enc <b64>' AND day < $1::DATE`, [DAY]);
    expect(seen).toEqual([{ day: '2020-09-18' }]);
    const run = await makeContextReports(db, DAY, DAY, DEFAULT_THRESHOLDS);
    const [r, ...rest] = await readReports(db, run.runId, 'otrf-whoami');
    expect(rest).toEqual([]);
    expect(r!.items.map((i) => [i.category, i.reason])).toEqual([
      ['UnusualProcess', "on the alert's host; template on 1 of 3 hosts in 5 days, on this host 1 of 5 days; services.exe -> cmd.exe seen on 0 hosts"],
    ]);
    expect(r!.items[0]!.command_line).toMatch(/^C:\\windows\\system32\\cmd\.exe \/C start \/b .*powershell -noP -sta -w 1 -enc {2}SQB/);
  });

  it('with once-seen treated as unfamiliar (rarity.max_host_days = 1), the report holds the launcher', async () => {
    const t = { ...DEFAULT_THRESHOLDS, rarity: { ...DEFAULT_THRESHOLDS.rarity, max_host_days: 1 } };
    await scoreDays(db, DAY, DAY, t);
    const run = await makeContextReports(db, DAY, DAY, t);
    const [r] = await readReports(db, run.runId, 'otrf-whoami');
    expect(r).toBeDefined();
    expect(r!.context_event_activity).toMatch(/powershell {2}-noP -sta -w 1 -enc {2}SQB/);
    expect(r!.host).toBe('workstation6');
  });
});
