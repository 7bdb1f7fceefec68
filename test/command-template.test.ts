import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listValue } from '@duckdb/node-api';
import type { Database } from '../pipeline/db.js';
import { sqlFile } from '../pipeline/db.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';
import { loadFiles } from '../pipeline/load/load-files.js';
import { FIXTURES, memoryDb, tempDir } from './helpers.js';

interface Golden { in: string; out: string }
const golden = JSON.parse(readFileSync(join(FIXTURES, 'templates.golden.json'), 'utf8')) as { otrf: Golden[]; spec: Golden[] };

describe('command-line templates (ac_template)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
  });
  afterAll(() => db.close());
  const template = async (cmd: string) => (await db.one<{ t: string }>('SELECT ac_template($1) AS t', [cmd])).t;

  it(`matches the golden templates of ${golden.otrf.length} real OTRF command lines and both SPEC.md scripts`, async () => {
    expect(golden.otrf.length).toBeGreaterThanOrEqual(40);
    for (const g of [...golden.otrf, ...golden.spec]) expect(await template(g.in), g.in).toBe(g.out);
  });

  it.each([
    ['GUIDs', 'C:\\Windows\\system32\\DllHost.exe /Processid:{3EB3C877-1F16-487C-9050-104DBCD66683}', 'C:\\Windows\\system32\\DllHost.exe /Processid:{776DBC8D-7347-478C-8D71-791E12EF49D8}'],
    ['user profiles', '"C:\\Users\\IT01-Pedro\\Downloads\\payload.exe" ', '"C:\\Users\\pedro\\Downloads\\payload.exe" '],
    ['compiler temp names', '"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe" /noconfig /fullpaths @"C:\\Users\\pgustavo\\AppData\\Local\\Temp\\avdbqyi5\\avdbqyi5.cmdline"', '"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe" /noconfig /fullpaths @"C:\\Users\\pgustavo\\AppData\\Local\\Temp\\qu22daba\\qu22daba.cmdline"'],
    ['versions', '"C:\\Users\\sbeavers\\AppData\\Local\\Microsoft\\OneDrive\\19.002.0107.0005\\FileSyncConfig.exe" ', '"C:\\Users\\wardog\\AppData\\Local\\Microsoft\\OneDrive\\21.150.0725.0001\\FileSyncConfig.exe"'],
    ['encoded payloads', 'powershell -noP -sta -w 1 -enc  SQBGACgAJABQAFMAVgBFAHIAcwBJAG8ATgBUAGEAQgBMAGUALgBQAFMAVgB', 'powershell -noP -sta -w 1 -enc SQBmACgAJABQAFMAVgBFAFIAUwBpAE8AbgBUAGEAQgBsAEUALgBQAFMAVgBmAA=='],
    ['dated logs and numbers', 'robocopy D:\\Shares\\a1 \\\\backup01\\a1 /MIR /LOG+:D:\\Logs\\robocopy_20261101.log /session:48213377', 'robocopy D:\\Shares\\a1 \\\\backup01\\a1 /MIR /LOG+:D:\\Logs\\robocopy_20261102.log /session:10993020'],
    ['hashes', 'wusa.exe C:\\Windows\\SoftwareDistribution\\Download\\9a0364b9e99bb480dd25e1f0284c8555\\kb.msu /quiet', 'wusa.exe C:\\Windows\\SoftwareDistribution\\Download\\0b7c1c7f00013c1e0f5e0d2a4b9e9a5d\\kb.msu /quiet'],
    ['addresses', 'ping.exe 10.0.5.21 -n 1', 'ping.exe 10.0.7.3 -n 1'],
    ['temp files', 'cvtres.exe /out:C:\\Windows\\TEMP\\RES37C9.tmp C:\\Windows\\TEMP\\tmpA1B2.tmp', 'cvtres.exe /out:C:\\Windows\\TEMP\\RES11F0.tmp C:\\Windows\\TEMP\\tmp99C0.tmp'],
    ['case, quotes and spaces', '"C:\\Windows\\system32\\cmd.exe"   /c  whoami', 'c:\\windows\\system32\\CMD.EXE /c whoami'],
  ])('collapses benign variants: %s', async (_name, a, b) => {
    expect(await template(a)).toBe(await template(b));
  });

  it('keeps what is distinctive in attackers\' lines', async () => {
    const spec = await Promise.all(golden.spec.map((g) => template(g.in)));
    expect(spec).toContain('ftp -s:c:\\xpoffice.exe');
    expect(spec.some((t) => t.includes('/g system:f'))).toBe(true);
    expect(spec.some((t) => t.includes('administrators abai$/add'))).toBe(true);
    expect(spec.some((t) => t.includes('ttqlhcjntzllto.exe'))).toBe(true);
    // Different attacker lines stay different templates (the scripts repeat some lines verbatim).
    expect(new Set(spec).size).toBe(new Set(golden.spec.map((g) => g.in.toLowerCase().replace(/"/g, '').replace(/\s+/g, ' ').trim())).size);
    // ... and differ from the benign lines of the same programs.
    expect(await template('ftp -s:c:\\xpoffice.exe')).not.toBe(await template('ftp -s:c:\\backup\\upload.txt'));
    expect(await template('net localgroup administrators abai$/add')).not.toBe(await template('net localgroup administrators'));
    expect(await template('cacls cmd.exe /e /t /g system:f')).not.toBe(await template('cacls D:\\Shares\\a1b2c3 /e /g CONTOSO\\jdoe:C'));
  });

  it('collapses the generated fleet\'s benign command lines by orders of magnitude', async () => {
    const out = tempDir();
    await generateFleet({ ...GENERATE_DEFAULTS, hosts: 10, days: 2, out });
    await loadFiles(db, { inputs: [out], format: 'auto' });
    const r = await db.one<{ lines: number; templates: number }>(
      `SELECT count(DISTINCT command_line) AS lines, count(DISTINCT ac_template(command_line)) AS templates
       FROM process_events WHERE event_id NOT IN (SELECT id FROM labels WHERE kind = 'event')`,
    );
    expect(r.lines).toBeGreaterThan(10_000);
    expect(r.templates).toBeLessThan(r.lines / 50);

    // The nightly templating (aggregates/period_templates.sql: rule by rule, rules skipped when a
    // substring test shows they cannot match) gives ac_template's template for every line, the
    // golden and edge lines included.
    await db.run(`INSERT INTO process_events (event_id, ts, host, image, command_line, source)
                  SELECT 'edge-' || i, TIMESTAMP '2026-11-01 12:00:00', 'edge', 'x.exe', line, 'test'
                  FROM (SELECT unnest($1::VARCHAR[]) AS line, generate_subscripts($1::VARCHAR[], 1) AS i)`,
      [listValue([...golden.otrf, ...golden.spec].map((g) => g.in).concat(['a § b', 'C:\\Users\\x\\§1234567890abcdefXYZ.tmp', '  \\??\\C:\\Windows\\Temp\\ab12cd34\\ab12cd34.cmdline',
        // quotes and edge spaces, the no-break and ideographic spaces DuckDB's trim strips too
        '"C:\\Tools\\X.exe" /a\u00a0', '\u3000cmd.exe /c "dir"', 'ping\u2009',
        // the hex rule's one-pass form: mixed runs of 7, 8 and more, i digits or letters first,
        // pure runs, 0x numbers, and '§' around a run (the macro's marker: that line takes the macro)
        'x 123456a 1234567a a1234567 abcdef1 1a2b3c4d5e deadbeef 12345678 0x1f 0xzz 7abcdef0 fedcba9 12a45678 zz1234abcdg',
        'x §12345678§ ab§cd123456 §abc1234 a§b',
        // the whitespace rule's gate: tab, newline, form feed, carriage return, a double space, a
        // vertical tab (not RE2's \s: kept); the date rule's: dates of 19xx and 20xx, none
        'a\tb', 'a\nb', 'a\fb', 'a\rb', 'a  b', 'a\u000bb', 'log_19991231.txt', '2001-02-03t04:05:06z', 'x 2019 1920 20-11-01 31.12.2026']))]);
    const days = await db.one<{ lo: string; hi: string }>(`SELECT min(ts)::DATE::VARCHAR AS lo, max(ts)::DATE::VARCHAR AS hi FROM process_events`);
    await db.run('SET VARIABLE ac_from = $1::DATE', [days.lo]);
    await db.run('SET VARIABLE ac_to = $1::DATE', [days.hi]);
    await db.exec(sqlFile('aggregates/period_templates.sql'));
    const differ = await db.one<{ lines: number; differ: number }>(
      'SELECT count(*) AS lines, count(*) FILTER (WHERE template IS DISTINCT FROM ac_template(command_line)) AS differ FROM period_templates');
    expect(differ.lines).toBeGreaterThan(10_000);
    expect(differ.differ).toBe(0);
  });
});
