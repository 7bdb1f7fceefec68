import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { withDatabase } from './db.js';
import { GENERATE_DEFAULTS, generateFleet } from './generate/generate-fleet.js';
import type { GenerateManifest } from './generate/generate-fleet.js';
import { loadFiles } from './load/load-files.js';
import type { LoadSummary } from './load/load-files.js';

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
  load: LoadSummary;
  seconds: { generate: number; load: number };
}

/**
 * The main job end to end on a generated sample: a fresh synthetic fleet into OUT/fleet, loaded
 * into OUT/warehouse.duckdb. Later stages (baselines, context reports, retro, weekly) extend it.
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
  const load = await withDatabase(dbPath, (db) =>
    loadFiles(db, { inputs: [fleetDir], format: 'auto', onFile: (file, i, n) => opts.progress?.(`loading ${i + 1}/${n} ${file}`) }),
  );
  return { fleetDir, dbPath, manifest, load, seconds: { generate: generateSeconds, load: (Date.now() - t) / 1000 } };
}
