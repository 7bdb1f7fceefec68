import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import type { ClickHouseClient } from '@clickhouse/client';
import { UserError } from '../../errors.js';
import { SQL_DIR } from '../../db.js';
import { CLICKHOUSE_CLUSTER, CLICKHOUSE_DATABASE, chIdent } from './cluster-names.js';
import { chTemplateExpression } from './template-sql.js';

/** Failures are thrown as ClickHouseError and printed once by the CLI: the client logs nothing. */
const QUIET = { level: ClickHouseLogLevel.OFF };

/** A shard that failed or could not be reached: the message names it and what failed. */
export class ClickHouseError extends UserError {
  constructor(readonly url: string, readonly what: string, detail: string) {
    super(`clickhouse ${url}: ${what}: ${detail.split('\n')[0]}`, 1);
    this.name = 'ClickHouseError';
  }
}

export interface ClusterOptions {
  /** Every shard's HTTP address (one replica each); the first coordinates the fleet-wide queries. */
  urls: string[];
  /** The remote_servers cluster of those shards (default alert_context). */
  cluster?: string;
  database?: string;
}

/** A run's values: the one-row session table ac_params every model reads them from. */
export interface RunParams {
  from: string;
  to: string;
  window_days?: number;
  burst_quantile?: number;
  well_known_logons?: readonly string[];
  /** The host bucket a bucketed model works on: sipHash64(host) % host_buckets = host_bucket. */
  host_buckets?: number;
  host_bucket?: number;
}

/**
 * The statements of one model file of sql/clickhouse/, identifiers filled in. 18.16 has no query
 * parameters ({name:Type} came with 19.x): values reach the SQL through the session table
 * ac_params (inserted as JSONEachRow data), and only names from code are substituted here:
 * {cluster}, {database}, and {template:COLUMN}, the template expression of models/template-rules.ts.
 */
export function chModel(file: string, cluster: string, database: string): string[] {
  const text = readFileSync(join(SQL_DIR, 'clickhouse', file), 'utf8')
    .replace(/\{template:([a-z_]+)\}/g, (_m, col: string) => chTemplateExpression(col))
    .replace(/\{cluster\}/g, chIdent(cluster))
    .replace(/\{database\}/g, chIdent(database));
  return text.split(/;\s*$/m)
    .map((s) => s.split('\n').filter((l) => !/^\s*--/.test(l)).join('\n').trim())
    .filter((s) => s.length > 0);
}

/** The clients of a cluster's shards, each in its own HTTP session (ac_params lives there). */
export class ClickHouseCluster {
  private constructor(readonly urls: string[], readonly cluster: string, readonly database: string, private readonly shards: ClickHouseClient[]) {}

  static async connect(opts: ClusterOptions): Promise<ClickHouseCluster> {
    const cluster = opts.cluster ?? CLICKHOUSE_CLUSTER;
    const database = opts.database ?? CLICKHOUSE_DATABASE;
    chIdent(cluster);
    for (const url of opts.urls) {
      const c = createClient({ url, log: QUIET });
      try {
        await c.command({ query: `CREATE DATABASE IF NOT EXISTS ${chIdent(database)}` });
      } catch (e) {
        throw new ClickHouseError(url, 'connect', (e as Error).message);
      } finally {
        await c.close();
      }
    }
    const shards = opts.urls.map((url) => createClient({
      url, database, session_id: randomUUID(), request_timeout: 600_000, log: QUIET,
      // Progress headers keep a long statement's connection alive through idle-timeout proxies.
      clickhouse_settings: {
        insert_distributed_sync: 1, output_format_json_quote_64bit_integers: 0,
        send_progress_in_http_headers: 1, http_headers_progress_interval_ms: '10000',
      },
    }));
    return new ClickHouseCluster(opts.urls, cluster, database, shards);
  }

  get shardCount(): number { return this.shards.length; }

  /** Set once the schema has been created on every shard (stages.ts). */
  schemaReady = false;

  private async on<T>(i: number, what: string, work: (c: ClickHouseClient) => Promise<T>): Promise<T> {
    try {
      return await work(this.shards[i]!);
    } catch (e) {
      if (e instanceof ClickHouseError) throw e;
      throw new ClickHouseError(this.urls[i]!, what, (e as Error).message);
    }
  }

  /** Run a model file's statements on shard i, in order. */
  async runModel(i: number, file: string): Promise<void> {
    for (const query of chModel(file, this.cluster, this.database)) {
      await this.on(i, file, (c) => c.command({ query, clickhouse_settings: { join_use_nulls: 1 } }));
    }
  }

  /** A shard-local model on every shard at once (each shard's rows stay on it). */
  async runOnEveryShard(file: string): Promise<void> {
    await Promise.all(this.shards.map((_, i) => this.runModel(i, file)));
  }

  /** A fleet-wide model on the coordinator: it reads the Distributed tables, every shard answering. */
  async runOnCoordinator(file: string): Promise<void> {
    await this.runModel(0, file);
  }

  /** A statement from code (DDL, partitions: names only, no values) on every shard. */
  async commandOnEveryShard(query: string, what: string): Promise<void> {
    await Promise.all(this.shards.map((_, i) => this.on(i, what, (c) => c.command({ query }))));
  }

  /** A statement from code on one shard. */
  async commandOnShard(i: number, query: string, what: string): Promise<void> {
    await this.on(i, what, (c) => c.command({ query }));
  }

  /** The run's values into ac_params on every shard's session (replacing the last run's). */
  async setParams(p: RunParams): Promise<void> {
    const row = {
      day_from: p.from, day_to: p.to, window_days: p.window_days ?? 0, burst_quantile: p.burst_quantile ?? 0,
      well_known_logons: [...(p.well_known_logons ?? [])], host_buckets: p.host_buckets ?? 1, host_bucket: p.host_bucket ?? 0,
    };
    await Promise.all(this.shards.map((_, i) => this.on(i, 'ac_params', async (c) => {
      await c.command({ query: 'DROP TEMPORARY TABLE IF EXISTS ac_params' });
      await c.command({
        query: `CREATE TEMPORARY TABLE ac_params (day_from Date, day_to Date, window_days UInt32, burst_quantile Float64,
                well_known_logons Array(String), host_buckets UInt32, host_bucket UInt32) ENGINE = Memory`,
      });
      await c.insert({ table: 'ac_params', values: [row], format: 'JSONEachRow' });
    })));
  }

  /** Rows into a table (a Distributed one spreads them by its sharding key), as JSONEachRow data. */
  async insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.on(0, `insert into ${table}`, (c) => c.insert({ table, values: rows as Record<string, unknown>[], format: 'JSONEachRow' }));
  }

  /**
   * A file of NDJSON rows (one JSON object a line) streamed into a table as the body of one
   * INSERT ... FORMAT JSONEachRow over plain HTTP (the client's insert wants rows as objects).
   */
  async insertFile(table: string, file: string): Promise<void> {
    const url = new URL(this.urls[0]!);
    url.searchParams.set('database', this.database);
    url.searchParams.set('insert_distributed_sync', '1');
    // Blocks of 100,000 rows: at the default (1,048,576) 18.16 needed over 2 GB to route one
    // block of 1.25 M events to two shards.
    url.searchParams.set('max_insert_block_size', '100000');
    url.searchParams.set('query', `INSERT INTO ${chIdent(table)} FORMAT JSONEachRow`);
    const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', body, duplex: 'half' } as RequestInit);
    } catch (e) {
      throw new ClickHouseError(this.urls[0]!, `insert into ${table}`, ((e as Error).cause as Error | undefined)?.message ?? (e as Error).message);
    }
    if (!response.ok) throw new ClickHouseError(this.urls[0]!, `insert into ${table}`, (await response.text()).trim());
  }

  /** A query from code on the coordinator, its rows as NDJSON into a file. */
  async queryToFile(query: string, file: string): Promise<void> {
    await this.on(0, 'query', async (c) => {
      const r = await c.exec({ query: `${query} FORMAT JSONEachRow` });
      await pipeline(r.stream, createWriteStream(file));
    });
  }

  /** A query from code on the coordinator; its rows. */
  async query<T>(query: string, shard = 0): Promise<T[]> {
    return this.on(shard, 'query', async (c) => (await c.query({ query, format: 'JSONEachRow' })).json<T>());
  }

  async close(): Promise<void> {
    await Promise.all(this.shards.map((c) => c.close()));
  }
}
