import type { ArgumentsCamelCase } from 'yargs';
import { OptionError } from '../errors.js';
import type { GlobalOptions } from '../cli-options.js';
import { loadThresholds } from '../config.js';
import { withDatabase } from '../db.js';
import type { EngineArgs } from '../engine/clickhouse/engine-option.js';
import { clusterUrls } from '../engine/clickhouse/engine-option.js';
import { textTable } from '../table-text.js';
import { parseGrid } from '../tune/grid.js';
import { runTune } from '../tune/run-tune.js';
import type { Figure, TuneResult } from '../tune/run-tune.js';

export interface TuneArgs extends GlobalOptions, EngineArgs {
  from: string;
  to: string;
  grid: string[];
  config?: string;
  out?: string;
  minPrecision: number;
  maxBenignRate: number;
}

export async function run(args: ArgumentsCamelCase<TuneArgs>): Promise<void> {
  // the objective's bounds are shares: 'abc' read as NaN and 5 were accepted, the verdict meaningless
  for (const [option, value] of [['--min-precision', args.minPrecision], ['--max-benign-rate', args.maxBenignRate]] as const) {
    if (!(value >= 0 && value <= 1)) throw new OptionError(option, `must be a share from 0 to 1, got ${String(value)}`);
  }
  const axes = parseGrid(args.grid);
  const base = loadThresholds(args.config);
  await withDatabase(args.db, async (db) => {
    const opts = {
      from: args.from, to: args.to, base, axes, objective: { minItemPrecision: args.minPrecision, maxBenignReportRate: args.maxBenignRate },
      ...(args.out ? { out: args.out } : {}),
    };
    // --engine clickhouse: the telemetry and baselines are on the cluster (engine/clickhouse/retro-tune.ts).
    const r = clusterUrls(args).length > 0 ? await (await import('../engine/clickhouse/commands.js')).tuneOnCluster(args, db, opts) : await runTune(db, opts);
    console.log(args.json ? JSON.stringify(r, null, 2) : formatTune(r));
  }, 'existing');
}

const fig = (f: Figure, digits = 2) => (f.value === null ? '-' : f.low === null ? f.value.toFixed(1) : `${f.value.toFixed(digits)} [${f.low.toFixed(2)}-${f.high!.toFixed(2)}]`);

export function formatTune(r: TuneResult): string {
  const keys = r.axes.map((a) => a.key);
  return [
    `tune ${r.from}..${r.to}: ${r.points.length} grid points over ${keys.join(', ')}`,
    '',
    textTable(
      ['point', ...keys, 'item precision', 'attack recall', 'benign report rate', 'coverage', 'items/report', 'objective'],
      r.points.map((p) => [
        p.point_id, ...keys.map((k) => p.params[k]!), fig(p.item_precision), fig(p.attack_recall), fig(p.benign_report_rate), fig(p.coverage),
        fig(p.items_per_report), p.point_id === r.best?.point_id ? 'BEST' : p.meets_objective ? 'meets' : '',
      ]),
    ),
    '',
    `best: ${r.verdict}${r.best ? `: ${Object.entries(r.best.params).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}`,
    ...(r.files.length ? ['', 'written:', ...r.files.map((f) => `  ${f}`)] : []),
  ].join('\n');
}
