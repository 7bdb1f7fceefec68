import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../pipeline/db.js';
import { loadFiles } from '../pipeline/load/load-files.js';
import type { LoadSummary } from '../pipeline/load/load-files.js';
import { writeFileSync } from 'node:fs';
import { OTRF, OTRF_ATOMIC, OTRF_INPUTS, memoryDb, tempDir } from './helpers.js';

const FILES = [
  join(OTRF_ATOMIC, 'all_atomic_windows.proc_logon.jsonl.gz'),
  join(OTRF, 'empire_persistence_registry_modification_run_keys_standard_user_2020-09-04030609.proc_logon.json.gz'),
  join(OTRF, 'empire_psexec_dcerpc_tcp_svcctl_2020-09-20121608.json.gz'),
  join(OTRF, 'purplesharp_ad_playbook_I_2020-10-22042947.proc_logon.json.gz'),
  join(OTRF, 'rdp_interactive_taskmanager_lsass_dump_2020-09-22043748.json.gz'),
];
const baseName = (f: string) => f.split('/').pop()!;

type Ev = Record<string, unknown>;
interface Proc { host: string; pid: number | null; ppid: number | null; name: string; cmd: string | null; ms: number; sysmon: boolean }

/**
 * The expected counts, computed from the JSON in plain JavaScript, independently of the loader:
 * - a record is identified by (host, channel, RecordNumber, EventID); a repeat is a duplicate;
 * - Sysmon 1 and 4688 -> process events; 4624, 4625, 4778 -> logon events; the rest skipped;
 * - a 4688 with a Sysmon 1 twin (same short host, pid, image name, command line when both have one,
 *   <= 60 s apart; command lines compared with '%%' read as '%') is a duplicate;
 * - a Sysmon 1 without a process id whose 4688 twin (same short host, parent pid, image name and
 *   command line, <= 60 s apart) stays is a duplicate.
 */
function expectedCounts(paths: string[]) {
  const seen = new Set<string>();
  const procs: Proc[] = [];
  let read = 0, logons = 0, skipped = 0, duplicates = 0;
  for (const path of paths) {
    for (const line of gunzipSync(readFileSync(path)).toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      read++;
      const e = JSON.parse(line) as Ev;
      const channel = String(e['Channel'] ?? '').toLowerCase();
      const id = Number(e['EventID']);
      const isSysmon = channel === 'microsoft-windows-sysmon/operational' && id === 1;
      const isSecurity = channel === 'security';
      const kind = isSysmon || (isSecurity && id === 4688) ? 'process' : isSecurity && [4624, 4625, 4778].includes(id) ? 'logon' : 'skip';
      if (kind === 'skip') { skipped++; continue; }
      const key = e['RecordNumber'] === undefined ? line : [e['Hostname'], channel, e['RecordNumber'], id].join('|').toLowerCase();
      if (seen.has(key)) { duplicates++; continue; }
      seen.add(key);
      if (kind === 'logon') { logons++; continue; }
      const ts = String(e['@timestamp'] ?? e['TimeCreated']);
      const pidText = isSysmon ? (e['ProcessId'] as string | undefined) ?? /\bProcessId:\s*(\d+)/.exec(String(e['Message'] ?? ''))?.[1] : (e['NewProcessId'] as string);
      const image = String(isSysmon ? e['Image'] : e['NewProcessName']);
      procs.push({
        host: String(e['Hostname']).split('.')[0]!.toLowerCase(),
        pid: pidText === undefined ? null : Number(pidText),
        ppid: (() => { const v = isSysmon ? e['ParentProcessId'] : e['ProcessId']; return v === undefined || v === null || v === '' ? null : Number(v); })(),
        name: image.split('\\').pop()!.toLowerCase(),
        cmd: typeof e['CommandLine'] === 'string' && e['CommandLine'].trim() !== '' ? e['CommandLine'].trim() : null,
        ms: Date.parse(ts.includes('T') ? ts : `${ts.replace(' ', 'T')}Z`),
        sysmon: isSysmon,
      });
    }
  }
  const line = (c: string | null) => c?.replaceAll('%%', '%');
  const sysmon = procs.filter((p) => p.sysmon && p.pid !== null);
  const twinned = procs.filter((p) => !p.sysmon && p.pid !== null && sysmon.some((s) =>
    s.host === p.host && s.pid === p.pid && s.name === p.name && (s.cmd === null || p.cmd === null || line(s.cmd) === line(p.cmd)) && Math.abs(s.ms - p.ms) <= 60_000));
  const kept = procs.filter((p) => !p.sysmon && p.pid !== null && !twinned.includes(p));
  const pidless = procs.filter((s) => s.sysmon && s.pid === null && s.ppid !== null && s.cmd !== null && kept.some((p) =>
    p.host === s.host && p.ppid === s.ppid && p.name === s.name && line(p.cmd) === line(s.cmd) && Math.abs(s.ms - p.ms) <= 60_000)).length;
  const twins = twinned.length + pidless;
  return { read, process: procs.length - twins, logons, skipped, duplicates: duplicates + twins };
}

describe('the OTRF captures (real Windows telemetry)', () => {
  let db: Database;
  let first: LoadSummary;
  beforeAll(async () => {
    db = await memoryDb();
    first = await loadFiles(db, { inputs: OTRF_INPUTS, format: 'auto' });
  });
  afterAll(() => db.close());

  it('loads every capture with 0 rejects and the counts computed from the JSON', () => {
    const winevent = first.files.filter((f) => f.format === 'winevent');
    expect(winevent.map((f) => baseName(f.file)).sort()).toEqual(FILES.map(baseName).sort());
    const expected = expectedCounts(FILES);
    const sum = (pick: (f: (typeof winevent)[number]) => number) => winevent.reduce((n, f) => n + pick(f), 0);
    expect({
      read: sum((f) => f.read),
      process: sum((f) => f.loaded.process_events),
      logons: sum((f) => f.loaded.logon_events),
      skipped: sum((f) => f.skipped),
      duplicates: sum((f) => f.duplicates),
    }).toEqual(expected);
    expect(first.totals.rejected).toBe(0);
    expect(first.totals.read).toBe(16207);
  });

  it('lists the README, LICENSE, YAML and TSV files as skipped files', () => {
    const names = first.skippedFiles.map((f) => f.file.split('/').pop()!);
    expect(names).toContain('README.md');
    expect(names).toContain('LICENSE');
    expect(names).toContain('metadata_index.tsv');
    expect(names.filter((n) => n.endsWith('.yaml')).length).toBe(5);
  });

  it('normalizes hosts, logon ids and times (the traps in the OTRF README)', async () => {
    const hosts = await db.all<{ host: string }>("SELECT DISTINCT host FROM process_events WHERE host LIKE 'workstation6%'");
    expect(hosts).toEqual([{ host: 'workstation6' }]); // WORKSTATION6 and WORKSTATION6.theshire.local
    const bad = await db.one<{ n: number }>("SELECT count(*) AS n FROM process_events WHERE NOT regexp_full_match(logon_id, '0x([1-9a-f][0-9a-f]*|0)')");
    expect(bad.n).toBe(0);
    // The psexec capture's whoami on WORKSTATION6 at 2020-09-20 16:17:19Z (@timestamp, not EventTime).
    const whoami = await db.all<{ ts: Date; user_name: string }>(
      "SELECT ts, user_name FROM process_events WHERE host = 'workstation6' AND process_name = 'whoami.exe' AND ts BETWEEN '2020-09-20 16:17:00' AND '2020-09-20 16:18:00'",
    );
    expect(whoami.length).toBeGreaterThan(0);
    // The only real RDP logon (type 10) of the captures, with its logon id normalized.
    const rdp = await db.all("SELECT user_name, logon_id FROM logon_events WHERE logon_type = 10 AND outcome = 'success'");
    expect(rdp).toContainEqual({ user_name: 'pgustavo', logon_id: '0xa96e8' });
    // Sysmon and Security rows of one file, mapped apart, are stored in the order of the file's lines.
    const order = await db.all<{ lines: number[] }>('SELECT list(source_line::INTEGER ORDER BY rowid) AS lines FROM process_events GROUP BY source_file');
    for (const { lines } of order) expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('loading everything again adds nothing', async () => {
    const before = await db.one('SELECT (SELECT count(*) FROM process_events) p, (SELECT count(*) FROM logon_events) l, (SELECT count(*) FROM rejects) r');
    const again = await loadFiles(db, { inputs: OTRF_INPUTS, format: 'auto' });
    expect(again.totals.loaded).toEqual({ process_events: 0, logon_events: 0, alerts: 0, labels: 0 });
    expect(again.totals.read).toBe(first.totals.read);
    expect(await db.one('SELECT (SELECT count(*) FROM process_events) p, (SELECT count(*) FROM logon_events) l, (SELECT count(*) FROM rejects) r')).toEqual(before);
  });

  it("reads a 4688 command line NXLog left XML-escaped as its Message shows it", async () => {
    // The atomic capture's 86 Security 4688 CommandLine values read `1&gt; config\gpresult.txt`
    // where the event's Message reads `1> config\gpresult.txt`.
    const gp = await db.all<{ command_line: string }>("SELECT command_line FROM process_events WHERE source = 'security-4688' AND command_line LIKE '%gpresult /scope:computer%'");
    expect(gp).toEqual([{ command_line: '"C:\\Windows\\System32\\cmd.exe" /c gpresult /scope:computer /v 1> config\\gpresult.txt 2>&1' }]);
    const escaped = await db.one<{ n: number }>("SELECT count(*) AS n FROM process_events WHERE regexp_matches(command_line, '&(gt|lt|amp|quot|apos);')");
    expect(escaped.n).toBe(0);
  });

  it('keeps an escape the Message shows too, or when there is no Message to confirm it', async () => {
    const dir = tempDir();
    const rec = (n: number, cmd: string, message?: string) => JSON.stringify({
      '@timestamp': `2020-09-04T07:09:2${n}.000Z`, Hostname: 'ws9', Channel: 'Security', EventID: 4688, RecordNumber: n,
      NewProcessName: 'C:\\Windows\\System32\\cmd.exe', NewProcessId: `0x${100 + n}`, ProcessId: '0x10', CommandLine: cmd,
      SubjectUserName: 'bob', SubjectLogonId: '0x3e7', ...(message === undefined ? {} : { Message: message }),
    });
    writeFileSync(`${dir}/sec.json`, [
      rec(1, 'cmd /c dir &gt; out.txt', 'A new process has been created.\r\n\tProcess Command Line:\tcmd /c dir > out.txt\r\n'),
      rec(2, 'cmd /c echo &amp;gt;', 'A new process has been created.\r\n\tProcess Command Line:\tcmd /c echo &amp;gt;\r\n'),
      rec(3, 'cmd /c dir &gt; out.txt'),
      rec(4, 'cmd /c echo &amp;amp; &gt;', 'Process Command Line:\tcmd /c echo &amp; >\r\n'),
    ].join('\n') + '\n');
    const mine = await memoryDb();
    await loadFiles(mine, { inputs: [`${dir}/sec.json`], format: 'winevent' });
    const rows = await mine.all<{ command_line: string }>('SELECT command_line FROM process_events ORDER BY source_line');
    expect(rows.map((r) => r.command_line)).toEqual(['cmd /c dir > out.txt', 'cmd /c echo &amp;gt;', 'cmd /c dir &gt; out.txt', 'cmd /c echo &amp; >']);
    mine.close();
  });
});
