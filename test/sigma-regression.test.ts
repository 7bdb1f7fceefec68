/**
 * SigmaHQ's regression samples (test/fixtures/sigma-regression): every tested rule's events are
 * loaded through the real loader (the evtx_dump JSON shape of `winevent`), detect runs that rule
 * alone over its sample, and the match count must be SigmaHQ's `match_count` (a test without one
 * expects at least one match, as SigmaHQ's runner does). Also: the share of all rules that compile.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Database } from '../pipeline/db.js';
import { loadFiles } from '../pipeline/load/load-files.js';
import { compileRule } from '../pipeline/sigma/compile-rule.js';
import type { CompiledRule } from '../pipeline/sigma/compile-rule.js';
import { UnsupportedRuleError, readRules } from '../pipeline/sigma/rule-file.js';
import { groupReasons, loadRuleSet, STATUSES } from '../pipeline/sigma/rule-set.js';
import { detectAlerts } from '../pipeline/sigma/run-detect.js';
import { FIXTURES, ROOT, memoryDb, tempDir } from './helpers.js';

const REGRESSION = join(FIXTURES, 'sigma-regression');
const RULES = join(ROOT, 'rules', 'sigma');

interface RegressionCase { name: string; events: string; ruleId: string; matchCount?: number }

function regressionCases(): RegressionCase[] {
  const dirs = readdirSync(REGRESSION, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('info.yml')).sort();
  return dirs.map((p) => {
    const dir = join(REGRESSION, p, '..');
    const info = parse(readFileSync(join(REGRESSION, p), 'utf8'));
    const test = info.regression_tests_info[0];
    return { name: p.replace(/\/info\.yml$/, ''), events: join(dir, 'events.jsonl'), ruleId: info.rule_metadata[0].id, ...(test.match_count === undefined ? {} : { matchCount: test.match_count }) };
  });
}

/**
 * The samples of `cases` in one file (one load is fast, 134 loads are not), each case's lines
 * noted. A case whose event another case also holds (the same record) loses it to the dedupe: it
 * is left for a later batch.
 */
async function loadBatch(cases: RegressionCase[]): Promise<{ db: Database; lines: Map<RegressionCase, [number, number]>; left: RegressionCase[] }> {
  const file = join(tempDir('ac-sigma-'), 'samples.jsonl');
  const lines = new Map<RegressionCase, [number, number]>();
  const text: string[] = [];
  for (const c of cases) {
    const events = readFileSync(c.events, 'utf8').trim().split('\n');
    lines.set(c, [text.length + 1, text.length + events.length]);
    text.push(...events);
  }
  writeFileSync(file, text.join('\n') + '\n');
  const db = await memoryDb();
  await loadFiles(db, { inputs: [file], format: 'auto' });
  const stored = await db.all<{ line: number }>('SELECT source_line AS line FROM process_events UNION ALL SELECT source_line FROM logon_events');
  const have = new Set(stored.map((r) => r.line));
  const dupes = await db.all<{ line: number }>("SELECT source_line AS line FROM stage_process_events WHERE status = 'duplicate' UNION ALL SELECT source_line FROM stage_logon_events WHERE status = 'duplicate'");
  const lost = new Set(dupes.map((r) => r.line));
  const left = cases.filter((c) => {
    const [lo, hi] = lines.get(c)!;
    for (let l = lo; l <= hi; l++) if (lost.has(l) && !have.has(l)) return true;
    return false;
  });
  return { db, lines, left };
}

/** Detect with one rule over its own case's events (temp views of the event tables, by line). */
async function matchesOf(db: Database, compiled: CompiledRule, [lo, hi]: [number, number]): Promise<{ hits: number; refused: boolean }> {
  await db.run('SET VARIABLE regression_lines = [$1::BIGINT, $2::BIGINT]', [lo, hi]);
  for (const table of ['process_events', 'logon_events']) {
    await db.exec(`CREATE OR REPLACE TEMP VIEW ${table} AS SELECT * FROM memory.main.${table}
      WHERE source_line BETWEEN getvariable('regression_lines')[1] AND getvariable('regression_lines')[2]`);
  }
  const span = await db.one<{ lo: string | null; hi: string | null }>(
    `SELECT strftime(min(ts), '%Y-%m-%d') AS lo, strftime(max(ts), '%Y-%m-%d') AS hi FROM (SELECT ts FROM process_events UNION ALL SELECT ts FROM logon_events)`);
  // The gated plan (the one a fleet's day takes): on a few events detect would take the single statement.
  const r = await detectAlerts(db, { compiled: [compiled], unsupported: [], notSelected: 0 }, { from: span.lo ?? '2000-01-01', to: span.hi ?? '2000-01-01' }, null, { plan: 'gated' });
  return { hits: r.hits, refused: r.refused.length > 0 };
}

describe('SigmaHQ regression data', () => {
  const cases = regressionCases();

  it('every compiled rule matches its expected count; at least 90% compile', async () => {
    const byId = new Map(readRules(RULES).rules.map((r) => [r.id, r]));
    const counts = { pass: 0, unsupported: 0, fail: 0 };
    const failures: string[] = [];
    const compiledOf = new Map<RegressionCase, CompiledRule>();
    for (const c of cases) {
      const rule = byId.get(c.ruleId);
      try {
        if (!rule) throw new UnsupportedRuleError('rule not in rules/sigma (its log source is not copied)');
        compiledOf.set(c, compileRule(rule));
      } catch (err) {
        if (!(err instanceof UnsupportedRuleError)) throw err;
        counts.unsupported++;
        console.log(`unsupported ${c.name}: ${err.message}`);
      }
    }
    let pending = cases.filter((c) => compiledOf.has(c));
    while (pending.length > 0) {
      const { db, lines, left } = await loadBatch(pending);
      try {
        for (const c of pending.filter((x) => !left.includes(x))) {
          const r = await matchesOf(db, compiledOf.get(c)!, lines.get(c)!);
          if (r.refused) counts.unsupported++;
          else if (c.matchCount === undefined ? r.hits >= 1 : r.hits === c.matchCount) counts.pass++;
          else {
            counts.fail++;
            failures.push(`${c.name}: ${r.hits} match(es), expected ${c.matchCount ?? 'at least 1'}`);
          }
        }
      } finally {
        db.close();
      }
      expect(left.length).toBeLessThan(pending.length);
      pending = left;
    }
    console.log(`sigma regression: ${cases.length} tested rules, ${counts.pass} pass, ${counts.unsupported} unsupported, ${counts.fail} fail`);
    expect(failures).toEqual([]);
    expect(counts.pass).toBeGreaterThanOrEqual(Math.ceil(0.9 * cases.length));
  });

  it('prints the share of all rules that compile, with the unsupported reasons grouped', () => {
    const set = loadRuleSet(RULES, { minLevel: 'informational', statuses: STATUSES });
    const total = set.compiled.length + set.unsupported.length;
    console.log(`sigma rules: ${set.compiled.length} of ${total} compile (${((100 * set.compiled.length) / total).toFixed(1)}%)`);
    for (const g of groupReasons(set.unsupported)) console.log(`  ${String(g.rules).padStart(4)}  ${g.reason}`);
    expect(total).toBe(1328);
    expect(set.compiled.length / total).toBeGreaterThan(0.85);
  });
});
