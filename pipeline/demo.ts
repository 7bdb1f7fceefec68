import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { runNightly } from './baseline/nightly.js';
import { withDatabase } from './db.js';
import { GENERATE_DEFAULTS, generateFleet } from './generate/generate-fleet.js';
import type { GenerateManifest } from './generate/generate-fleet.js';
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
  for (const p of [fleetDir, dbPath, `${dbPath}.wal`]) rmSync(p, { recursive: true, force: true });

  let t = Date.now();
  const manifest = await generateFleet({
    ...GENERATE_DEFAULTS, hosts: opts.hosts, days: opts.days, seed: opts.seed, out: fleetDir,
    onDay: (day, i, n) => opts.progress?.(`generating ${day} (${i + 1}/${n})`),
  });
  const generateSeconds = (Date.now() - t) / 1000;
  t = Date.now();
  const totals: FileCounts = { read: 0, loaded: { process_events: 0, logon_events: 0, alerts: 0, labels: 0 }, skipped: 0, rejected: 0, duplicates: 0, truncated: 0 };
  let files = 0;
  const unusual = await withDatabase(dbPath, async (db) => {
    for (const [i, day] of manifest.days.entries()) {
      opts.progress?.(`nightly ${day} (${i + 1}/${manifest.days.length})`);
      const r = await runNightly(db, { date: day, input: fleetDir, thresholds: DEFAULT_THRESHOLDS });
      const l = r.load!;
      files += l.files.length;
      totals.read += l.totals.read;
      totals.skipped += l.totals.skipped;
      totals.rejected += l.totals.rejected;
      totals.duplicates += l.totals.duplicates;
      totals.truncated += l.totals.truncated;
      for (const k of Object.keys(totals.loaded) as (keyof FileCounts['loaded'])[]) totals.loaded[k] += l.totals.loaded[k];
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
    return { ...c, examples };
  });
  return { fleetDir, dbPath, manifest, load: { totals, files }, unusual, seconds: { generate: generateSeconds, nightly: (Date.now() - t) / 1000 } };
}
