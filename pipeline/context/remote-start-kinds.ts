import { REMOTE_LAUNCHERS, REMOTE_PATTERN, REMOTE_PROGRAMS, REMOTE_START_SECONDS, REMOTE_STARTS } from '../../models/remote-starts.js';
import { SERVICE_HOST_NAME } from '../../models/service-control.js';
import type { Database } from '../db.js';

/**
 * The commands that start a process on another host (models/remote-starts.ts) as a table,
 * remote_start_kinds: one row per program, with its pattern, the launcher on the host it names,
 * whether the launcher itself starts to serve it, and how a reason says what it asked
 * (sql/context/context_remote_starts.sql, context_reportable.sql).
 */
export async function setRemoteStartKinds(db: Database): Promise<void> {
  const rows = REMOTE_STARTS.flatMap(({ programs, pattern, launcher, launcherStarts, asks }) =>
    programs.map((program) => ({ program, pattern, launcher, launcher_starts: launcherStarts, asks })));
  await db.run(
    `CREATE OR REPLACE TEMP TABLE remote_start_kinds AS
     SELECT * FROM (SELECT unnest(from_json($1, '[{"program":"VARCHAR","pattern":"VARCHAR","launcher":"VARCHAR","launcher_starts":"BOOLEAN","asks":"VARCHAR"}]'), recursive := true))`,
    [JSON.stringify(rows)],
  );
}

/** The scan of the runs that ask another host (context_reportable.sql, context_remote_starts.sql): its programs and any kind's pattern. */
export const REMOTE_START_SCAN = { ac_remote_programs: REMOTE_PROGRAMS, ac_remote_pattern: REMOTE_PATTERN };

/** context_remote_starts.sql's parameters beside the windows'. */
export const REMOTE_START_PARAMS = {
  ...REMOTE_START_SCAN, ac_remote_start_seconds: REMOTE_START_SECONDS, ac_service_host_name: SERVICE_HOST_NAME, ac_remote_launchers: REMOTE_LAUNCHERS,
};
