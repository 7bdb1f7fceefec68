import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli.js';
import { GENERATE_DEFAULTS, generateFleet } from '../generate/generate-fleet.js';
import type { GenerateManifest } from '../generate/generate-fleet.js';
import { OUTPUT_FORMATS } from '../generate/writers.js';
import type { OutputFormat } from '../generate/writers.js';
import { textTable } from '../table-text.js';

interface GenerateArgs extends GlobalOptions {
  hosts: number; days: number; start: string; seed: number; out: string; format: OutputFormat;
  attackRate: number; fpRatio: number; eventRate: number; adminRate: number;
}

export function formatManifest(m: GenerateManifest, out: string): string {
  const c = m.counts;
  return [
    `wrote ${m.days.length} day(s) for ${m.hosts.total} hosts (${Object.entries(m.hosts.by_role).map(([r, n]) => `${n} ${r}`).join(', ')}) to ${out}`,
    `${c.process_events.toLocaleString('en-US')} process events, ${c.logon_events.toLocaleString('en-US')} logon events, ` +
      `${c.alerts} alerts (${c.alerts_true_positive} true, ${c.alerts_false_positive} false positive), ${c.malicious_events} malicious events labeled`,
    textTable(['campaign kind', 'campaigns', 'run twice', 'alerts', 'events'],
      Object.entries(m.campaigns_by_kind).map(([k, v]) => [k, v.campaigns, v.repeated, v.alerts, v.events])),
  ].join('\n');
}

export const generateCommand: CommandModule<GlobalOptions, GenerateArgs> = {
  command: 'generate',
  describe: 'write a synthetic, labeled fleet (process and logon events, alerts, labels) for testing and tuning',
  builder: (y) =>
    y
      .option('hosts', { type: 'number', default: GENERATE_DEFAULTS.hosts, describe: 'hosts in the fleet' })
      .option('days', { type: 'number', default: GENERATE_DEFAULTS.days, describe: 'days of telemetry' })
      .option('start', { type: 'string', default: GENERATE_DEFAULTS.start, describe: 'first day, YYYY-MM-DD (UTC)' })
      .option('seed', { type: 'number', default: GENERATE_DEFAULTS.seed, describe: 'same seed, same bytes' })
      .option('out', { type: 'string', default: 'data/fleet', describe: 'output directory (one folder per day, manifest.json)' })
      .option('format', { choices: OUTPUT_FORMATS, default: GENERATE_DEFAULTS.format, describe: 'format of the process and logon event files' })
      .option('attack-rate', { type: 'number', default: GENERATE_DEFAULTS.attackRate, describe: 'attack campaigns per host-day (at least one of each kind)' })
      .option('fp-ratio', { type: 'number', default: GENERATE_DEFAULTS.fpRatio, describe: 'false-positive alerts per true-positive alert' })
      .option('event-rate', { type: 'number', default: GENERATE_DEFAULTS.eventRate, describe: 'multiplier on background process starts (1 = about 1,000-2,000 per host-day)' })
      .option('admin-rate', { type: 'number', default: GENERATE_DEFAULTS.adminRate, describe: 'share of servers with an admin RDP session per day' })
      .example('$0 generate --hosts 20 --days 7 --out data/fleet', 'a small fleet in canonical Parquet')
      .example('$0 generate --format winevent --out data/fleet-winevent', 'the same fleet as Sysmon/Security JSON lines') as never,
  handler: async (args: ArgumentsCamelCase<GenerateArgs>) => {
    const started = Date.now();
    const manifest = await generateFleet({
      hosts: args.hosts, days: args.days, start: args.start, seed: args.seed, out: args.out, format: args.format,
      attackRate: args.attackRate, fpRatio: args.fpRatio, eventRate: args.eventRate, adminRate: args.adminRate,
      onDay: (day, i, n) => {
        if (!args.json && process.stderr.isTTY) process.stderr.write(`\r\x1b[Kgenerating ${day} (${i + 1}/${n})`);
      },
    });
    if (!args.json && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    const seconds = (Date.now() - started) / 1000;
    if (args.json) console.log(JSON.stringify({ out: args.out, seconds, ...manifest.counts }, null, 2));
    else console.log(`${formatManifest(manifest, args.out)}\n${seconds.toFixed(1)} s`);
  },
};
