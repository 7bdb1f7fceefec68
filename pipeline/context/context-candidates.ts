import { COMMAND_SHELLS } from '../../models/command-shells.js';
import { CONTEXT_JOBS, WELL_KNOWN_ACCOUNTS, WELL_KNOWN_LOGON_IDS } from '../../models/context-jobs.js';
import type { ContextJob } from '../../models/context-jobs.js';
import { LAUNCH_PROMPTS, OS_CORE_PROCESSES, SESSION_STARTUP_PROCESSES } from '../../models/os-core.js';
import type { Thresholds } from '../../models/thresholds.js';
import type { Database } from '../db.js';
import { withCleanup } from '../db.js';
import { memoryLimitBytes } from '../memory-limit.js';
import { REMOTE_ANY_SCAN, REMOTE_START_PARAMS, remoteStarted, sessionOpeners, setRemoteStartKinds } from './remote-start-kinds.js';
import { ACTIVATION_PARAMS, CONSUMER_PARAMS, TASK_PARAMS } from './activation-params.js';
import { FOLLOW_ON_SECONDS } from '../../models/remote-starts.js';
import { runModel } from '../sql-model.js';

/** One set of thresholds judged against the stored features: a context run has one, a tune sweep one per grid point. */
export interface ThresholdPoint {
  pointId: number;
  t: Thresholds;
}

/** The job table (data) with each job's window in minutes, from the config's windows. */
export async function setContextJobs(db: Database, t: Thresholds, jobs: readonly ContextJob[] = CONTEXT_JOBS): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE context_jobs AS
     SELECT * FROM (SELECT unnest(from_json($1, '[{"ord":"INTEGER","name":"VARCHAR","category":"VARCHAR","needs_any_of":["VARCHAR"],"alert_names":["VARCHAR"],"before_minutes":"INTEGER","after_minutes":"INTEGER"}]'), recursive := true))`,
    [JSON.stringify(jobs.map((j, i) => ({
      ord: i + 1, name: j.name, category: j.category, needs_any_of: j.needsAnyOf, alert_names: j.alertNames,
      before_minutes: t.windows[`${j.window}_before_minutes`], after_minutes: t.windows[`${j.window}_after_minutes`],
    })))],
  );
  await setOsCoreProcesses(db);
  await setRemoteStartKinds(db);
}

/**
 * The operating system's own processes and the prompts Windows shows at a launch (models/os-core.ts)
 * as one table, os_process_roles: each row with its role ('core': context never lists them;
 * 'prompt', with how a reason names it, whether it asks the person and whether the launch it
 * precedes is the shell's).
 */
async function setOsCoreProcesses(db: Database): Promise<void> {
  const rows = [
    ...OS_CORE_PROCESSES.map((p) => ({ ...p, role: 'core', prompt: null, asks: false, shell_launch: false })),
    ...LAUNCH_PROMPTS.map(({ shellLaunch, ...p }) => ({ ...p, role: 'prompt', shell_launch: shellLaunch ?? false })),
  ];
  await db.run(
    `CREATE OR REPLACE TEMP TABLE os_process_roles AS
     SELECT * FROM (SELECT unnest(from_json($1, '[{"image":"VARCHAR","parents":["VARCHAR"],"args":"VARCHAR","role":"VARCHAR","prompt":"VARCHAR","asks":"BOOLEAN","shell_launch":"BOOLEAN"}]'), recursive := true))`,
    [JSON.stringify(rows)],
  );
}

/** The thresholds points as a table, one row each (threshold_points). */
export async function setThresholdPoints(db: Database, points: readonly ThresholdPoint[]): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE threshold_points AS
     SELECT * FROM (SELECT unnest(from_json($1, '[{"point_id":"INTEGER","max_fleet_hosts":"INTEGER","max_fleet_share":"DOUBLE","max_host_days":"INTEGER","min_history_days":"INTEGER","min_fleet_hosts":"INTEGER","prior_hosts":"DOUBLE","burst_factor":"DOUBLE","burst_min_distinct":"INTEGER","burst_min_rare_share":"DOUBLE","max_items":"INTEGER","supplemental_min_score":"DOUBLE","family_max_items":"INTEGER","host_min_score":"DOUBLE","host_max_items":"INTEGER","churn_min_share":"DOUBLE","churn_min_daily_events":"DOUBLE","fold_child_min_share":"DOUBLE"}]'), recursive := true))`,
    [JSON.stringify(points.map(({ pointId, t }) => ({
      point_id: pointId, max_fleet_hosts: t.rarity.max_fleet_hosts, max_fleet_share: t.rarity.max_fleet_share,
      max_host_days: t.rarity.max_host_days, min_history_days: t.baseline.min_history_days, min_fleet_hosts: t.baseline.min_fleet_hosts, prior_hosts: t.rarity.prior_hosts,
      burst_factor: t.burst.factor, burst_min_distinct: t.burst.min_distinct, burst_min_rare_share: t.burst.min_rare_share,
      max_items: t.context.max_items, supplemental_min_score: t.context.supplemental_min_score, family_max_items: t.context.family_max_items,
      host_min_score: t.context.host_min_score, host_max_items: t.context.host_max_items, churn_min_share: t.context.churn_min_share,
      churn_min_daily_events: t.context.churn_min_daily_events, fold_child_min_share: t.context.fold_child_min_share,
    })))],
  );
}

/**
 * Which jobs run for which alert of the days [from, to] (or the one alert), with their windows:
 * context_alert_jobs (sql/context/context_alert_jobs.sql). The metrics read it too.
 */
export async function setAlertJobs(db: Database, from: string, to: string, t: Thresholds, alertId: string | null = null, jobs: readonly ContextJob[] = CONTEXT_JOBS): Promise<void> {
  await setContextJobs(db, t, jobs);
  // One alert only (the benchmark's per-alert floor); NULL: every alert of the period.
  await runModel(db, 'context/context_alert_jobs.sql', { ac_from: from, ac_to: to, ac_alert_id: alertId, ...WELL_KNOWN });
}

/** The machine's own sessions and accounts (models/context-jobs.ts): never the alert's. */
const WELL_KNOWN = { ac_well_known_logons: WELL_KNOWN_LOGON_IDS, ac_well_known_accounts: WELL_KNOWN_ACCOUNTS };
const SHELLS = { ac_command_shells: COMMAND_SHELLS };

/**
 * The span of all the alert jobs' windows (context_alert_jobs), as constants the event scans are
 * pruned with: ac_span_lo and ac_span_hi (1970-01-01 when there is no window). Read as text, so
 * that the microseconds stay.
 */
export async function windowSpan(db: Database): Promise<{ ac_span_lo: string; ac_span_hi: string }> {
  return db.one<{ ac_span_lo: string; ac_span_hi: string }>(
    `SELECT coalesce(min(win_start), TIMESTAMP '1970-01-01')::VARCHAR AS ac_span_lo,
            coalesce(max(win_end), TIMESTAMP '1970-01-01')::VARCHAR AS ac_span_hi
     FROM context_alert_jobs`,
  );
}

/** The alerts' windows of the days [from, to] (or the one alert), prepared once for any number of threshold points: span, pass. */
export interface ContextWindows { ac_span_lo: string; ac_span_hi: string; ac_pass: number }

/**
 * The point-independent part of context: which jobs run for which alert, the windows' events once
 * (sql/context/context_day_events.sql), then the windows prepared by prepareJobWindows. Judge points
 * against them with judgeContextPoints; free them with dropContextWindows and dropDayEvents. With
 * `reportableFor` (tune's points), only the windows of the alerts that can get a report at one of
 * those points are prepared (context_reportable.sql); every alert's jobs stay in context_alert_jobs
 * for the metrics (an alert without prepared windows has no candidate).
 */
export async function prepareContextWindows(
  db: Database, from: string, to: string, t: Thresholds, alertId: string | null = null, jobs: readonly ContextJob[] = CONTEXT_JOBS,
  reportableFor?: readonly ThresholdPoint[],
): Promise<ContextWindows> {
  await setAlertJobs(db, from, to, t, alertId, jobs);
  const prepare = async () => {
    const span = await stageDayEvents(db, 1);
    await prepareJobWindows(db, { ...span, ac_pass: 0 }, t);
    return { ...span, ac_pass: 0 };
  };
  return reportableFor ? onlyReportable(db, reportableFor, prepare) : prepare();
}

/**
 * `work` over the alerts of context_alert_jobs that can get a report at one of these points
 * (context_reportable.sql, kept like context_kept until the next run): context_alert_jobs holds
 * only theirs meanwhile, and every alert's again after (the metrics read every alert's windows).
 */
async function onlyReportable<T>(db: Database, points: readonly ThresholdPoint[], work: () => Promise<T>): Promise<T> {
  await runModel(db, 'context/context_reportable.sql', {
    ...(await windowSpan(db)),
    ac_max_fleet_hosts: Math.max(...points.map((p) => p.t.rarity.max_fleet_hosts)),
    ac_max_fleet_share: Math.max(...points.map((p) => p.t.rarity.max_fleet_share)),
    ...REMOTE_ANY_SCAN, ac_consumer_hosts: CONSUMER_PARAMS.ac_consumer_hosts,
  });
  await db.exec(`CREATE OR REPLACE TEMP TABLE context_alert_jobs_every AS SELECT * FROM context_alert_jobs;
    CREATE OR REPLACE TEMP TABLE context_alert_jobs AS SELECT * FROM context_alert_jobs_every SEMI JOIN context_reportable USING (alert_id);`);
  return withCleanup(work, () => db.exec(`CREATE OR REPLACE TEMP TABLE context_alert_jobs AS SELECT * FROM context_alert_jobs_every;
      DROP TABLE context_alert_jobs_every;`));
}

/**
 * The process events of every alert's windows in context_alert_jobs, with their rarity, read from
 * the stored days once (context_day_events.sql), and the span's network logons of people
 * (context_span_logons.sql), each with the pass of its host (ac_host_pass). Returns the windows' span.
 */
async function stageDayEvents(db: Database, passes: number): Promise<{ ac_span_lo: string; ac_span_hi: string }> {
  const span = await windowSpan(db);
  await runModel(db, 'context/context_alert_windows.sql', { ac_passes: passes });
  await runModel(db, 'context/context_day_events.sql', { ...span, ac_passes: passes });
  await runModel(db, 'context/context_span_logons.sql', { ...span, ac_passes: passes, ac_well_known_accounts: WELL_KNOWN.ac_well_known_accounts });
  return span;
}

/** The staged events and logons (and the alerts' windows) are kept for all passes: free them after the last. */
export async function dropDayEvents(db: Database): Promise<void> {
  await db.exec('DROP TABLE IF EXISTS context_day_events; DROP TABLE IF EXISTS context_alert_windows; DROP TABLE IF EXISTS context_span_logons;');
}

/** `work`, then the windows and the staged day's events freed, whether it completed or failed. */
export async function freeingWindows<T>(db: Database, work: () => Promise<T>): Promise<T> {
  return withCleanup(work, async () => {
    await dropContextWindows(db);
    await dropDayEvents(db);
  });
}

/**
 * The windows of the alert jobs in context_alert_jobs (one pass's alerts), from that pass's staged
 * events: each alert's window events (context_window_keys.sql), each event's features
 * (context_event_features.sql), each alert's process, session and account
 * (context_alert_scope.sql), each window event's relation to its alert (the parent links, the
 * system's starts in people's sessions, the alert's process tree, a session's entry by remote
 * execution, then context_window_features.sql), the distinct processes from each start in the multi-process
 * windows (context_burst_events.sql) and the children that may fold into their parents' items
 * (context_attachments.sql: the assembly reads it after the windows are dropped, like the
 * candidates it stays until the next pass or run).
 */
async function prepareJobWindows(db: Database, windows: ContextWindows, t: Thresholds): Promise<void> {
  const pass = windows.ac_pass;
  await runModel(db, 'context/context_window_keys.sql', { ac_pass: pass });
  await runModel(db, 'context/context_event_features.sql', { ac_pass: pass });
  const remote = { ac_remote_exec_seconds: t.windows.remote_exec_seconds };
  await runModel(db, 'context/context_alert_scope.sql', { ...WELL_KNOWN, ...windows, ...SHELLS, ...remote });
  await runModel(db, 'context/context_parent_links.sql', {});
  await runModel(db, 'context/context_alert_line.sql', {});
  await runModel(db, 'context/context_remote_starts.sql', { ...windows, ...REMOTE_START_PARAMS });
  await runModel(db, 'context/context_remote_tasks.sql', { ...windows, ...TASK_PARAMS });
  await runModel(db, 'context/context_consumer_sessions.sql', { ac_pass: pass, ...remote, ...CONSUMER_PARAMS });
  await sessionOpeners(db, windows);
  await runModel(db, 'context/context_system_starts.sql', { ac_well_known_logons: WELL_KNOWN.ac_well_known_logons, ...SHELLS });
  await runModel(db, 'context/context_activation_links.sql', { ac_pass: pass, ...remote, ...ACTIVATION_PARAMS });
  await runModel(db, 'context/context_remote_roots.sql', { ac_pass: pass, ...remote, ac_session_startup: SESSION_STARTUP_PROCESSES, ac_follow_on_seconds: FOLLOW_ON_SECONDS });
  await runModel(db, 'context/context_window_tree.sql', { ac_well_known_logons: WELL_KNOWN.ac_well_known_logons, ac_pass: pass });
  await runModel(db, 'context/context_session_entries.sql', { ac_pass: pass, ...remote });
  await runModel(db, 'context/context_window_features.sql', { ...WELL_KNOWN, ac_pass: pass, ...remote });
  await remoteStarted(db, windows);
  await runModel(db, 'context/context_burst_events.sql', {});
  await runModel(db, 'context/context_attachments.sql', { ac_pass: pass });
}

/** The candidate items of the prepared windows for these threshold points (context_candidates.sql); returns their number. */
export async function judgeContextPoints(db: Database, windows: ContextWindows, points: readonly ThresholdPoint[]): Promise<number> {
  await setThresholdPoints(db, points);
  await runModel(db, 'context/context_candidates.sql', { ...windows });
  return (await db.one<{ n: number }>('SELECT count(*) AS n FROM context_candidates')).n;
}

/** The windows' rows live in memory (temp tables) until dropped: free them for the steps after. */
export async function dropContextWindows(db: Database): Promise<void> {
  for (const table of ['context_window_keys', 'context_event_features', 'context_alert_scope', 'context_parent_links', 'context_system_starts',
    'context_activation_links', 'context_remote_roots', 'context_window_tree', 'context_alert_line', 'context_session_entries', 'context_window_features', 'context_burst_events', 'context_remote_starts',
    'context_remote_asks', 'context_remote_started', 'context_consumer_sessions', 'context_session_opener_runs',
    'context_session_openers']) {
    await db.exec(`DROP TABLE IF EXISTS ${table}`);
  }
}

/** The points judged in one pass share their windows (the prepared events are the windows'). */
export function checkSameWindows(points: readonly ThresholdPoint[]): void {
  const windows = new Set(points.map((p) => JSON.stringify(p.t.windows)));
  if (points.length === 0 || windows.size !== 1) throw new Error('context: give one or more threshold points with the same windows');
}

/**
 * Collect the candidate context items of every alert of the days [from, to] in one set-based pass
 * (prepareContextWindows, then judgeContextPoints), for every threshold point at once. The events
 * must be scored (nightly) for those days. Returns the number of candidates.
 */
export async function collectContextCandidates(
  db: Database, from: string, to: string, points: readonly ThresholdPoint[], alertId: string | null = null, jobs: readonly ContextJob[] = CONTEXT_JOBS,
): Promise<number> {
  checkSameWindows(points);
  return freeingWindows(db, async () => judgeContextPoints(db, await prepareContextWindows(db, from, to, points[0]!.t, alertId, jobs), points));
}

/** Assemble the candidates into kept items per threshold point and alert (sql/context/context_kept.sql). */
export async function assembleContext(db: Database): Promise<void> {
  await runModel(db, 'context/context_kept.sql', {});
}

/**
 * About this many alerts' windows are prepared at once per GB of DuckDB's memory limit. On the
 * 10,000-host bench day (~100,000 alerts, the day's 12.6 M staged events beside them) passes of
 * 11,000 alerts ran out of memory at 1 GB in the second pass, passes of 5,600 complete; a
 * 1,000-host day (~10,000 alerts) takes two passes (context 13 -> 15 s). Since the windows' pairs
 * hold no texts, passes of 11,000 get through too, but no faster: 8 of their 9 passes took 188 s
 * (with another run beside them), all 18 passes of 5,600 took 159 s. 8,000 since the default limit
 * is 800 MB: at 6,000 the 1,000-host bench day's 4,982 alerts that can get a report took two passes
 * of 4,470, now one of 5,960 (`alert-context context` on day 14, alternated: 4.72 / 4.87 s against
 * 4.15 / 4.29 s, peak RSS 0.99-1.01 GB both ways, the same 254 reports).
 */
export const ALERTS_PER_GB = 8_000;

/**
 * The assembled context (context_kept) of every alert of the days [from, to] (or the one alert) at
 * these threshold points: collectContextCandidates then assembleContext, in passes over groups of
 * hosts when there are more than `alertsPerPass` alerts (default: ALERTS_PER_GB per GB of the
 * memory limit). A host's alerts are in one pass, by a hash of its name (ac_host_pass,
 * sql/macros/scoring.sql, which tags the windows' events too): everything an item is judged by is
 * its alert's host's or the baselines'. The windows' events are staged once for all passes
 * (context_day_events.sql); each pass's windows are dropped before the next, and the staged events
 * after the last (or on a failure); context_alert_jobs then holds every alert's jobs again.
 */
export async function assembleContextInPasses(
  db: Database, from: string, to: string, points: readonly ThresholdPoint[], alertId: string | null = null, alertsPerPass?: number,
): Promise<void> {
  checkSameWindows(points);
  await setAlertJobs(db, from, to, points[0]!.t, alertId);
  // Only the alerts that can get a report are prepared and judged (onlyReportable).
  await onlyReportable(db, points, () => judgeInPasses(db, points, alertsPerPass));
}

/** assembleContextInPasses' passes over the alerts of context_alert_jobs. */
async function judgeInPasses(db: Database, points: readonly ThresholdPoint[], alertsPerPass?: number): Promise<void> {
  const { n } = await db.one<{ n: number }>('SELECT count(DISTINCT alert_id) AS n FROM context_alert_jobs');
  const perPass = alertsPerPass ?? Math.max(1, Math.floor((ALERTS_PER_GB * (await memoryLimitBytes(db))) / 2 ** 30));
  const passes = Math.max(1, Math.ceil(Number(n) / perPass));
  await freeingWindows(db, async () => {
    const span = await stageDayEvents(db, passes);
    const pass = async (k: number) => {
      await prepareJobWindows(db, { ...span, ac_pass: k }, points[0]!.t);
      await judgeContextPoints(db, { ...span, ac_pass: k }, points);
      await dropContextWindows(db);
      await assembleContext(db);
      await db.exec('DROP TABLE context_attachments');
    };
    if (passes === 1) return pass(0);
    // in pass order, so that a pass reads its own alerts' rows only
    await db.run('CREATE OR REPLACE TEMP TABLE context_alert_jobs_all AS SELECT *, ac_host_pass(host, $1) AS pass FROM context_alert_jobs ORDER BY pass', [passes]);
    for (let k = 0; k < passes; k++) {
      await db.run('CREATE OR REPLACE TEMP TABLE context_alert_jobs AS SELECT * EXCLUDE (pass) FROM context_alert_jobs_all WHERE pass = $1', [k]);
      await pass(k);
      await db.exec(k === 0 ? 'CREATE OR REPLACE TEMP TABLE context_kept_all AS SELECT * FROM context_kept' : 'INSERT INTO context_kept_all SELECT * FROM context_kept');
    }
    await db.exec(`CREATE OR REPLACE TEMP TABLE context_kept AS SELECT * FROM context_kept_all; DROP TABLE context_kept_all;
      CREATE OR REPLACE TEMP TABLE context_alert_jobs AS SELECT * EXCLUDE (pass) FROM context_alert_jobs_all; DROP TABLE context_alert_jobs_all;`);
  });
}
