import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/**
 * The layout rules of the house (issue 16): no import cycles (type-only imports count), no stage
 * folder importing another stage's internals, no source file over 300 lines, no production
 * function over 60.
 */
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'pipeline', 'models', 'build', 'sql'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n').filter((f) => f !== '');
const SOURCES = tracked.filter((f) => /^(pipeline|models)\/.*\.ts$/.test(f));

/**
 * The stages and what each offers the others: every other module of a stage folder is its own.
 * Load shows its staged rows through load/staged-rows.ts (one view per canonical table), not its
 * stage tables.
 */
const STAGE_PUBLIC: Record<string, readonly string[]> = {
  load: ['load-files.ts', 'staged-rows.ts', 'time-range.ts', 'detect.ts'],
  aggregate: [],
  baseline: ['build-baselines.ts'],
  score: [],
  context: ['context-candidates.ts', 'make-reports.ts', 'read-reports.ts', 'write-reports.ts'],
  metrics: ['context-metrics.ts', 'format-metrics.ts', 'write-table-files.ts'],
};

/** The relative imports of a source (static, dynamic, re-exports, type-only), as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'(\.[^']+)'/gm)].map((m) => m[1]!);
  return specifiers.map((s) => normalize(join(dirname(file), s)).replace(/\.js$/, '.ts'));
}

const GRAPH = new Map(SOURCES.map((f) => [f, importsOf(f).filter((i) => SOURCES.includes(i))]));

describe('structure', () => {
  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of GRAPH.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of SOURCES) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('stage folders import only what another stage offers', () => {
    const reaching: string[] = [];
    for (const [file, imports] of GRAPH) {
      for (const target of imports) {
        const [top, stage, module] = target.split('/');
        if (top !== 'pipeline' || !module || !(stage! in STAGE_PUBLIC)) continue;
        if (file.startsWith(`pipeline/${stage}/`)) continue;
        if (!STAGE_PUBLIC[stage!]!.includes(module)) reaching.push(`${file} imports ${target}`);
      }
    }
    expect(reaching).toEqual([]);
  });

  it('every module a stage offers exists (the list above is kept up to date)', () => {
    for (const [stage, modules] of Object.entries(STAGE_PUBLIC)) {
      for (const m of modules) expect(SOURCES, `${stage}/${m}`).toContain(`pipeline/${stage}/${m}`);
    }
  });

  it('has no source file over 300 lines', () => {
    const long = tracked.filter((f) => /\.(ts|mjs|sql)$/.test(f))
      .map((f) => ({ f, lines: readFileSync(join(ROOT, f), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 300).map(({ f, lines }) => `${relative('.', f)}: ${lines}`);
    expect(long).toEqual([]);
  });

  it('has no production function over 60 lines', () => {
    // Line-based: a function, method or block-bodied arrow declared on a line of its own runs to
    // the first line that closes a brace at its indentation (nested closures count as its lines).
    const start = /^(\s*)(export\s+)?(default\s+)?(async\s+)?function\*?\s|^(\s*)(export\s+)?const\s+\w+\s*(:[^=]+)?=\s*(async\s+)?\([^)]*\)[^=]*=>\s*\{\s*$|^(\s+)(private\s+|static\s+|async\s+|readonly\s+)*\w+\s*\(.*\)\s*(:\s*[^{]+)?\{\s*$/;
    const long: string[] = [];
    for (const file of tracked.filter((f) => /^(pipeline|models|build)\/.*\.(ts|mjs)$/.test(f))) {
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!start.test(line) || /^\s*(if|for|while|switch|catch|return)\b/.test(line)) return;
        const indent = /^\s*/.exec(line)![0];
        const end = lines.findIndex((l, j) => j > i && l.startsWith(`${indent}}`));
        if (end > 0 && end - i + 1 > 60) long.push(`${file}:${i + 1}: ${end - i + 1} lines`);
      });
    }
    expect(long).toEqual([]);
  });
});
