import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDatabase } from '../pipeline/db.js';
import { runDemo } from '../pipeline/demo.js';
import { tempDir } from './helpers.js';

describe('demo', () => {
  it('generates a sample fleet and loads all of it, and a rerun gives the same warehouse', async () => {
    const out = tempDir();
    const r = await runDemo({ out, hosts: 6, days: 2, seed: 3 });
    expect(existsSync(join(out, 'fleet', 'manifest.json'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'fleet', 'manifest.json'), 'utf8'));
    expect(r.load.totals.rejected).toBe(0);
    expect(r.load.totals.loaded.process_events).toBe(manifest.counts.process_events);
    expect(r.load.totals.read).toBe(r.load.totals.loaded.process_events + r.load.totals.loaded.logon_events + r.load.totals.loaded.alerts + r.load.totals.loaded.labels + r.load.totals.skipped + r.load.totals.rejected + r.load.totals.duplicates);
    const ledger = await withDatabase(r.dbPath, (db) => db.one<{ n: number }>("SELECT count(*) AS n FROM run_ledger WHERE stage = 'run' AND status = 'ok'"));
    expect(ledger.n).toBe(2);
    const count = () => withDatabase(r.dbPath, (db) => db.one('SELECT count(*) AS n, sum(hash(event_id)) AS h FROM process_events'));
    const first = await count();
    await runDemo({ out, hosts: 6, days: 2, seed: 3 });
    expect(await count()).toEqual(first);
  });
});
