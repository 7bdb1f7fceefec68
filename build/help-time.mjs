// How long `bin/alert-context --help` takes: the median wall time of N runs (default 10), beside a
// bare `node -e 1` (Node's own start-up on this machine) and the load average, since timings on a
// shared machine move with its load. The build is made first, so no run includes building.
//
//   node build/help-time.mjs [N]      (make help-time)
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT, ensureBuilt } from './build.mjs';

const runs = Number(process.argv[2] ?? 10);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs: a positive integer, not ${process.argv[2]}`);

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Wall times of `runs` runs of the command, in seconds; it must exit 0. */
function times(command, args) {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    out.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return out;
}

await ensureBuilt();
const before = loadavg()[0];
const help = times(join(ROOT, 'bin', 'alert-context'), ['--help']);
const node = times(process.execPath, ['-e', '1']);
const f = (s) => s.toFixed(3);
console.log(`bin/alert-context --help: median ${f(median(help))} s of ${runs} (min ${f(Math.min(...help))}, max ${f(Math.max(...help))})`);
console.log(`node -e 1:                median ${f(median(node))} s of ${runs}`);
console.log(`load average (1 min): ${before.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after, on ${process.platform} with Node ${process.version}`);
