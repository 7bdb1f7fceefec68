import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listValue } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMAND_SHELLS } from '../models/command-shells.js';
import { CONTEXT_JOBS, WELL_KNOWN_ACCOUNTS, WELL_KNOWN_LOGON_IDS } from '../models/context-jobs.js';
import type { ContextJob } from '../models/context-jobs.js';
import { REMOTE_PROGRAMS } from '../models/remote-starts.js';
import type { Thresholds } from '../models/thresholds.js';
import { resolveThresholds } from '../pipeline/config.js';
import { assembleContext, assembleContextInPasses, collectContextCandidates, setAlertJobs, setThresholdPoints, windowSpan } from '../pipeline/context/context-candidates.js';
import type { ThresholdPoint } from '../pipeline/context/context-candidates.js';
import type { Database } from '../pipeline/db.js';
import { buildFleet } from './context-differential-fleet.js';
import type { FleetOptions } from './context-differential-fleet.js';
import { FIXTURES, memoryDb } from './helpers.js';

/**
 * Differential test of e42a0ca (#17): the candidates (and the kept items) of the current context
 * models must equal, as multisets, the ones of the models before it (test/fixtures/context-pre-e42a0ca/),
 * on seeded hand-made fleets: several hosts, many alerts per host with overlapping and disjoint
 * windows, bursts on the windows' edges, process ids reused, self-parented processes, equal
 * timestamps, events without rarity, alerts with and without session, account and process,
 * one and several threshold points (tune), the default jobs and job tables with other windows.
 */
const PRE = join(FIXTURES, 'context-pre-e42a0ca');
const preModel = (name: string) => readFileSync(join(PRE, `${name}.sql`), 'utf8');

/** The candidates as the pre-e42a0ca models make them (the same steps as collectContextCandidates). */
async function preCandidates(db: Database, from: string, to: string, points: readonly ThresholdPoint[], jobs: readonly ContextJob[]): Promise<void> {
  await setAlertJobs(db, from, to, points[0]!.t, null, jobs);
  await setThresholdPoints(db, points);
  const span = await windowSpan(db);
  await db.run('SET VARIABLE ac_span_lo = $1::TIMESTAMP', [span.ac_span_lo]);
  await db.run('SET VARIABLE ac_span_hi = $1::TIMESTAMP', [span.ac_span_hi]);
  await db.run('SET VARIABLE ac_well_known_logons = $1::VARCHAR[]', [listValue([...WELL_KNOWN_LOGON_IDS])]);
  await db.run('SET VARIABLE ac_well_known_accounts = $1::VARCHAR[]', [listValue([...WELL_KNOWN_ACCOUNTS])]);
  await db.run('SET VARIABLE ac_command_shells = $1::VARCHAR[]', [listValue([...COMMAND_SHELLS])]);
  await db.exec(preModel('context_window_keys'));
  await db.exec(preModel('context_candidates'));
}

/** Keep this version's candidates and kept items (context_kept.sql on them) under diff_*_<tag>. */
async function keep(db: Database, tag: 'new' | 'pre'): Promise<void> {
  await db.exec(`CREATE OR REPLACE TEMP TABLE diff_candidates_${tag} AS SELECT * FROM context_candidates`);
  await assembleContext(db);
  await db.exec(`CREATE OR REPLACE TEMP TABLE diff_kept_${tag} AS SELECT * FROM context_kept`);
}

interface Outcome { candidates: number; kept: number; byCategory: Record<string, number>; tree: number; differences: string[] }

/** Both versions on the same database; the rows one has and the other has not (a few of each, either way). */
async function compare(db: Database, from: string, to: string, points: readonly ThresholdPoint[], jobs: readonly ContextJob[] = CONTEXT_JOBS): Promise<Outcome> {
  await collectContextCandidates(db, from, to, points, null, jobs);
  await keep(db, 'new');
  await preCandidates(db, from, to, points, jobs);
  await keep(db, 'pre');
  const differences: string[] = [];
  for (const table of ['candidates', 'kept'] as const) {
    for (const [a, b] of [['new', 'pre'], ['pre', 'new']] as const) {
      const rows = await db.all(`SELECT * FROM diff_${table}_${a} EXCEPT ALL SELECT * FROM diff_${table}_${b} ORDER BY ALL LIMIT 5`);
      for (const r of rows) differences.push(`${table} only in ${a}: ${JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))}`);
    }
  }
  const count = async (sql: string) => Number((await db.one<{ n: number }>(sql)).n);
  const categories = await db.all<{ category: string; n: number }>('SELECT category, count(*)::INTEGER AS n FROM diff_candidates_new GROUP BY ALL');
  return {
    candidates: await count('SELECT count(*) AS n FROM diff_candidates_new'),
    kept: await count('SELECT count(*) AS n FROM diff_kept_new'),
    byCategory: Object.fromEntries(categories.map((c) => [c.category, c.n])),
    tree: await count(`SELECT count(*) AS n FROM diff_candidates_new WHERE reason LIKE 'child of the alert process%' OR reason LIKE 'parent of the alert process%'`),
    differences,
  };
}

// The remote execution after a network logon (issue 12, after e42a0ca) is not in the old models: off.
const windows = (before: number, after: number, rdpBefore: number, rdpAfter: number) =>
  ({ process_before_minutes: before, process_after_minutes: after, rdp_before_minutes: rdpBefore, rdp_after_minutes: rdpAfter, remote_exec_seconds: 0 });

/** Tune's case: several threshold points, from strict to loose, the same windows. */
function tunePoints(w: Thresholds['windows']): ThresholdPoint[] {
  const overrides = [
    {},
    { burst: { min_distinct: 3, factor: 1, min_rare_share: 0.2 }, rarity: { max_fleet_hosts: 4, max_host_days: 2 }, baseline: { min_history_days: 1 } },
    { burst: { min_distinct: 5, factor: 1.5, min_rare_share: 0.6 }, rarity: { max_fleet_hosts: 0 }, context: { churn_min_share: 0.5, host_min_score: 0.3 } },
    { burst: { min_distinct: 2, factor: 1, min_rare_share: 0 }, baseline: { min_history_days: 1 }, context: { supplemental_min_score: 0.2, churn_min_daily_events: 1 } },
  ];
  return overrides.map((o, i) => ({ pointId: i + 1, t: resolveThresholds({ ...o, windows: w }) }));
}

const FLEET: Omit<FleetOptions, 'seed' | 'before' | 'after'> = { hosts: 3, alertsPerHost: 14, eventsPerHost: 260 };

describe('context candidates: the current models against the pre-e42a0ca ones (#17)', () => {
  // a fresh database for each case
  let db: Database;
  beforeEach(async () => { db = await memoryDb(); });
  afterEach(() => db.close());

  const sane = (o: Outcome) => {
    expect(o.candidates).toBeGreaterThan(50);
    expect(o.kept).toBeGreaterThan(0);
    expect(o.byCategory['UnusualMultiProcess'] ?? 0, 'bursts found').toBeGreaterThan(0);
    expect(o.byCategory['SupplementalProcess'] ?? 0).toBeGreaterThan(0);
    expect(o.tree, 'process trees found').toBeGreaterThan(0);
  };

  it('one threshold point, the default jobs and windows', async () => {
    const [from, to] = await buildFleet(db, { ...FLEET, seed: 1, before: 60, after: 10 });
    const o = await compare(db, from, to, tunePoints(windows(60, 10, 24 * 60, 10)).slice(1, 2));
    expect(o.differences).toEqual([]);
    sane(o);
  });

  for (const seed of [2, 3, 4]) {
    it(`several threshold points (tune), short windows: many overlapping alerts, window ends cutting bursts (seed ${seed})`, async () => {
      const [from, to] = await buildFleet(db, { ...FLEET, seed, before: 6, after: 2 });
      const o = await compare(db, from, to, tunePoints(windows(6, 2, 30, 3)));
      expect(o.differences).toEqual([]);
      sane(o);
    });
  }

  it('a job table whose process jobs look at different windows (unusual processes over the RDP window)', async () => {
    const [from, to] = await buildFleet(db, { ...FLEET, seed: 5, before: 6, after: 2 });
    const jobs: ContextJob[] = CONTEXT_JOBS.map((j) => (j.category === 'UnusualProcess' ? { ...j, window: 'rdp' } : j));
    const o = await compare(db, from, to, tunePoints(windows(6, 2, 25, 4)), jobs);
    expect(o.differences).toEqual([]);
    sane(o);
  });

  it('a job table with two multi-process jobs of different windows', async () => {
    const [from, to] = await buildFleet(db, { ...FLEET, seed: 6, before: 6, after: 2 });
    const umpRdp: ContextJob = { name: 'Unusual multi-processes, longer', category: 'UnusualMultiProcess', needsAnyOf: ['host'], alertNames: ['*'], window: 'rdp' };
    const o = await compare(db, from, to, tunePoints(windows(6, 2, 8, 3)), [...CONTEXT_JOBS, umpRdp]);
    expect(o.differences).toEqual([]);
    sane(o);
  });

  // assembleContextInPasses prepares and judges only the alerts that can get a report
  // (context_reportable.sql: a template rare in the fleet in the process windows, or an RDP logon
  // in the RDP window); the reports must be those of judging every alert.
  for (const seed of [7, 8]) {
    it(`context in passes, judging only the alerts that can get a report, keeps what judging every alert keeps (seed ${seed})`, async () => {
      const [from, to] = await buildFleet(db, { ...FLEET, seed, before: 6, after: 2 });
      // one host runs nothing rare, has no RDP or network logon and asks no other host to start
      // anything (the cross-host links, models/remote-starts.ts): its alerts cannot get a report
      const { host } = await db.one<{ host: string }>('SELECT min(host) AS host FROM alerts');
      await db.run('UPDATE process_rarity SET template_hosts = fleet_hosts WHERE host = $1', [host]);
      await db.run('DELETE FROM logon_events WHERE host = $1 AND logon_type IN (3, 10)', [host]);
      await db.run('DELETE FROM process_events WHERE host = $1 AND list_contains($2, process_name)', [host, listValue([...REMOTE_PROGRAMS])]);
      // another has one day of fleet history: rare there is rare only for the points that ask for one day
      const { other } = await db.one<{ other: string }>('SELECT max(host) AS other FROM alerts');
      await db.run('UPDATE process_rarity SET history_days = 1 WHERE host = $1', [other]);
      await db.run('DELETE FROM logon_events WHERE host = $1 AND logon_type = 10', [other]);
      const points = tunePoints({ ...windows(6, 2, 30, 3), remote_exec_seconds: 5 });
      await collectContextCandidates(db, from, to, points);
      await assembleContext(db);
      await db.exec('CREATE OR REPLACE TEMP TABLE diff_kept_all AS SELECT * FROM context_kept');
      const alerts = Number((await db.one<{ n: number }>('SELECT count(DISTINCT alert_id) AS n FROM context_alert_jobs')).n);
      for (const perPass of [1_000, 7]) {
        await assembleContextInPasses(db, from, to, points, null, perPass);
        for (const [a, b] of [['context_kept', 'diff_kept_all'], ['diff_kept_all', 'context_kept']]) {
          expect(await db.all(`SELECT alert_id, event_ids FROM ${a} EXCEPT ALL SELECT alert_id, event_ids FROM ${b} LIMIT 3`), `${a} only, ${perPass} a pass`).toEqual([]);
        }
        expect(Number((await db.one<{ n: number }>('SELECT count(*) AS n FROM (SELECT * FROM context_kept EXCEPT ALL SELECT * FROM diff_kept_all)')).n)).toBe(0);
        // every alert's jobs are back for the metrics
        expect(Number((await db.one<{ n: number }>('SELECT count(DISTINCT alert_id) AS n FROM context_alert_jobs')).n)).toBe(alerts);
      }
      // some alerts are reported, and some are not even judged
      const reported = Number((await db.one<{ n: number }>('SELECT count(DISTINCT alert_id) AS n FROM diff_kept_all')).n);
      const judged = Number((await db.one<{ n: number }>('SELECT count(*) AS n FROM context_reportable')).n);
      expect(reported).toBeGreaterThan(0);
      expect(judged).toBeGreaterThanOrEqual(reported);
      expect(judged).toBeLessThan(alerts);
      expect(await db.all('SELECT alert_id FROM context_reportable JOIN alerts USING (alert_id) WHERE alerts.host = $1', [host])).toEqual([]);
      expect(Number((await db.one<{ n: number }>('SELECT count(DISTINCT alert_id) AS n FROM diff_kept_all JOIN alerts USING (alert_id) WHERE alerts.host = $1', [other])).n)).toBeGreaterThan(0);
    });
  }
});
