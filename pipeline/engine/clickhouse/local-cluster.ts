import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLICKHOUSE_CLUSTER } from './cluster-names.js';

/**
 * A ClickHouse cluster of N single-replica shards on loopback, one clickhouse-server process per
 * shard, each with its own data folder and a config declaring the same `remote_servers` cluster.
 * For the tests and the measurement script: a real cluster needs no code of this file.
 */
export interface LocalCluster {
  /** Each shard's HTTP address, in shard order. */
  readonly urls: string[];
  readonly dir: string;
  /** Kill one shard's server at once (SIGKILL), as a crash would. */
  kill(shard: number): Promise<void>;
  /** Start a shard's server again on the same ports and data folder. */
  restart(shard: number): Promise<void>;
  /** Stop every server (SIGTERM, SIGKILL after a grace period) and remove the folder. */
  stop(): Promise<void>;
}

export const CLICKHOUSE_SERVER = process.env.AC_CLICKHOUSE_SERVER ?? '/usr/sbin/clickhouse-server';

interface ShardPorts { http: number; tcp: number; interserver: number }

/** A free loopback port (the kernel's choice; closed again at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** The whole server config: self-contained (nothing read from /etc but the default users). */
function serverConfig(dir: string, own: ShardPorts, all: ShardPorts[], memoryBytes: number): string {
  const shards = all.map((p) => `<shard><replica><host>127.0.0.1</host><port>${p.tcp}</port></replica></shard>`).join('');
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog></logger>
  <http_port>${own.http}</http_port>
  <tcp_port>${own.tcp}</tcp_port>
  <interserver_http_port>${own.interserver}</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <max_session_timeout>3600</max_session_timeout>
  <remote_servers><${CLICKHOUSE_CLUSTER}>${shards}</${CLICKHOUSE_CLUSTER}></remote_servers>
  <!-- per-statement time, rows and memory, for the measurement script (measure.ts) -->
  <query_log><database>system</database><table>query_log</table><flush_interval_milliseconds>1000</flush_interval_milliseconds></query_log>
  <!-- ${memoryBytes} bytes per query: a shard of this test shares 2 cores and the memory with others -->
</yandex>
`;
}

function usersConfig(memoryBytes: number): string {
  return `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>${memoryBytes}</max_memory_usage><max_threads>2</max_threads><log_queries>1</log_queries></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
}

const running = new Set<ChildProcess>();
let exitHook = false;
/** Servers never outlive the process that started them, even when it fails. */
function killAllOnExit(): void {
  if (exitHook) return;
  exitHook = true;
  const killAll = () => { for (const p of running) p.kill('SIGKILL'); };
  process.on('exit', killAll);
  // A signal ends Node without 'exit': kill the servers, then let the signal do what it would have.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAll();
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

async function waitReady(url: string, child: ChildProcess, dir: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`clickhouse-server exited at start (${child.exitCode ?? child.signalCode}); see ${dir}/server.err.log`);
    }
    try {
      const r = await fetch(`${url}/ping`);
      if (r.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`clickhouse-server at ${url} not ready after ${timeoutMs / 1000} s; see ${dir}/server.err.log`);
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => { clearTimeout(t); resolve(true); });
  });
}

/** Start `shards` servers and wait until each answers its HTTP ping. */
export async function startLocalCluster(opts: { shards: number; dir?: string; memoryBytes?: number }): Promise<LocalCluster> {
  if (!existsSync(CLICKHOUSE_SERVER)) throw new Error(`${CLICKHOUSE_SERVER} not found: install Debian's clickhouse-server (make test does)`);
  killAllOnExit();
  const root = opts.dir ?? mkdtempSync(join(tmpdir(), 'ac-clickhouse-'));
  const memoryBytes = opts.memoryBytes ?? 2 * 1024 ** 3;
  const ports: ShardPorts[] = [];
  const taken = new Set<number>();
  for (let i = 0; i < opts.shards; i++) {
    const p: number[] = [];
    while (p.length < 3) {
      const n = await freePort();
      if (!taken.has(n)) { taken.add(n); p.push(n); }
    }
    ports.push({ http: p[0]!, tcp: p[1]!, interserver: p[2]! });
  }
  const dirs = ports.map((_, i) => join(root, `shard${i + 1}`));
  const children: (ChildProcess | undefined)[] = [];
  const urls = ports.map((p) => `http://127.0.0.1:${p.http}`);

  const launch = async (i: number) => {
    const dir = dirs[i]!;
    for (const sub of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'config.xml'), serverConfig(dir, ports[i]!, ports, memoryBytes));
    writeFileSync(join(dir, 'users.xml'), usersConfig(memoryBytes));
    const out = openSync(join(dir, 'stdout.log'), 'a');
    const child = spawn(CLICKHOUSE_SERVER, [`--config-file=${join(dir, 'config.xml')}`], { stdio: ['ignore', out, out] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    children[i] = child;
    await waitReady(urls[i]!, child, dir);
  };
  const stopOne = async (i: number, signal: NodeJS.Signals) => {
    const child = children[i];
    if (!child) return;
    child.kill(signal);
    if (!(await exited(child, 15_000))) {
      child.kill('SIGKILL');
      await exited(child, 5_000);
    }
    children[i] = undefined;
  };

  try {
    await Promise.all(ports.map((_, i) => launch(i)));
  } catch (e) {
    await Promise.all(ports.map((_, i) => stopOne(i, 'SIGKILL')));
    throw e;
  }
  return {
    urls,
    dir: root,
    kill: (i) => stopOne(i, 'SIGKILL'),
    restart: (i) => launch(i),
    stop: async () => {
      await Promise.all(ports.map((_, i) => stopOne(i, 'SIGTERM')));
      if (!opts.dir) rmSync(root, { recursive: true, force: true });
    },
  };
}
