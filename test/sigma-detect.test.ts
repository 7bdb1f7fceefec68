/** The Sigma compiler's semantics on small rules, and detect / nightly storing alerts on real samples. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { runNightly } from '../pipeline/jobs/nightly.js';
import { compileRule } from '../pipeline/sigma/compile-rule.js';
import { resolveDetectConfig } from '../pipeline/sigma/detect-config.js';
import { detectPeriod, ruleSetOf } from '../pipeline/sigma/detect-period.js';
import { planRules, selective } from '../pipeline/sigma/gates.js';
import { renderPred } from '../pipeline/sigma/pred.js';
import { UnsupportedRuleError, parseRule } from '../pipeline/sigma/rule-file.js';
import { SIGMAHQ_REFERENCE, referenceFor } from '../pipeline/sigma/run-detect.js';
import { base64OffsetVariants, windashVariants } from '../pipeline/sigma/value-modifiers.js';
import { FIXTURES, ROOT, memoryDb, tempDir } from './helpers.js';
import { OptionError } from '../pipeline/errors.js';

const RULES = join(ROOT, 'rules', 'sigma');
const CURL = join(FIXTURES, 'sigma-regression', 'process_creation', 'proc_creation_win_curl_custom_user_agent', 'events.jsonl');

const rule = (detection: string) =>
  parseRule('t.yml', `title: t\nid: t-1\nlevel: high\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n${detection}`);

/** Evaluate a compiled rule over one row of Sigma fields (raw values; lowercased as detect does). */
async function matches(detection: string, row: Record<string, string | null>): Promise<boolean> {
  const c = compileRule(rule(detection));
  const db = await memoryDb();
  try {
    const cols = c.fields.flatMap((f) => [`$${c.values.length + 1 + 2 * c.fields.indexOf(f)}::VARCHAR AS "raw:${f}"`, `lower($${c.values.length + 2 + 2 * c.fields.indexOf(f)}::VARCHAR) AS "lc:${f}"`]);
    const vals = c.fields.flatMap((f) => [row[f] ?? null, row[f] ?? null]);
    const r = await db.one<{ m: boolean }>(`SELECT ${c.sql} AS m FROM (SELECT ${cols.join(', ') || '1 AS x'})`, [...c.values, ...vals]);
    return r.m;
  } finally {
    db.close();
  }
}

describe('Sigma compiler', () => {
  it('matches case-insensitively with wildcards, escapes and contains/startswith/endswith', async () => {
    const d = "  sel:\n    Image|endswith: '\\\\CMD.exe'\n    CommandLine|contains|all: ['/c', 'wh?ami']\n  condition: sel";
    expect(await matches(d, { Image: 'C:\\Windows\\cmd.EXE', CommandLine: 'cmd /C WHOAMI' })).toBe(true);
    expect(await matches(d, { Image: 'C:\\Windows\\cmd.EXE', CommandLine: 'cmd /C whoareyou' })).toBe(false);
    // \* is a literal star, not a wildcard
    const star = "  sel:\n    CommandLine|contains: 'a\\*b'\n  condition: sel";
    expect(await matches(star, { CommandLine: 'x a*b y' })).toBe(true);
    expect(await matches(star, { CommandLine: 'x aXb y' })).toBe(false);
  });

  it('conditions: 1 of / all of / not, an absent field making its selection false', async () => {
    const d = "  sel_a:\n    Image|endswith: '\\\\a.exe'\n  sel_b:\n    CommandLine|contains: 'x'\n  filter:\n    ParentImage|startswith: 'C:\\\\Good\\\\'\n  condition: 1 of sel_* and not filter";
    expect(await matches(d, { Image: 'c:\\a.exe', CommandLine: null, ParentImage: null })).toBe(true);
    expect(await matches(d, { Image: 'c:\\a.exe', CommandLine: null, ParentImage: 'C:\\good\\p.exe' })).toBe(false);
    const all = d.replace('1 of sel_*', 'all of sel_*');
    expect(await matches(all, { Image: 'c:\\a.exe', CommandLine: 'y', ParentImage: null })).toBe(false);
  });

  it('windash, base64offset, re with flags, cased', async () => {
    expect(windashVariants('-enc')).toEqual(['-enc', '/enc', '\u2013enc', '\u2014enc', '\u2015enc']);
    expect(base64OffsetVariants(Buffer.from('IEX'))).toEqual(['SUVY', 'lFW', 'JRV']);
    expect(await matches("  sel:\n    CommandLine|windash|contains: ' -enc '\n  condition: sel", { CommandLine: 'powershell /enc AAA' })).toBe(true);
    expect(await matches("  sel:\n    CommandLine|re: 'ab+c'\n  condition: sel", { CommandLine: 'ABBC' })).toBe(false);
    expect(await matches("  sel:\n    CommandLine|re|i: 'ab+c'\n  condition: sel", { CommandLine: 'ABBC' })).toBe(true);
    expect(await matches("  sel:\n    CommandLine|cased|contains: 'Abc'\n  condition: sel", { CommandLine: 'abc' })).toBe(false);
  });

  it('a list of patterns on one field is one RE2 alternation with the same meaning', async () => {
    const list = "  sel:\n    CommandLine|contains:\n      - '(a).b$'\n      - 'x?z'\n      - 'p*q'\n      - '[1]+'\n  condition: sel";
    const c = compileRule(rule(list));
    expect(c.sql).toContain('regexp_matches');
    expect(c.sql).not.toContain('contains(');
    for (const [line, hit] of [['run (A).B$ now', true], ['(a)xb$', false], ['..xYz..', true], ['xz', false], ['P\nmid\nQ', true],
      ['[1]+', true], ['[1]]', false], ['plain', false]] as const) {
      expect(await matches(list, { CommandLine: line }), line).toBe(hit);
    }
    const ends = "  sel:\n    Image|endswith: ['\\\\a.exe', '\\\\b.exe', '\\\\c.exe']\n    CommandLine|startswith: ['go ', 'run ', 'do.']\n  condition: sel";
    expect(await matches(ends, { Image: 'C:\\B.EXE', CommandLine: 'Run it' })).toBe(true);
    expect(await matches(ends, { Image: 'C:\\B.EXE.bak', CommandLine: 'Run it' })).toBe(false);
    expect(await matches(ends, { Image: 'C:\\B.EXE', CommandLine: 'doX it' })).toBe(false);
    expect(await matches(ends, { Image: null, CommandLine: 'go' })).toBe(false);
    // equals: the whole value, not a part of it
    const equals = "  sel:\n    CommandLine: ['a', 'b', 'c.d']\n  condition: sel";
    expect(await matches(equals, { CommandLine: 'C.D' })).toBe(true);
    expect(await matches(equals, { CommandLine: 'cxd' })).toBe(false);
    expect(await matches(equals, { CommandLine: 'ab' })).toBe(false);
  });

  it('binds every value: none appears in the SQL text', () => {
    const c = compileRule(rule("  sel:\n    CommandLine|contains: \"x'); DROP TABLE alerts; --\"\n  condition: sel"));
    expect(c.sql).not.toContain('DROP');
    expect(c.values).toContain("x'); drop table alerts; --");
  });

  it("gates a rule on the fields that need a value, not on a filter's negation alone", () => {
    const plan = (d: string) => planRules([compileRule(rule(d))], 0)[0]!;
    const TRUE = { kind: 'const', value: true };
    // A renamed binary: the repeating field's positive test is the gate, the filter a refinement.
    const renamed = plan("  sel:\n    OriginalFileName: plink\n  filter:\n    Image|endswith: '\\\\plink.exe'\n  condition: sel and not filter");
    expect(renamed.terms).toHaveLength(1);
    expect(selective(renamed.terms[0]!.keys)).toBe(true);
    expect(renderPred(renamed.terms[0]!.keys)).toContain('OriginalFileName');
    expect(renamed.terms[0]!.values).toEqual(TRUE);
    // Only a negation on the repeating fields: the command line's test is the gate.
    const cmd = plan("  sel:\n    CommandLine|contains: ' -R '\n  filter:\n    Image|endswith: '\\\\plink.exe'\n  condition: sel and not filter");
    expect(cmd.terms[0]!.keys).toEqual(TRUE);
    expect(renderPred(cmd.terms[0]!.values)).toContain('CommandLine');
    // Nothing positive anywhere: the negation is still a (broad) gate.
    const negation = plan("  filter:\n    Image|endswith: x.exe\n  condition: not filter");
    expect(selective(negation.terms[0]!.keys)).toBe(false);
    expect(negation.always).toBe(false);
    // A field that must be absent (`null`) holds on every event of a telemetry without it: the
    // command line's test is the gate.
    const absent = plan("  sel:\n    OriginalFileName: null\n    CommandLine|endswith: '.exe tunnel'\n  condition: sel");
    expect(absent.terms[0]!.keys).toEqual(TRUE);
    expect(renderPred(absent.terms[0]!.values)).toContain('CommandLine');
    // Gates on both kinds of field: one term with both (detect tests the second where the first is broad);
    // each selection of `1 of` is a term of its own.
    const both = plan("  sel_a:\n    User|contains: AUTHORI\n    CommandLine|contains: 'tasklist /fi '\n  sel_b:\n    CommandLine|contains: procdump\n  condition: 1 of sel_*");
    expect(both.terms.map((t) => [renderPred(t.keys).includes('User'), renderPred(t.values).includes('CommandLine')])).toEqual([[true, true], [false, true]]);
  });

  it('a rule file that is not one YAML document, a YAML error (with its line) and an alias bomb are unsupported with their reasons; a key given twice takes its last value', () => {
    const why = (source: string) => {
      try {
        parseRule('r.yml', source);
        return 'parsed';
      } catch (err) {
        return (err as UnsupportedRuleError).message;
      }
    };
    const head = 'title: t\nid: x\nlogsource:\n  category: process_creation\n  product: windows\n';
    expect(why(`${head}detection:\n  sel:\n    Image: a.exe\n  condition: sel\n`)).toBe('parsed');
    expect(why(`${head}detection:\n  sel:\n    Image: [a.exe\n  condition: sel\n`)).toMatch(/^YAML error: .* \(line \d+, column \d+\)$/);
    expect(why(`${head}detection:\n  sel:\n    Image: a.exe\n  condition: sel\n---\n${head}`)).toBe('rule collection (several YAML documents)');
    expect(why('- a\n- b\n')).toBe('not a Sigma rule (no mapping at the top)');
    // nine nested aliases of ten values each: 10^9 values to walk, refused before compiling
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghij'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`)].join('\n');
    expect(why(`${head}${bomb}\ndetection:\n  sel:\n    Image: a.exe\n  condition: sel\n`)).toBe('YAML error: more than 100,000 values once its aliases are expanded');
    // an anchor inside itself expands without end, a chain of 20,000 aliases is deep: refused or read, never a crash
    expect(why(`${head}junk: &j [*j]\ndetection:\n  sel:\n    Image: a.exe\n  condition: sel\n`)).toBe('YAML error: more than 100,000 values once its aliases are expanded');
    // (one key given again and again, each value the previous one in a list: 20,000 lists deep)
    const chain = Array.from({ length: 20_000 }, (_, i) => `k: &${i % 2 ? 'b' : 'a'} [${i === 0 ? 'x' : `*${i % 2 ? 'a' : 'b'}`}]`).join('\n');
    expect(why(`${head}${chain}\ndetection:\n  sel:\n    Image: a.exe\n  condition: sel\n`)).toBe('parsed');
    // a long rule without aliases (a list of 150,000 hashes) is not taken for a bomb
    const hashes = Array.from({ length: 150_000 }, (_, i) => `      - ${String(i).padStart(32, '0')}`).join('\n');
    expect(why(`${head}detection:\n  sel:\n    Hashes:\n${hashes}\n  condition: sel\n`)).toBe('parsed');
    const twice = parseRule('r.yml', `${head}level: low\nlevel: high\ndetection:\n  sel:\n    Image: a.exe\n  condition: sel\n`);
    expect(twice.level).toBe('high');
    // YAML 1.2's core schema: a date stays text, as it did with the yaml package
    expect(parseRule('r.yml', `${head}detection:\n  sel:\n    Image: 2024-01-02\n  condition: sel\n`).detection['sel']).toEqual({ Image: '2024-01-02' });
  });

  it('a field we do not have, a keyword search or an aggregation is unsupported, with its reason', () => {
    const reason = (d: string) => {
      try {
        compileRule(rule(d));
        return 'compiled';
      } catch (err) {
        return (err as UnsupportedRuleError).reason;
      }
    };
    expect(reason("  sel:\n    TerminalSessionId: 1\n  condition: sel")).toBe('field not available in process_creation');
    expect(reason("  keywords:\n    - 'mimikatz'\n  condition: keywords")).toBe('keyword search (a value without a field)');
    expect(reason("  sel:\n    Image: x\n  condition: sel | count() > 5")).toBe('aggregation in condition (| count, near)');
  });
});

describe('detect and nightly', () => {
  it('a rules folder with no rule to run is refused by name (an empty rule list crashed the binding: exit 1)', async () => {
    const db = await memoryDb();
    const empty = tempDir();
    const broken = tempDir();
    writeFileSync(join(broken, 'r.yml'), 'title: x\n  bad: [yaml\n');
    try {
      for (const [dir, counts] of [[empty, '0 file(s) unsupported or unreadable'], [broken, '1 file(s) unsupported or unreadable']] as const) {
        const err = await detectPeriod(db, { rules: dir, min_level: 'medium', statuses: ['stable'] }, { from: '2026-11-01', to: '2026-11-01' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(OptionError);
        expect((err as Error).message).toBe(`--rules: ${dir}: no rule to run (${counts}, 0 not selected by level or status)`);
      }
    } finally {
      db.close();
    }
  });

  it('detect stores alerts with rule, author, tags and attribution; a rerun adds nothing', async () => {
    const db = await memoryDb();
    try {
      await runNightly(db, { date: '2025-12-11', input: CURL, thresholds: DEFAULT_THRESHOLDS });
      const config = { rules: RULES, min_level: 'low', statuses: ['stable', 'test', 'experimental'] };
      const first = await detectPeriod(db, config, { from: '2025-12-11', to: '2025-12-11' });
      expect(first.added).toBeGreaterThan(0);
      expect((await detectPeriod(db, config, { from: '2025-12-11', to: '2025-12-11' })).added).toBe(0);
      const a = await db.one<Record<string, unknown>>(
        "SELECT alert_name, severity, host, user_name, process_id, rule_id, rule_author, rule_tags, rule_reference, source FROM alerts WHERE rule_id = '85de1f22-d189-44e4-8239-dc276b45379b'");
      expect(a).toMatchObject({ alert_name: 'Curl Web Request With Potential Custom User-Agent', host: 'swachchhanda', user_name: 'xodih', process_id: 6400, source: 'sigma', rule_reference: SIGMAHQ_REFERENCE });
      expect(String(a['rule_author'])).toContain('Nasreddine Bencherchali');
    } finally {
      db.close();
    }
  });

  it("nightly's detect step makes the day's alerts before its context reports; detect.nightly false switches it off", async () => {
    const config = resolveDetectConfig({ detect: { min_level: 'low' } });
    expect(resolveDetectConfig({ detect: { nightly: false } }).nightly).toBe(false);
    expect(() => resolveDetectConfig({ detect: { nightly: 'no' } })).toThrow(/detect.nightly/);
    // a bad level or status in the file is named as the file's key, not as an option never given
    expect(() => resolveDetectConfig({ detect: { min_level: 'bogus' } }, 'team.json')).toThrow('team.json: detect.min_level: bogus is not one of');
    expect(() => resolveDetectConfig({ detect: { statuses: ['nope'] } }, 'team.json')).toThrow('team.json: detect.statuses: nope is not one of');
    const db = await memoryDb();
    try {
      const detect = { rules: ruleSetOf(config), reference: referenceFor(config.rules) };
      const r = await runNightly(db, { date: '2025-12-11', input: CURL, thresholds: DEFAULT_THRESHOLDS, detect });
      expect(r.stages.find((s) => s.stage === 'detect')?.rows).toBeGreaterThan(0);
      const stored = await db.one<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE source = 'sigma'");
      expect(stored.n).toBeGreaterThan(0);
      await runNightly(db, { date: '2025-12-11', input: CURL, thresholds: DEFAULT_THRESHOLDS, detect });
      expect((await db.one<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE source = 'sigma'")).n).toBe(stored.n);
    } finally {
      db.close();
    }
  });
});
