import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDatabase } from '../pipeline/db.js';
import { runDemo } from '../pipeline/jobs/demo.js';
import { tempDir } from './helpers.js';

describe('demo', () => {
  it('generates a sample fleet, runs nightly, retro, tune and weekly on it, and a rerun gives the same warehouse', async () => {
    const out = tempDir();
    const r = await runDemo({ out, hosts: 6, days: 2, seed: 3 });
    expect(existsSync(join(out, 'fleet', 'manifest.json'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'fleet', 'manifest.json'), 'utf8'));
    expect(r.load.totals.rejected).toBe(0);
    expect(r.load.totals.loaded.process_events).toBe(manifest.counts.process_events);
    expect(r.load.totals.read).toBe(r.load.totals.loaded.process_events + r.load.totals.loaded.logon_events + r.load.totals.loaded.alerts + r.load.totals.loaded.labels + r.load.totals.skipped + r.load.totals.rejected + r.load.totals.duplicates);
    const ledger = await withDatabase(r.dbPath, (db) => db.one<{ n: number }>("SELECT count(*) AS n FROM run_ledger WHERE stage = 'run' AND status = 'ok'"));
    expect(ledger.n).toBe(2);
    // Retro, tune and weekly ran on the sample and wrote their files.
    expect(r.retro.run.alerts).toBe(manifest.counts.alerts);
    expect(r.retro.files.map((f) => f.slice(out.length + 1))).toEqual([
      'retro/reports.ndjson', 'retro/metrics.json', 'retro/metrics.csv', 'retro/metrics.parquet', 'retro/metrics.arrow',
    ]);
    expect(r.tune.points).toHaveLength(32);
    for (const f of ['tune/tune.svg', 'tune/tune.csv', 'weekly']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(existsSync(r.weekly.files.html)).toBe(true);
    const count = () => withDatabase(r.dbPath, (db) => db.one('SELECT count(*) AS n, sum(hash(event_id)) AS h FROM process_events'));
    const first = await count();
    await runDemo({ out, hosts: 6, days: 2, seed: 3 });
    expect(await count()).toEqual(first);
  });
});
