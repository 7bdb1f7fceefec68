import type { Argv } from 'yargs';
import { OptionError } from '../../errors.js';
import { CLICKHOUSE_CLUSTER } from './cluster-names.js';

/** Where the fleet-wide stages run: DuckDB (the default: one machine) or a ClickHouse cluster. */
export interface EngineArgs {
  engine?: 'duckdb' | 'clickhouse';
  /** Every shard's HTTP address, comma-separated; the first coordinates. */
  clickhouseUrl?: string;
  /** The remote_servers cluster those shards declare. */
  clickhouseCluster?: string;
  /** Host buckets per shard for the memory-heavy aggregates (docs/scale-out.md). */
  clickhouseHostBuckets?: number;
}

/**
 * --engine, --clickhouse-url, --clickhouse-cluster (load, nightly, retro, tune) and
 * --clickhouse-host-buckets (where aggregates are made: load and nightly). Light: imports no client.
 */
export function withEngine<T>(y: Argv<T>, { buckets = true } = {}): Argv<T> {
  const engine = y
    .option('engine', { choices: ['duckdb', 'clickhouse'], default: 'duckdb', describe: 'where telemetry and the fleet-wide stages live (docs/scale-out.md)' })
    .option('clickhouse-url', { type: 'string', describe: "with --engine clickhouse: every shard's HTTP address, comma-separated (the first coordinates)" })
    .option('clickhouse-cluster', { type: 'string', default: CLICKHOUSE_CLUSTER, describe: 'with --engine clickhouse: the remote_servers cluster of those shards' });
  if (!buckets) return engine as Argv<T>;
  return engine.option('clickhouse-host-buckets', { type: 'number', default: 1, describe: "with --engine clickhouse: template a shard's day in this many host buckets (less memory)" }) as Argv<T>;
}

/** The shard URLs of --engine clickhouse, checked; an error naming the option otherwise. */
export function clusterUrls(args: EngineArgs): string[] {
  if (args.engine !== 'clickhouse') {
    if (args.clickhouseUrl) throw new OptionError('--clickhouse-url', 'needs --engine clickhouse');
    return [];
  }
  if (!args.clickhouseUrl) throw new OptionError('--clickhouse-url', 'required with --engine clickhouse (e.g. http://ch1:8123,http://ch2:8123)');
  const urls = args.clickhouseUrl.split(',').map((u) => u.trim()).filter((u) => u.length > 0);
  for (const u of urls) {
    let parsed: URL | undefined;
    try { parsed = new URL(u); } catch { /* reported below */ }
    if (!parsed || !/^https?:$/.test(parsed.protocol)) throw new OptionError('--clickhouse-url', `'${u}' is not an http(s) URL`);
  }
  if (urls.length === 0) throw new OptionError('--clickhouse-url', 'no URL given');
  const buckets = args.clickhouseHostBuckets ?? 1;
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > 4096) throw new OptionError('--clickhouse-host-buckets', `'${buckets}' is not a whole number from 1 to 4096`);
  return urls;
}
