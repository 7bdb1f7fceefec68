// Behaviour unchanged? Runs the demo on a commit and on another (each in a temporary git worktree;
// this checkout, uncommitted changes included, when only one is named), with the same fleet, and compares what they wrote: every output file (reports, metrics, tune,
// weekly, the fleet) byte for byte, the code version in retro's files aside, and every warehouse
// table's rows, less the columns that hold a time of running or the code version, and with the
// output folder (in the files' paths rows name) left out.
//
//   node test/compare-demo.mjs REV [REV_AFTER] [--hosts 20] [--days 10] [--seed 7] [--keep]
//
// Prints one line per difference and "same" at the end when there is none (exit 0; 1 otherwise).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { hosts: { type: 'string', default: '20' }, days: { type: 'string', default: '10' }, seed: { type: 'string', default: '7' }, keep: { type: 'boolean', default: false } },
});
const rev = positionals[0];
if (!rev) throw new Error('name the commit to compare with: node test/compare-demo.mjs REV');
/** Columns that hold when a run happened or what code made it: not behaviour. */
const VOLATILE = new Set(['created_at', 'started_at', 'finished_at', 'code_version', 'detail']);
const CODE_VERSION = /"code_version":\s*"[^"]*"/g;

function demo(checkout, out) {
  const args = ['demo', '--out', out, '--hosts', values.hosts, '--days', values.days, '--seed', values.seed, '--quiet'];
  const r = spawnSync(join(checkout, 'bin', 'alert-context'), args, { cwd: checkout, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) throw new Error(`demo in ${checkout} exited ${r.status}: ${r.stderr}`);
}

function files(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name))).filter((f) => !f.startsWith('warehouse.duckdb')).sort();
}

function compareFiles(a, b, differences) {
  const [fa, fb] = [files(a), files(b)];
  for (const f of new Set([...fa, ...fb])) {
    if (!fa.includes(f) || !fb.includes(f)) { differences.push(`file ${f}: only in ${fa.includes(f) ? 'before' : 'after'}`); continue; }
    const [x, y] = [readFileSync(join(a, f)), readFileSync(join(b, f))];
    if (x.equals(y)) continue;
    // Retro stores the code version it ran with; the binary metrics files carry no code version.
    const text = (buf) => buf.toString('utf8').replace(CODE_VERSION, '"code_version": "-"');
    if (/\.(json|ndjson|csv|md|html|svg)$/.test(f) && text(x) === text(y)) continue;
    differences.push(`file ${f}: differs`);
  }
}

async function tableDigests(dbPath, outDir) {
  const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  const c = await instance.connect();
  const columns = (await c.runAndReadAll(`SELECT table_name, list(column_name ORDER BY ordinal_position) FROM information_schema.columns
    WHERE table_schema = 'main' GROUP BY 1 ORDER BY 1`)).getRows();
  const digests = new Map();
  for (const [table, cols] of columns) {
    const kept = cols.items.filter((col) => !VOLATILE.has(col)).map((col) => `"${col}"`);
    // Rows name the files they came from: the output folder, which differs, is left out.
    const text = `replace(concat_ws('|', ${kept.map((k) => `coalesce(${k}::VARCHAR, '(null)')`).join(', ')}), $1, '')`;
    const row = (await c.runAndReadAll(`SELECT count(*)::VARCHAR, coalesce(sum(hash(${text})::HUGEINT), 0)::VARCHAR FROM "${table}"`, [outDir])).getRows()[0];
    digests.set(table, `${row[0]} rows, ${row[1]}`);
  }
  c.closeSync();
  return digests;
}

async function compareTables(a, b, differences) {
  const [da, db] = [await tableDigests(join(a, 'warehouse.duckdb'), a), await tableDigests(join(b, 'warehouse.duckdb'), b)];
  for (const t of new Set([...da.keys(), ...db.keys()])) {
    if (da.get(t) !== db.get(t)) differences.push(`table ${t}: ${da.get(t) ?? 'absent'} before, ${db.get(t) ?? 'absent'} after`);
  }
  return da.size;
}

const work = mkdtempSync(join(tmpdir(), 'ac-compare-'));
const checkouts = [];
function checkout(name, commit) {
  const dir = join(work, name);
  execFileSync('git', ['worktree', 'add', '--detach', dir, commit], { cwd: ROOT, stdio: 'ignore' });
  checkouts.push(dir);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}
try {
  const [before, after] = [join(work, 'before'), join(work, 'after')];
  demo(checkout('checkout-before', rev), before);
  demo(positionals[1] ? checkout('checkout-after', positionals[1]) : ROOT, after);
  const differences = [];
  compareFiles(before, after, differences);
  const tables = await compareTables(before, after, differences);
  for (const d of differences) console.log(d);
  console.log(differences.length === 0
    ? `same: ${files(after).length} files and ${tables} tables (demo --hosts ${values.hosts} --days ${values.days} --seed ${values.seed}; ${rev} against ${positionals[1] ?? 'this checkout'})`
    : `${differences.length} difference(s)`);
  process.exitCode = differences.length === 0 ? 0 : 1;
} finally {
  for (const dir of checkouts) execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: ROOT, stdio: 'ignore' });
  if (!values.keep) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
