import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { makeContextReports } from '../pipeline/context/make-reports.js';
import { readReports } from '../pipeline/context/read-reports.js';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import type { Database } from '../pipeline/db.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';
import { runNightly } from '../pipeline/jobs/nightly.js';
import { memoryDb, tempDir } from './helpers.js';

/** Paths the hand-made cases share. */
export const S = 'C:\\Windows\\System32';
export const EXPLORER = 'C:\\Windows\\explorer.exe';
export const AGENT = 'C:\\Program Files\\Agent\\agent.exe';
/** A console opened bare: `"C:\Windows\System32\cmd.exe" `. */
export const CONSOLE = `"${S}\\cmd.exe" `;
/** The Service Control Manager's image, which every service's process names as its parent. */
export const SERVICES = `${S}\\services.exe`;
/** The machine's own logon session and account, as `p`'s last arguments but the host. */
export const SYSTEM = ['0x3e7', 'NT AUTHORITY\\SYSTEM'] as const;

/**
 * A small generated fleet (10 hosts, 5 days, no attacks) into which a test writes hand-made
 * events and alerts (a `cases/` folder per day, loaded by nightly with the fleet's own files), for
 * the context tests that build a case by hand: history on the first four days, the case on the last.
 */
export interface CaseFleet {
  fleet: string; days: string[]; day: string; db: Database; hosts: string[];
  /** The hosts as the events store them (their key: the first label; the fleet's files name them by FQDN). */
  keys: string[];
}

export async function caseFleet(): Promise<CaseFleet> {
  const fleet = tempDir();
  const m = await generateFleet({ ...GENERATE_DEFAULTS, hosts: 10, days: 5, out: fleet, attackRate: 0 });
  const db = await memoryDb();
  const hosts = (await db.all<{ host: string }>(`SELECT DISTINCT host FROM read_parquet($1) ORDER BY host`, [join(fleet, m.days[0]!, 'process_events.parquet')])).map((h) => h.host);
  return { fleet, days: m.days, day: m.days.at(-1)!, db, hosts, keys: hosts.map((h) => h.split('.')[0]!) };
}

/** A day's hand-made process starts: `p(time, pid, ppid, image, parent image, command line, logon id, user, host)`. */
export function processRows(d: string, defaultHost: string) {
  const out: Record<string, unknown>[] = [];
  const p = (t: string, pid: number, ppid: number, image: string, parent: string, cmd: string, logon: string, user: string, host = defaultHost) =>
    out.push({ event_id: `ev-${d}-${out.length + 1}`, ts: `${d}T${t}Z`, host, user_name: user, logon_id: logon, process_id: pid, image, command_line: cmd,
      parent_process_id: ppid, parent_image: parent });
  return { out, p };
}

const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Write a day's hand-made canonical rows (process_events, alerts, logon_events) into its `cases/` folder. */
export function writeCases(fleet: string, d: string, tables: Record<string, unknown[]>): void {
  mkdirSync(join(fleet, d, 'cases'));
  for (const [table, rows] of Object.entries(tables)) writeFileSync(join(fleet, d, 'cases', `${table}.ndjson`), ndjson(rows));
}

/** Nightly over the history days (the fleet's files and their cases). */
export async function nightlyHistory(f: CaseFleet): Promise<void> {
  for (const d of f.days.slice(0, -1)) await runNightly(f.db, { date: d, input: f.fleet, thresholds: DEFAULT_THRESHOLDS });
}

/** Nightly over the case's day, then the day's context reports with the default thresholds. */
export async function caseReports(f: CaseFleet): Promise<ReportRecord[]> {
  await runNightly(f.db, { date: f.day, input: f.fleet, thresholds: DEFAULT_THRESHOLDS });
  return readReports(f.db, (await makeContextReports(f.db, f.day, f.day, DEFAULT_THRESHOLDS)).runId);
}

/**
 * The usual start of a hand-made case: the fleet, its history days run by nightly, and the case
 * day's process rows (`p`, on hosts[0] unless told) to fill.
 */
export async function caseStart(): Promise<{ f: CaseFleet; day: string; hosts: string[] } & ReturnType<typeof processRows>> {
  const f = await caseFleet();
  await nightlyHistory(f);
  return { f, day: f.day, hosts: f.keys, ...processRows(f.day, f.keys[0]!) };
}
