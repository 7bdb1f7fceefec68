import {
  ADDRESS_DAYS, REMOTE_LAUNCHERS, REMOTE_PATTERN, REMOTE_PROGRAMS, REMOTE_SESSION_OPENERS, REMOTE_START_SECONDS, REMOTE_STARTS,
} from '../../models/remote-starts.js';
import { SERVICE_HOST_NAME } from '../../models/service-control.js';
import type { Database } from '../db.js';
import { runModel } from '../sql-model.js';
import { TASK_PARAMS } from './activation-params.js';

/**
 * The commands that start a process on another host (models/remote-starts.ts) as a table,
 * remote_start_kinds: one row per program, with its pattern, the launcher on the host it names,
 * whether the launcher itself starts to serve it, which of its starts are the command's (started,
 * RE2 on the process name; NULL: any), and how a reason says what it asked
 * (sql/context/context_remote_starts.sql, context_reportable.sql).
 */
export async function setRemoteStartKinds(db: Database): Promise<void> {
  const rows = REMOTE_STARTS.flatMap(({ programs, pattern, launcher, launcherStarts, started, asks }) =>
    programs.map((program) => ({ program, pattern, launcher, launcher_starts: launcherStarts, started: started ?? null, asks })));
  await db.run(
    `CREATE OR REPLACE TEMP TABLE remote_start_kinds AS
     SELECT * FROM (SELECT unnest(from_json($1, '[{"program":"VARCHAR","pattern":"VARCHAR","launcher":"VARCHAR","launcher_starts":"BOOLEAN","started":"VARCHAR","asks":"VARCHAR"}]'), recursive := true))`,
    [JSON.stringify(rows)],
  );
  await db.run(
    `CREATE OR REPLACE TEMP TABLE remote_session_kinds AS
     SELECT * FROM (SELECT unnest(from_json($1, '[{"program":"VARCHAR","pattern":"VARCHAR","starts_nothing":"VARCHAR"}]'), recursive := true))`,
    [JSON.stringify(REMOTE_SESSION_OPENERS.flatMap(({ programs, pattern, startsNothing }) =>
      programs.map((program) => ({ program, pattern, starts_nothing: startsNothing }))))],
  );
}

/** The scan of the runs that ask another host (context_remote_starts.sql, context_remote_asks.sql): its programs and any kind's pattern. */
export const REMOTE_START_SCAN = { ac_remote_programs: REMOTE_PROGRAMS, ac_remote_pattern: REMOTE_PATTERN };

/** context_reportable.sql's scan of the runs that ask another host to start a process, and the seconds an opener precedes a logon. */
export const REMOTE_ANY_SCAN = { ...REMOTE_START_SCAN, ac_remote_start_seconds: REMOTE_START_SECONDS };

/** context_remote_starts.sql's parameters beside the windows'. */
export const REMOTE_START_PARAMS = {
  ...REMOTE_START_SCAN, ac_remote_start_seconds: REMOTE_START_SECONDS, ac_service_host_name: SERVICE_HOST_NAME, ac_remote_launchers: REMOTE_LAUNCHERS,
};

/**
 * What the commands of the alerts' trees and sessions started on the hosts they name: their asks
 * (context_remote_asks.sql), then, with the hosts named bound so that the scan of the events reads
 * theirs only (none without an ask), what those hosts' launchers started (context_remote_started.sql).
 */
export async function remoteStarted(db: Database, windows: { ac_span_lo: string; ac_span_hi: string; ac_pass: number }): Promise<void> {
  const { ac_task_scheduler_hosts: hosts, ...task } = TASK_PARAMS;
  await runModel(db, 'context/context_remote_asks.sql', { ac_pass: windows.ac_pass, ...REMOTE_START_SCAN, ...task });
  await runModel(db, 'context/context_remote_started.sql', {
    ac_span_lo: windows.ac_span_lo, ac_span_hi: windows.ac_span_hi, ac_remote_start_seconds: REMOTE_START_SECONDS,
    ac_service_host_name: SERVICE_HOST_NAME, ac_remote_targets: await distinctValues(db, 'SELECT target AS v FROM context_remote_asks'),
    ac_task_scheduler_hosts: hosts,
  });
}

/**
 * Who opened the alerts' network logons (and the remote WMI sessions their consumer hosts followed,
 * context_consumer_sessions.sql): the runs that may have (context_session_opener_runs.sql),
 * then, with their ids bound so that the scan reads their lines only, those that named the alert's
 * host (context_session_openers.sql).
 */
export async function sessionOpeners(db: Database, windows: { ac_span_lo: string; ac_span_hi: string }): Promise<void> {
  const span = { ac_span_lo: windows.ac_span_lo, ac_span_hi: windows.ac_span_hi, ac_remote_start_seconds: REMOTE_START_SECONDS };
  // the whole seconds of the spans before the alerts' network logons (the scan's filter)
  const seconds = await distinctValues(db,
    `SELECT unnest(range(floor(epoch(t))::BIGINT - $1, floor(epoch(t))::BIGINT + 1)) AS v
     FROM (SELECT session_logon_ts AS t FROM context_alert_scope UNION ALL SELECT logon_ts FROM context_consumer_sessions WHERE depth IS NOT NULL)
     WHERE t IS NOT NULL AND $1 > 0`, [REMOTE_START_SECONDS]);
  await runModel(db, 'context/context_session_opener_runs.sql', { ...span, ac_logon_seconds: seconds });
  const ids = await distinctValues(db, 'SELECT event_id AS v FROM context_session_opener_runs');
  await runModel(db, 'context/context_session_openers.sql', { ...span, ac_opener_ids: ids, ac_address_days: ADDRESS_DAYS });
}

/** The distinct values `v` of a query, sorted, as texts: a list a model binds so that its scan is filtered by it. */
async function distinctValues(db: Database, sql: string, values: (string | number)[] = []): Promise<string[]> {
  const { list } = await db.one<{ list: string }>(
    `SELECT to_json(coalesce(list(DISTINCT v::VARCHAR ORDER BY v::VARCHAR), [])::VARCHAR[])::VARCHAR AS list FROM (${sql})`, values);
  return JSON.parse(list) as string[];
}
