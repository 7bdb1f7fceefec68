import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db.js';
import { loadModel, runModel } from '../sql-model.js';
import type { ParameterValue } from '../sql-model.js';
import { OWNER_SESSION } from './campaigns.js';
import type { DayAttacks } from './campaigns.js';
import type { FormatWriter } from './writers.js';

/** One generated day, in the generator's in-memory database: its attacks, alerts, files and counts. */

const ATTACK_PROCESS_TYPE = '[{"event_id":"VARCHAR","ts":"TIMESTAMP","host_idx":"INTEGER","user_name":"VARCHAR","user_domain":"VARCHAR","logon_id":"VARCHAR","process_id":"BIGINT","image":"VARCHAR","command_line":"VARCHAR","parent_process_id":"BIGINT","parent_image":"VARCHAR","campaign_id":"VARCHAR","campaign_kind":"VARCHAR"}]';
const ATTACK_LOGON_TYPE = '[{"event_id":"VARCHAR","ts":"TIMESTAMP","host_idx":"INTEGER","user_name":"VARCHAR","user_domain":"VARCHAR","logon_id":"VARCHAR","logon_type":"INTEGER","source_ip":"VARCHAR","source_host":"VARCHAR","outcome":"VARCHAR","campaign_id":"VARCHAR","campaign_kind":"VARCHAR"}]';
const ALERT_TYPE = '[{"alert_id":"VARCHAR","ts":"TIMESTAMP","alert_name":"VARCHAR","severity":"VARCHAR","host_idx":"INTEGER","user_name":"VARCHAR","logon_id":"VARCHAR","process_id":"BIGINT","command_line":"VARCHAR","malicious":"BOOLEAN","campaign_id":"VARCHAR","campaign_kind":"VARCHAR"}]';

/**
 * Write a deterministic, labeled synthetic fleet: per day OUT/<day>/ process and logon events in
 * the chosen format, alerts.ndjson and labels.ndjson (canonical), and OUT/manifest.json.
 */

/**
 * The generator's run-wide parameters, as its models declare them (sql/generate/*.sql): each
 * model gets those it declares, with the day's (gen_day, gen_day_idx), each cast to its declared
 * type by runModel, so that a value's type never depends on how the number was written.
 */
export interface GeneratorRun {
  gen_seed: number;
  /** Multiplier on background process starts per host-day. */
  gen_rate: number;
  /** Days in the fleet. */
  gen_days: number;
  gen_host_count: number;
  gen_jump_count: number;
  gen_admin_rate: number;
  gen_admins: readonly string[];
  gen_admin_tool_count: number;
}

/** Run a generator model with the parameters of `values` it declares. */
async function runGeneratorModel(db: Database, model: string, values: Readonly<Record<string, ParameterValue>>): Promise<void> {
  const declared = loadModel(model).parameters;
  await runModel(db, model, Object.fromEntries(Object.entries(values).filter(([name]) => declared.has(name))));
}

/** A generated day's models, in order. */
const DAY_MODELS = [
  'generate/day_sessions.sql',
  'generate/day_process.sql',
  'generate/day_admin_sessions.sql',
  'generate/day_process_admin_tools.sql',
  'generate/day_logon.sql',
];

/** The day's benign process events, admin sessions and logon events (day_process, day_logon; sql/generate/). */
export async function generateBenignDay(db: Database, run: GeneratorRun, day: string, dayIdx: number): Promise<void> {
  const values = { ...run, gen_day: day, gen_day_idx: dayIdx };
  for (const model of DAY_MODELS) await runGeneratorModel(db, model, values);
}

/** The day's planned attack events join the benign ones (day_process, day_logon). */
export async function insertAttacks(db: Database, attacks: DayAttacks): Promise<void> {
  // The day's attacks; a campaign in the owner's session takes that session's logon id.
  await db.run(
    `INSERT INTO day_process
     SELECT a.event_id, a.ts, a.host_idx, h.host, h.fqdn, a.user_name, a.user_domain,
            CASE WHEN a.logon_id = $2 THEN s.owner_logon_id ELSE a.logon_id END, a.process_id, a.image, a.command_line,
            a.parent_process_id, a.parent_image, 'attack', true, a.campaign_id, a.campaign_kind
     FROM (SELECT unnest(from_json($1, '${ATTACK_PROCESS_TYPE}'), recursive := true)) a
     JOIN gen_hosts h USING (host_idx) JOIN day_sessions s USING (host_idx)`,
    [JSON.stringify(attacks.process), OWNER_SESSION],
  );
  await db.run(
    `INSERT INTO day_logon
     SELECT a.event_id, a.ts, a.host_idx, h.host, h.fqdn, a.user_name, a.user_domain, a.logon_id, a.logon_type,
            a.source_ip, a.source_host, a.outcome, true, a.campaign_id, a.campaign_kind
     FROM (SELECT unnest(from_json($1, '${ATTACK_LOGON_TYPE}'), recursive := true)) a JOIN gen_hosts h USING (host_idx)`,
    [JSON.stringify(attacks.logon)],
  );
}

/**
 * The day's alerts (day_alerts): the planned true positives, and `falsePositives` false positives
 * on benign events.
 */
export async function makeDayAlerts(db: Database, attacks: DayAttacks, day: string, seed: number, falsePositives: number): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE day_alerts AS
     WITH planned AS (
       SELECT a.*, h.fqdn FROM (SELECT unnest(from_json($1, '${ALERT_TYPE}'), recursive := true)) a JOIN gen_hosts h USING (host_idx)
     ),
     planned_entities AS (
       SELECT p.* REPLACE (CASE WHEN p.logon_id = $2 THEN s.owner_logon_id ELSE p.logon_id END AS logon_id)
       FROM planned p JOIN day_sessions s USING (host_idx)
     ),
     false_positive AS (
       SELECT 'alf-' || strftime($3::DATE, '%Y%m%d') || '-' || row_number() OVER (ORDER BY hash($4, e.event_id), e.event_id) AS alert_id,
              e.ts + gen_us((5 + hash($4, e.event_id, 'delay') % 240) * 1000000) AS ts,
              f.alert AS alert_name, f.severity, e.host_idx,
              CASE WHEN hash($4, e.event_id, 'u') % 10 < 8 THEN e.user_name END AS user_name,
              CASE WHEN hash($4, e.event_id, 'l') % 10 < 6 THEN e.logon_id END AS logon_id,
              CASE WHEN hash($4, e.event_id, 'p') % 10 < 6 THEN e.process_id END AS process_id,
              CASE WHEN hash($4, e.event_id, 'c') % 10 < 7 THEN e.command_line END AS command_line,
              false AS malicious, NULL AS campaign_id, NULL AS campaign_kind, e.fqdn
       FROM day_process e JOIN gen_fp_sources f ON f.template = e.template_id
       ORDER BY hash($4, e.event_id), e.event_id
       LIMIT $5
     )
     SELECT * FROM planned_entities UNION ALL BY NAME SELECT * FROM false_positive`,
    [JSON.stringify(attacks.alerts), OWNER_SESSION, day, seed, falsePositives],
  );
}

/** Write the day's folder: process and logon events in the writer's format, alerts.ndjson and labels.ndjson. */
export async function writeDayFiles(db: Database, writer: FormatWriter, dir: string, dayIdx: number): Promise<void> {
  // Output views: process names, per-host record numbers, and the id the loader will give each row.
  await runModel(db, 'generate/out_process.sql', { gen_day_idx: dayIdx });
  await runModel(db, 'generate/out_logon.sql', { gen_day_idx: dayIdx });
  mkdirSync(dir, { recursive: true });
  await db.run(`COPY (${writer.processSelect} ORDER BY ts, event_id) TO $1 ${writer.copyOptions}`, [join(dir, writer.processFile)]);
  await db.run(`COPY (${writer.logonSelect} ORDER BY ts, event_id) TO $1 ${writer.copyOptions}`, [join(dir, writer.logonFile)]);
  await db.run(
    `COPY (SELECT alert_id, strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts, alert_name, severity, fqdn AS host, user_name, logon_id,
                  process_id, command_line
           FROM day_alerts ORDER BY ts, alert_id) TO $1 (FORMAT json)`,
    [join(dir, 'alerts.ndjson')],
  );
  await db.run(
    `COPY (
       SELECT 'alert' AS kind, alert_id AS id, malicious, campaign_id, campaign_kind FROM day_alerts
       UNION ALL
       SELECT 'event', ${writer.processId}, true, campaign_id, campaign_kind FROM (SELECT * FROM out_process) WHERE malicious
       UNION ALL
       SELECT 'event', ${writer.logonId}, true, campaign_id, campaign_kind FROM (SELECT * FROM out_logon) WHERE malicious
       ORDER BY kind, id
     ) TO $1 (FORMAT json)`,
    [join(dir, 'labels.ndjson')],
  );
}

/** The day's rows: process and logon events, alerts (true positives among them), malicious events. */
export async function countDay(db: Database): Promise<{ p: number; l: number; a: number; tp: number; m: number }> {
  return db.one<{ p: number; l: number; a: number; tp: number; m: number }>(
    `SELECT (SELECT count(*) FROM day_process) AS p, (SELECT count(*) FROM day_logon) AS l,
            (SELECT count(*) FROM day_alerts) AS a, (SELECT count(*) FROM day_alerts WHERE malicious) AS tp,
            (SELECT count(*) FROM day_process WHERE malicious) + (SELECT count(*) FROM day_logon WHERE malicious) AS m`,
  );
}
