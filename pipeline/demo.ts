import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { runNightly } from './baseline/nightly.js';
import { readReports, writeReports } from './context/write-reports.js';
import type { ReportRecord } from './context/write-reports.js';
import { withDatabase } from './db.js';
import { GENERATE_DEFAULTS, generateFleet } from './generate/generate-fleet.js';
import type { GenerateManifest } from './generate/generate-fleet.js';
import { addCounts, emptyCounts } from './load/load-files.js';
import type { FileCounts } from './load/load-files.js';

export interface DemoOptions {
  out: string;
  hosts: number;
  days: number;
  seed: number;
  progress?: (message: string) => void;
}

export interface DemoResult {
  fleetDir: string;
  dbPath: string;
  manifest: GenerateManifest;
  /** What the nightly runs loaded, summed over the days. */
  load: { totals: FileCounts; files: number };
  /** Events scored unusual, and how many of them are labeled malicious. */
  unusual: { processes: number; malicious: number; logons: number; bursts: number; examples: { reason: string; malicious: boolean }[] };
  /** Context reports made by the nightly runs, written to OUT/context. */
  reports: { alerts: number; reports: number; trueAlertsReported: number; trueAlerts: number; falseAlertsReported: number; falseAlerts: number; example: string | null };
  seconds: { generate: number; nightly: number };
}

/**
 * The main job end to end on a generated sample: a fresh synthetic fleet into OUT/fleet, then the
 * nightly run day by day into OUT/warehouse.duckdb (load, aggregates, baselines, scores). Later
 * stages (context reports, retro, tune, weekly) extend it.
 */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const fleetDir = join(opts.out, 'fleet');
  const dbPath = join(opts.out, 'warehouse.duckdb');
  // The demo's output is generated: start clean so that a rerun gives the same result.
  for (const p of [fleetDir, dbPath, `${dbPath}.wal`, join(opts.out, 'context')]) rmSync(p, { recursive: true, force: true });

  let t = Date.now();
  const manifest = await generateFleet({
    ...GENERATE_DEFAULTS, hosts: opts.hosts, days: opts.days, seed: opts.seed, out: fleetDir,
    onDay: (day, i, n) => opts.progress?.(`generating ${day} (${i + 1}/${n})`),
  });
  const generateSeconds = (Date.now() - t) / 1000;
  t = Date.now();
  let totals: FileCounts = emptyCounts();
  let files = 0;
  const allReports: ReportRecord[] = [];
  const unusual = await withDatabase(dbPath, async (db) => {
    for (const [i, day] of manifest.days.entries()) {
      opts.progress?.(`nightly ${day} (${i + 1}/${manifest.days.length})`);
      const r = await runNightly(db, { date: day, input: fleetDir, thresholds: DEFAULT_THRESHOLDS });
      if (r.contextRunId !== undefined) allReports.push(...(await readReports(db, r.contextRunId)));
      const l = r.load!;
      files += l.files.length;
      totals = addCounts(totals, l.totals);
    }
    const c = await db.one<{ processes: number; malicious: number; logons: number; bursts: number }>(
      `SELECT (SELECT count(*) FROM process_rarity WHERE unusual) AS processes,
              (SELECT count(*) FROM process_rarity r JOIN labels l ON l.kind = 'event' AND l.id = r.event_id WHERE r.unusual) AS malicious,
              (SELECT count(*) FROM logon_rarity WHERE unusual) AS logons,
              (SELECT count(*) FROM host_bursts WHERE unusual) AS bursts`,
    );
    const examples = await db.all<{ reason: string; malicious: boolean }>(
      `SELECT r.reason, l.id IS NOT NULL AS malicious FROM process_rarity r
       LEFT JOIN labels l ON l.kind = 'event' AND l.id = r.event_id
       WHERE r.unusual ORDER BY l.id IS NULL, r.score DESC, r.event_id LIMIT 4`,
    );
    const coverage = await db.one<{ alerts: number; tp: number; fp: number; tp_reported: number; fp_reported: number }>(
      `WITH reported AS (SELECT DISTINCT alert_id FROM context_reports r JOIN context_runs c USING (run_id) WHERE c.kind = 'nightly')
       SELECT count(*) AS alerts, count(*) FILTER (WHERE l.malicious) AS tp, count(*) FILTER (WHERE NOT l.malicious) AS fp,
              count(*) FILTER (WHERE l.malicious AND a.alert_id IN (SELECT alert_id FROM reported)) AS tp_reported,
              count(*) FILTER (WHERE NOT l.malicious AND a.alert_id IN (SELECT alert_id FROM reported)) AS fp_reported
       FROM alerts a JOIN labels l ON l.kind = 'alert' AND l.id = a.alert_id`,
    );
    return { ...c, examples, coverage };
  });
  writeReports(join(opts.out, 'context'), allReports);
  const best = allReports.filter((r) => r.items.length >= 5).sort((a, b) => b.score - a.score || a.alert_time.localeCompare(b.alert_time))[0];
  const reports = {
    alerts: unusual.coverage.alerts, reports: allReports.length, trueAlerts: unusual.coverage.tp, trueAlertsReported: unusual.coverage.tp_reported,
    falseAlerts: unusual.coverage.fp, falseAlertsReported: unusual.coverage.fp_reported, example: best ? best.context_event_activity : null,
  };
  const { coverage: _coverage, ...unusualCounts } = unusual;
  return { fleetDir, dbPath, manifest, load: { totals, files }, unusual: unusualCounts, reports, seconds: { generate: generateSeconds, nightly: (Date.now() - t) / 1000 } };
}
