import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Database } from '../pipeline/db.js';
import { ROOT } from './helpers.js';

/**
 * Every stored table a nightly day writes, as text in a stable order, without what differs between
 * two correct runs by design: run and load ids, wall-clock times.
 */
const TABLES: Record<string, string> = {
  process_events: 'SELECT * EXCLUDE (load_id) FROM process_events',
  logon_events: 'SELECT * EXCLUDE (load_id) FROM logon_events',
  alerts: 'SELECT * EXCLUDE (load_id) FROM alerts',
  labels: 'SELECT * EXCLUDE (load_id) FROM labels',
  rejects: 'SELECT * EXCLUDE (load_id) FROM rejects',
  // Ledgers keep history: a run killed after its commit, then rerun, adds a load that found every row
  // a duplicate and a second 'ok' run. What they say about the stored rows must not change.
  load_ledger: 'SELECT * EXCLUDE (load_id, started_at, finished_at) FROM load_ledger WHERE loaded_process + loaded_logon + loaded_alerts + loaded_labels + rejected > 0',
  context_runs: 'SELECT * EXCLUDE (run_id, created_at) FROM context_runs',
  context_reports: 'SELECT * EXCLUDE (run_id) FROM context_reports',
  context_report_items: 'SELECT * EXCLUDE (run_id) FROM context_report_items',
  run_ledger_runs: "SELECT DISTINCT run_date, status FROM run_ledger WHERE stage = 'run' AND status = 'ok'",
  running: "SELECT run_date FROM run_ledger WHERE status = 'running'",
};
for (const t of [
  'agg_template_daily', 'agg_process_daily', 'agg_parent_child_daily', 'agg_logon_daily', 'agg_minute_daily', 'agg_days',
  'baseline_runs', 'baseline_template', 'baseline_host_template', 'baseline_process', 'baseline_parent_child',
  'baseline_logon', 'baseline_host_logon', 'baseline_host_burst', 'process_rarity', 'logon_rarity',
]) TABLES[t] = `SELECT * FROM ${t}`;

export async function tablesSnapshot(dbPath: string): Promise<Record<string, string>> {
  const db = await Database.open(dbPath, 'existing');
  try {
    const out: Record<string, string> = {};
    for (const [name, sql] of Object.entries(TABLES)) out[name] = JSON.stringify(await db.all(`${sql} ORDER BY ALL`), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    return out;
  } finally {
    db.close();
  }
}

/** Every file under `dir` and its bytes. */
export function outputSnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out[relative(dir, join(d, e.name))] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir);
  return out;
}

/**
 * Run the CLI; with `killAfterMs`, SIGKILL it then, or once its stderr matches `killWhen`. Resolves
 * with the exit code (null when killed) and stderr.
 */
export function runCliKilled(args: string[], killAfterMs?: number, killWhen?: RegExp): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    // node + tsx directly (not bin/'s sh wrapper and tsx's own parent), so that SIGKILL hits the process doing the work.
    const child = spawn(process.execPath, ['--import', pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, join(ROOT, 'pipeline', 'main.ts'), ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (killWhen?.test(stderr)) child.kill('SIGKILL');
    });
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

