import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { runNightly } from '../pipeline/jobs/nightly.js';
import { makeContextReports } from '../pipeline/context/make-reports.js';
import { readReports } from '../pipeline/context/read-reports.js';
import type { ReportRecord } from '../pipeline/context/read-reports.js';
import type { Database } from '../pipeline/db.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';
import { memoryDb, tempDir } from './helpers.js';

const S = 'C:\\Windows\\System32';
const PWSH = 'C:\\Program Files\\PowerShell\\7\\pwsh.exe';
const AGENT = 'C:\\Program Files\\Agent\\agent.exe';
const ADD_RULE = 'netsh  advfirewall firewall add rule name="atomic testing" action=allow dir=in protocol=TCP localport=450';
const DELETE_RULE = 'netsh  advfirewall firewall delete rule name="atomic testing" protocol=TCP localport=450';
const TASK_HOST = `${S}\\backgroundTaskHost.exe -ServerName:App.AppX9x2k1m0a.mca`;
const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/**
 * A command shell starts its commands in its own logon session (models/command-shells.ts). The real
 * capture netsh-fw-open-port: a person's shell, started long before the alert (not in its window),
 * runs `netsh advfirewall ... add rule` and 5 s later `... delete rule`; the fleet's copies of that
 * shell run as SYSTEM nearly always, so judged by its name the shell looked like the system working
 * in the person's session, and the second command was left out as the system's start.
 */
describe('context: a command shell\'s children are its session\'s commands', () => {
  let reports: ReportRecord[];

  beforeAll(async () => {
    const fleet = tempDir();
    const m = await generateFleet({ ...GENERATE_DEFAULTS, hosts: 10, days: 5, out: fleet, attackRate: 0 });
    const day = m.days.at(-1)!;
    const db: Database = await memoryDb();
    const hosts = (await db.all<{ host: string }>(`SELECT DISTINCT host FROM read_parquet($1) ORDER BY host`, [join(fleet, m.days[0]!, 'process_events.parquet')])).map((h) => h.host);
    const wks = hosts[0]!;
    const rows = (d: string) => {
      const out: Record<string, unknown>[] = [];
      const p = (t: string, pid: number, ppid: number, image: string, parent: string, cmd: string, logon: string, user: string, host = wks) =>
        out.push({ event_id: `ev-${d}-${out.length + 1}`, ts: `${d}T${t}Z`, host, user_name: user, logon_id: logon, process_id: pid, image, command_line: cmd,
          parent_process_id: ppid, parent_image: parent });
      return { out, p };
    };
    // History: an agent on every host runs its PowerShell scripts as SYSTEM a dozen times a day, so
    // the fleet's pwsh.exe runs as the machine nearly always.
    for (const d of m.days.slice(0, -1)) {
      const { out, p } = rows(d);
      for (const host of hosts) {
        for (let i = 0; i < 12; i++) {
          const t = `${String(i + 6).padStart(2, '0')}:00:00.000`;
          p(t, 300 + i, 296, PWSH, AGENT, `"${PWSH}" -NoProfile -File C:\\ProgramData\\Agent\\inventory.ps1`, '0x3e7', 'NT AUTHORITY\\SYSTEM', host);
        }
      }
      mkdirSync(join(fleet, d, 'cases'));
      writeFileSync(join(fleet, d, 'cases', 'process_events.ndjson'), ndjson(out));
    }
    for (const d of m.days.slice(0, -1)) await runNightly(db, { date: d, input: fleet, thresholds: DEFAULT_THRESHOLDS });
    const { out, p } = rows(day);
    // wardog's shell, opened at 09:00 (outside the alert's hour), runs the two netsh commands at
    // 12:19; between them the system starts a background task in the session (svchost.exe, not in
    // the window either)
    p('09:00:00.000', 4000, 3990, PWSH, 'C:\\Windows\\explorer.exe', `"${PWSH}"`, '0x7a11', 'CONTOSO\\wardog');
    p('12:19:04.000', 4104, 4000, `${S}\\netsh.exe`, PWSH, ADD_RULE, '0x7a11', 'CONTOSO\\wardog');
    p('12:19:06.000', 4204, 880, `${S}\\backgroundTaskHost.exe`, `${S}\\svchost.exe`, TASK_HOST, '0x7a11', 'CONTOSO\\wardog');
    p('12:19:09.000', 4108, 4000, `${S}\\netsh.exe`, PWSH, DELETE_RULE, '0x7a11', 'CONTOSO\\wardog');
    const alerts = [
      { alert_id: 'fw-rule', ts: `${day}T12:19:05Z`, alert_name: 'Firewall rule added with netsh', severity: 'Medium', host: wks, user_name: 'wardog', logon_id: '0x7a11', process_id: 4104 },
    ];
    mkdirSync(join(fleet, day, 'cases'));
    writeFileSync(join(fleet, day, 'cases', 'process_events.ndjson'), ndjson(out));
    writeFileSync(join(fleet, day, 'cases', 'alerts.ndjson'), ndjson(alerts));
    await runNightly(db, { date: day, input: fleet, thresholds: DEFAULT_THRESHOLDS });
    reports = await readReports(db, (await makeContextReports(db, day, day, DEFAULT_THRESHOLDS)).runId);
  });

  const item = (needle: string) => reports.find((r) => r.alert_id === 'fw-rule')?.items.find((i) => (i.command_line ?? '').includes(needle));

  it('lists the shell\'s next command in the alert\'s session, though the fleet\'s copies of the shell run as SYSTEM', () => {
    expect(item(ADD_RULE)?.reason).toMatch(/^the alert process; /);
    expect(item(DELETE_RULE)?.reason).toMatch(/^in the alert's logon session 0x7a11; template on 0 of 10 hosts/);
  });

  it('while a process a service host started in the session stays the system\'s work, not the session\'s command', () => {
    expect(item(TASK_HOST)?.reason).toMatch(/^started by the system \(svchost\.exe\) /);
  });
});
