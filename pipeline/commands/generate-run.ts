import type { ArgumentsCamelCase } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { generateFleet } from '../generate/generate-fleet.js';
import type { GenerateManifest } from '../generate/generate-fleet.js';
import type { OutputFormat } from '../generate/writers.js';
import { progressWanted, startProgress } from '../progress.js';
import type { Progress } from '../progress.js';
import { textTable } from '../table-text.js';

export interface GenerateArgs extends GlobalOptions {
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

export async function run(args: ArgumentsCamelCase<GenerateArgs>): Promise<void> {
  const started = Date.now();
  let progress: Progress | undefined;
  const manifest = await generateFleet({
    hosts: args.hosts, days: args.days, start: args.start, seed: args.seed, out: args.out, format: args.format,
    attackRate: args.attackRate, fpRatio: args.fpRatio, eventRate: args.eventRate, adminRate: args.adminRate,
    onDay: (day, i, n) => {
      progress ??= startProgress('generate', n, 'days', progressWanted(args));
      progress.update(i, day);
    },
  }).finally(() => progress?.end());
  const seconds = (Date.now() - started) / 1000;
  if (args.json) console.log(JSON.stringify({ out: args.out, seconds, ...manifest.counts }, null, 2));
  else console.log(`${formatManifest(manifest, args.out)}\n${seconds.toFixed(1)} s`);
}
