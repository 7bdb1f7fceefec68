import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers.js';

/**
 * --help starts fast because it loads no command's work (docs/performance.md, "Start-up"): DuckDB's
 * native module above all. The CLI runs here with hooks that refuse to resolve any @duckdb/ package,
 * imported (a module hook) or required (the build bundles @duckdb/node-api, which requires its
 * native bindings); a command that does need DuckDB shows the hooks at work.
 */
const dir = tempDir();
const hook = join(dir, 'refuse-duckdb.mjs');
writeFileSync(hook, `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@duckdb/')) throw new Error('refused: ' + specifier);
  return next(specifier, context);
}\`));
`);
const requireHook = join(dir, 'refuse-duckdb.cjs');
writeFileSync(requireHook, `const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request.startsWith('@duckdb/')) throw new Error('refused: ' + request);
  return load.call(this, request, ...rest);
};
`);

function runWithoutDuckdb(...args: string[]) {
  const env = { ...process.env, TZ: 'UTC', NODE_OPTIONS: `--require=${requireHook} --import=${pathToFileURL(hook).href}` };
  return spawnSync(join(ROOT, 'bin', 'alert-context'), args, { encoding: 'utf8', cwd: ROOT, env });
}

const COMMANDS = ['load', 'generate', 'baseline', 'nightly', 'detect', 'context', 'retro', 'tune', 'weekly', 'demo', 'eval'];

describe('start-up', () => {
  it('--help and every command\'s --help load no DuckDB', () => {
    for (const args of [['--help'], ...COMMANDS.map((c) => [c, '--help'])]) {
      const r = runWithoutDuckdb(...args);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toContain('alert-context');
    }
  }, 120_000);

  it('a command that needs DuckDB is refused by the same hook (the hook works)', () => {
    const r = runWithoutDuckdb('context', '--alert-id', 'al-1', '--db', join(dir, 'warehouse.duckdb'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refused: @duckdb/');
  }, 60_000);
});
