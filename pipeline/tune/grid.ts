import type { Thresholds } from '../../models/thresholds.js';
import { resolveThresholds } from '../config.js';
import { OptionError } from '../errors.js';

/**
 * Keys a sweep can vary from one scoring pass: they are judged against stored features in SQL.
 * The others change the baselines or the events a job reads (window_days, burst.quantile, the job
 * windows): sweep those with one retro per value.
 */
export const SWEEPABLE = [
  'rarity.max_fleet_hosts', 'rarity.max_fleet_share', 'rarity.max_host_days', 'rarity.prior_hosts',
  'baseline.min_history_days', 'burst.factor', 'burst.min_distinct', 'burst.min_rare_share', 'context.max_items',
  'context.supplemental_min_score', 'context.family_max_items', 'context.host_min_score', 'context.host_max_items',
  'context.churn_min_share', 'context.churn_min_daily_events', 'context.fold_child_min_share',
] as const;

export const MAX_GRID_POINTS = 5000;

export interface GridAxis { key: string; values: number[] }

/** Parse `--grid key=v1,v2,...` options into axes, naming a bad key or value. */
export function parseGrid(specs: readonly string[]): GridAxis[] {
  if (specs.length === 0) throw new OptionError('--grid', `give at least one key=v1,v2,... (keys: ${SWEEPABLE.join(', ')})`);
  const axes: GridAxis[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new OptionError('--grid', `"${spec}" is not key=v1,v2,...`);
    const key = spec.slice(0, eq).trim();
    if (!(SWEEPABLE as readonly string[]).includes(key)) {
      throw new OptionError(`--grid ${key}`, `cannot be swept from one scoring pass (sweepable: ${SWEEPABLE.join(', ')}); run retro --config once per value for the others`);
    }
    if (axes.some((a) => a.key === key)) throw new OptionError(`--grid ${key}`, 'given twice');
    const values = spec.slice(eq + 1).split(',').map((v) => v.trim()).filter((v) => v !== '').map((v) => {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new OptionError(`--grid ${key}`, `"${v}" is not a number`);
      return n;
    });
    if (values.length === 0) throw new OptionError(`--grid ${key}`, 'no values');
    axes.push({ key, values: [...new Set(values)] });
  }
  const size = axes.reduce((n, a) => n * a.values.length, 1);
  if (size > MAX_GRID_POINTS) throw new OptionError('--grid', `${size} points is more than ${MAX_GRID_POINTS}`);
  return axes;
}

export interface GridPoint { pointId: number; params: Record<string, number>; t: Thresholds }

/** Every combination of the axes over the base config, each validated like a config file. */
export function expandGrid(base: Thresholds, axes: readonly GridAxis[]): GridPoint[] {
  let combos: Record<string, number>[] = [{}];
  for (const a of axes) combos = combos.flatMap((c) => a.values.map((v) => ({ ...c, [a.key]: v })));
  return combos.map((params, i) => {
    const overrides: Record<string, Record<string, number>> = structuredClone(base) as unknown as Record<string, Record<string, number>>;
    for (const [key, value] of Object.entries(params)) {
      const [section, name] = key.split('.') as [string, string];
      overrides[section]![name] = value;
    }
    return { pointId: i + 1, params, t: resolveThresholds(overrides, '--grid') };
  });
}
