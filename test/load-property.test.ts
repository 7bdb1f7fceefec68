import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../pipeline/db.js';
import { InputFileError } from '../pipeline/errors.js';
import { loadFiles } from '../pipeline/load/load-files.js';
import { FIXTURES, memoryDb, tempDir } from './helpers.js';

/** make soak sets AC_FUZZ_RECORDS=10000. */
const RECORDS = Number(process.env['AC_FUZZ_RECORDS'] ?? 1500);
const RUNS = 15;

/** Real records to mutate: the canonical fixtures and the bad-input lines (winevent). */
const realLines = () => [
  ...readFileSync(join(FIXTURES, 'canonical', 'process_events.ndjson'), 'utf8').split('\n'),
  ...readFileSync(join(FIXTURES, 'bad', 'winevent_bad.jsonl'), 'utf8').split('\n'),
].filter((l) => l.trim() !== '');

const value = fc.oneof(
  fc.string(), fc.integer(), fc.double(), fc.constantFrom(null, true, '', '-', 'N/A', '0x3e7', '3.7', '4294967296', '1601-01-01T00:00:00Z',
    '2026-11-01T10:00:00+25:00', '2026-11-01T10:00:00Z', '\u001b[2J', '=cmd|calc', 'C:\\Windows\\cmd.exe', '\u0000'),
);
const record = fc.record({
  event_id: fc.option(fc.string({ maxLength: 8 })), ts: value, host: value, image: value, command_line: value, process_id: value,
  logon_id: value, parent_process_id: value, EventID: fc.constantFrom(1, 4688, 4624, 5156), Hostname: value, Channel: fc.constantFrom('Security', 'Microsoft-Windows-Sysmon/Operational'),
}, { requiredKeys: [] });

/** A line: a random record, a real one, or a real one mutated (cut, a byte flipped, a field replaced). */
const line = (real: string[]) => fc.oneof(
  record.map((r) => JSON.stringify(r)),
  fc.constantFrom(...real),
  fc.tuple(fc.constantFrom(...real), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([l, i, b]) => {
    const at = i % Math.max(1, l.length);
    return l.slice(0, at) + String.fromCharCode(b) + l.slice(at + 1);
  }),
  fc.tuple(fc.constantFrom(...real), fc.nat()).map(([l, i]) => l.slice(0, i % Math.max(1, l.length))),
  fc.string(),
);

describe('the loader, property-based (fast-check)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
  });
  afterAll(() => db.close());

  it(`arbitrary and mutated records (${RUNS} files, about ${RECORDS} records): read = loaded + skipped + rejected + duplicates, every row stored or in rejects, never a crash`, async () => {
    const real = realLines();
    const dir = tempDir();
    let n = 0;
    const perFile = Math.max(1, Math.floor(RECORDS / RUNS));
    await fc.assert(
      fc.asyncProperty(fc.array(line(real), { minLength: perFile, maxLength: perFile }), fc.constantFrom('canonical', 'winevent'), async (lines, format) => {
        n++;
        const file = join(dir, format === 'canonical' ? `fuzz-${n}/process_events.ndjson` : `fuzz-${n}.jsonl`);
        if (format === 'canonical') mkdirSync(join(dir, `fuzz-${n}`), { recursive: true });
        // Newlines inside a generated string make more lines: one line per record as written.
        const text = lines.map((l) => l.replace(/[\r\n]/g, ' ')).join('\n') + '\n';
        writeFileSync(file, text);
        const before = await db.one<{ p: number; r: number }>('SELECT (SELECT count(*) FROM process_events) + (SELECT count(*) FROM logon_events) AS p, (SELECT count(*) FROM rejects) AS r');
        let s;
        try {
          s = await loadFiles(db, { inputs: [file], format: format as 'canonical' | 'winevent' });
        } catch (err) {
          // Only a file-level refusal is allowed, never a crash.
          expect(err).toBeInstanceOf(InputFileError);
          return;
        }
        const f = s.files[0]!;
        const loaded = f.loaded.process_events + f.loaded.logon_events + f.loaded.alerts + f.loaded.labels;
        expect(f.read).toBe(text.split('\n').filter((l) => l.trim() !== '').length);
        expect(f.read).toBe(loaded + f.skipped + f.rejected + f.duplicates);
        const after = await db.one<{ p: number; r: number }>('SELECT (SELECT count(*) FROM process_events) + (SELECT count(*) FROM logon_events) AS p, (SELECT count(*) FROM rejects) AS r');
        expect(after.p - before.p).toBe(loaded);
        expect(after.r - before.r).toBe(f.rejected);
      }),
      { numRuns: RUNS, seed: 13 },
    );
  }, 600_000);
});
