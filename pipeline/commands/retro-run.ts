import type { ArgumentsCamelCase } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { loadThresholds } from '../config.js';
import { withDatabase } from '../db.js';
import { cell, metricsSummary } from '../metrics/format-metrics.js';
import { compareRetroRuns } from '../retro/compare-runs.js';
import type { RetroComparison } from '../retro/compare-runs.js';
import { runRetro } from '../retro/run-retro.js';
import { textTable } from '../table-text.js';
import { visible, visibleLines } from '../escape.js';
import type { EngineArgs } from '../engine/clickhouse/engine-option.js';
import { clusterUrls } from '../engine/clickhouse/engine-option.js';

export interface RetroArgs extends GlobalOptions, EngineArgs {
  from?: string;
  to?: string;
  config?: string;
  out?: string;
  compare?: number[];
}

export async function run(args: ArgumentsCamelCase<RetroArgs>): Promise<void> {
  // a bad --config is named before the database is opened
  const thresholds = args.compare ? undefined : loadThresholds(args.config);
  await withDatabase(args.db, async (db) => {
    if (!thresholds) {
      const [a, b] = args.compare!;
      const c = await compareRetroRuns(db, a!, b!);
      console.log(args.json ? JSON.stringify(c, null, 2) : visibleLines(formatComparison(c)));
      return;
    }
    const opts = { from: args.from!, to: args.to!, thresholds, ...(args.config ? { configSource: args.config } : {}), ...(args.out ? { out: args.out } : {}) };
    // --engine clickhouse: the telemetry and baselines are on the cluster (engine/clickhouse/retro-tune.ts).
    const r = clusterUrls(args).length > 0 ? await (await import('../engine/clickhouse/commands.js')).retroOnCluster(args, db, opts) : await runRetro(db, opts);
    if (args.json) {
      console.log(JSON.stringify({ run: r.run, files: r.files, metrics: r.metrics.map(({ point_id: _p, ...m }) => m) }, null, 2));
      return;
    }
    console.log(visibleLines([
      `retro run ${r.run.run_id}: ${r.run.period_from}..${r.run.period_to}, ${r.run.reports} report(s) for ${r.run.alerts} alert(s); ` +
        `config ${r.run.config_hash} (${visible(r.run.config_source ?? 'defaults')}), code ${r.run.code_version}, ${r.run.baselines} baselines` +
        (r.run.labeled ? '' : '; no labels: unlabeled figures only'),
      '',
      metricsSummary(r.metrics),
      ...(r.files.length ? ['', 'written:', ...r.files.map((f) => `  ${visible(f)}`)] : []),
    ].join('\n')));
  }, 'existing');
}

function formatComparison(c: RetroComparison): string {
  const head = (r: RetroComparison['a']) => `run ${r.run_id} (${r.period_from}..${r.period_to}, config ${r.config_hash})`;
  const interesting = c.figures.filter((f) => f.group_by === 'overall' || f.group_by === 'alert_name' || f.group_by === 'job');
  return [
    `${head(c.a)}  vs  ${head(c.b)}`,
    c.configChanges.length
      ? `config changes: ${c.configChanges.map((x) => `${x.key} ${JSON.stringify(x.a)} -> ${JSON.stringify(x.b)}`).join(', ')}`
      : 'same config',
    '',
    textTable(
      ['group', 'figure', `run ${c.a.run_id}`, `run ${c.b.run_id}`, 'delta'],
      interesting.map((f) => [
        f.group_by === 'overall' ? 'overall' : `${f.group_by}: ${f.group_value}`, f.metric, cell(f.a), cell(f.b),
        f.delta === null ? '-' : `${f.delta >= 0 ? '+' : ''}${f.delta.toFixed(2)}`,
      ]),
    ),
  ].join('\n');
}
