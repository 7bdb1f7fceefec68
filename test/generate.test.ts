import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_KINDS } from '../models/attack-campaigns.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';
import type { GenerateManifest } from '../pipeline/generate/generate-fleet.js';
import { OUTPUT_FORMATS } from '../pipeline/generate/writers.js';
import { loadFiles } from '../pipeline/load/load-files.js';
import { memoryDb, tempDir } from './helpers.js';

function digestTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      if (name.isDirectory()) walk(join(d, name.name), `${prefix}${name.name}/`);
      else out[prefix + name.name] = createHash('sha256').update(readFileSync(join(d, name.name))).digest('hex');
    }
  };
  walk(dir, '');
  return out;
}

const small = (out: string, over: Partial<Parameters<typeof generateFleet>[0]> = {}) =>
  generateFleet({ ...GENERATE_DEFAULTS, hosts: 8, days: 2, out, ...over });

describe('generate', () => {
  it('is deterministic: same seed, same bytes; another seed, other data', async () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    await small(a, { seed: 7 });
    await small(b, { seed: 7 });
    await small(c, { seed: 8 });
    const da = digestTree(a);
    expect(Object.keys(da)).toContain('2026-11-01/process_events.parquet');
    expect(digestTree(b)).toEqual(da);
    const dc = digestTree(c);
    expect(dc['2026-11-01/process_events.parquet']).not.toBe(da['2026-11-01/process_events.parquet']);
    // A shorter fleet generated over it leaves none of its day folders behind (nightly --input would load them),
    // and nothing that was not its own.
    writeFileSync(join(c, 'notes.txt'), 'mine');
    await small(c, { seed: 8, days: 1, format: 'winevent' });
    expect(readdirSync(c).sort()).toEqual(['2026-11-01', 'manifest.json', 'notes.txt']);
    expect(readdirSync(join(c, '2026-11-01')).some((f) => f.endsWith('.parquet'))).toBe(false); // no earlier format's files
  });

  describe('at default settings for 20 hosts x 7 days', () => {
    let out: string;
    let manifest: GenerateManifest;
    beforeAll(async () => {
      out = tempDir();
      manifest = await generateFleet({ ...GENERATE_DEFAULTS, hosts: 20, days: 7, out });
    });

    it('holds every campaign kind, labeled per event with campaign id and kind', () => {
      const labels = manifest.days.flatMap((d) =>
        readFileSync(join(out, d, 'labels.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { kind: string; malicious: boolean; campaign_kind: string | null; campaign_id: string | null }));
      for (const k of CAMPAIGN_KINDS) {
        expect(manifest.campaigns_by_kind[k.kind]!.campaigns, k.kind).toBeGreaterThan(0);
        expect(labels.filter((l) => l.kind === 'event' && l.campaign_kind === k.kind).length, k.kind).toBeGreaterThan(0);
      }
      expect(labels.filter((l) => l.kind === 'event').every((l) => l.malicious && l.campaign_id)).toBe(true);
      expect(labels.filter((l) => l.kind === 'alert').length).toBe(manifest.counts.alerts);
    });

    it('has about as many false-positive alerts as true ones, every alert labeled', () => {
      const { alerts_true_positive: tp, alerts_false_positive: fp } = manifest.counts;
      expect(tp).toBeGreaterThan(5);
      expect(Math.abs(fp - tp)).toBeLessThanOrEqual(1);
    });

    it('loads with 0 rejects; benign command lines have high raw cardinality; attacks are realistic', async () => {
      const db = await memoryDb();
      try {
        const s = await loadFiles(db, { inputs: [out], format: 'auto' });
        expect(s.totals.rejected).toBe(0);
        expect(s.totals.loaded.process_events).toBe(manifest.counts.process_events);
        const perHostDay = manifest.counts.process_events / (20 * 7);
        expect(perHostDay).toBeGreaterThan(1000);
        expect(perHostDay).toBeLessThan(2000);
        const card = await db.one<{ distinct_cmd: number; n: number; images: number }>(
          `SELECT count(DISTINCT command_line) AS distinct_cmd, count(*) AS n, count(DISTINCT process_name) AS images
           FROM process_events WHERE event_id NOT IN (SELECT id FROM labels WHERE kind = 'event')`,
        );
        expect(card.distinct_cmd / card.n).toBeGreaterThan(0.5); // GUIDs, versions, temp names, dates
        expect(card.images).toBeLessThan(120); // ... from a modest set of programs
        // Brute force: many failed RDP logons from one source before the success.
        const brute = await db.all<{ failures: number }>(
          `SELECT count(*) FILTER (WHERE outcome = 'failure') AS failures FROM logon_events
           WHERE event_id IN (SELECT id FROM labels WHERE campaign_kind = 'rdp-bruteforce-recon') AND logon_type = 10
           GROUP BY host`,
        );
        expect(brute.length).toBeGreaterThan(0);
        expect(Math.min(...brute.map((b) => b.failures))).toBeGreaterThanOrEqual(20);
        // Attack steps run in the attacker's logon session: one logon id per campaign and run.
        const sessions = await db.all<{ campaign_id: string; ids: number }>(
          `SELECT l.campaign_id, count(DISTINCT p.logon_id) AS ids FROM process_events p JOIN labels l ON l.kind = 'event' AND l.id = p.event_id GROUP BY 1`,
        );
        expect(sessions.every((x) => x.ids === 1)).toBe(true);
        // Admins' RDP logons to servers from the jump hosts (benign, type 10).
        const admin = await db.one<{ n: number }>(
          `SELECT count(*) AS n FROM logon_events WHERE logon_type = 10 AND outcome = 'success' AND source_host LIKE 'JUMP%'
             AND event_id NOT IN (SELECT id FROM labels)`,
        );
        expect(admin.n).toBeGreaterThan(0);
      } finally {
        db.close();
      }
    });
  });

  it('every output format loads with 0 rejects, equal row counts, and labels that find their events', async () => {
    const counts: Record<string, unknown> = {};
    for (const format of OUTPUT_FORMATS) {
      const out = tempDir();
      await generateFleet({ ...GENERATE_DEFAULTS, hosts: 6, days: 1, out, format });
      const db = await memoryDb();
      try {
        const s = await loadFiles(db, { inputs: [out], format: 'auto' });
        expect(s.totals.rejected, format).toBe(0);
        expect(s.totals.duplicates, format).toBe(0);
        const found = await db.one<{ labels: number; found: number }>(
          `SELECT count(*) AS labels, count(p.event_id) + count(l.event_id) + count(a.alert_id) AS found
           FROM labels lb
           LEFT JOIN process_events p ON lb.kind = 'event' AND p.event_id = lb.id
           LEFT JOIN logon_events l ON lb.kind = 'event' AND l.event_id = lb.id
           LEFT JOIN alerts a ON lb.kind = 'alert' AND a.alert_id = lb.id`,
        );
        expect(found.found, format).toBe(found.labels);
        counts[format] = { ...s.totals.loaded, users: (await db.one('SELECT count(DISTINCT user_name) AS n FROM process_events'))['n'] };
      } finally {
        db.close();
      }
    }
    expect(new Set(Object.values(counts).map((c) => JSON.stringify(c))).size).toBe(1);
  });

  it('refuses bad options with the option named', async () => {
    await expect(small(tempDir(), { start: '2026-13-45' })).rejects.toThrow(/--start/);
    await expect(small(tempDir(), { hosts: 1 })).rejects.toThrow(/--hosts/);
  });
});
