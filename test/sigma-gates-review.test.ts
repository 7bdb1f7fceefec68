/**
 * A list of text patterns as one RE2 alternation means what the per-pattern SQL tests mean; and
 * the gated plan (gates per term on the repeating and per-event fields, broad terms tested on
 * both, exact rules not retested) gives the same matches as the single plan (each rule's whole
 * predicate on every event), on tricky condition shapes: or of ands, nots, `1 of` / `all of`,
 * absent fields, fieldref across kinds, the 'narrow' fallback of an and, an or over both kinds of
 * field inside an and, NULL-valued fields.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from '../pipeline/db.js';
import { compileRule } from '../pipeline/sigma/compile-rule.js';
import { gatedPlan } from '../pipeline/sigma/gated-plan.js';
import type { HeavyRules } from '../pipeline/sigma/gated-plan.js';
import { MAX_TERMS, planRules, terms } from '../pipeline/sigma/gates.js';
import { Params } from '../pipeline/sigma/params.js';
import { parseRule } from '../pipeline/sigma/rule-file.js';
import { detectAlerts } from '../pipeline/sigma/run-detect.js';
import { anchored, parseSigmaString, patternRegex, patternSql } from '../pipeline/sigma/sigma-string.js';
import { memoryDb } from './helpers.js';

const RULES: Record<string, string> = {
  both: "  sel_a:\n    User|contains: AUTHORI\n    CommandLine|contains: 'tasklist /fi '\n  sel_b:\n    CommandLine|contains: procdump\n  condition: 1 of sel_*",
  negationOnly: "  filter:\n    Image|endswith: '\\\\plink.exe'\n  condition: not filter",
  absent: "  sel:\n    OriginalFileName: null\n    CommandLine|endswith: 'tunnel'\n  condition: sel",
  exactKeys: "  sel:\n    Image|endswith: ['\\\\cmd.exe', '\\\\powershell.exe', '\\\\x.exe']\n  filter:\n    ParentImage|endswith: '\\\\services.exe'\n  condition: sel and not filter",
  exactValues: "  sel:\n    CommandLine|contains: ['whoami', 'tasklist', '-R ']\n  filter:\n    CurrentDirectory|startswith: 'C:\\\\Windows'\n  condition: sel and not filter",
  narrow: "  a:\n    - Image|endswith: '\\\\cmd.exe'\n    - CommandLine|contains: whoami\n  b:\n    - ParentImage|endswith: '\\\\services.exe'\n    - CommandLine|contains: tasklist\n  condition: a and b",
  broad: "  sel:\n    ParentImage|endswith: ['\\\\services.exe', '\\\\explorer.exe']\n    CommandLine|contains: ['-enc', 'whoami', '/fi']\n  condition: sel",
  notMixed: "  sel:\n    Image|endswith: '\\\\cmd.exe'\n  filter:\n    ParentImage|endswith: '\\\\explorer.exe'\n    CommandLine|contains: whoami\n  condition: sel and not filter",
  fieldref: "  sel:\n    CommandLine|fieldref|contains: OriginalFileName\n  condition: sel",
  onlyAbsent: "  sel:\n    OriginalFileName: null\n  condition: sel",
  existsOr: "  sel:\n    OriginalFileName|exists: false\n  sel2:\n    CommandLine|startswith: go\n  condition: sel or sel2",
  allWindash: "  sel:\n    CommandLine|windash|contains|all: ['-R', ' 1:']\n  condition: sel",
  allOfThem: "  sel1:\n    User: null\n  sel2:\n    CommandLine|startswith: 'go'\n  condition: all of them",
  notOneOf: "  filter1:\n    Image|endswith: '\\\\cmd.exe'\n  filter2:\n    CommandLine|contains: whoami\n  condition: not 1 of filter*",
  orNot: "  sel:\n    CommandLine|contains: whoami\n  filter:\n    Image|endswith: '\\\\cmd.exe'\n  condition: sel or not filter",
  emptyString: "  sel:\n    CommandLine: ''\n    Image|endswith: '\\\\cmd.exe'\n  condition: sel",
  userEquals: "  sel:\n    User: 'NT AUTHORITY\\\\SYSTEM'\n    CommandLine|contains: ['a', 'b', 'c']\n  condition: sel",
  nested: "  a:\n    Image|endswith: '\\\\cmd.exe'\n  b:\n    CommandLine|contains: whoami\n  c:\n    ParentImage|endswith: '\\\\explorer.exe'\n  d:\n    CurrentDirectory|contains: Temp\n  condition: (a and not b) or (c and (b or not d))",
  // a screen's alternations are cut at a few thousand characters: this list alone makes several
  longList: `  sel:\n    CommandLine|contains:\n${['whoami', ...Array.from({ length: 300 }, (_, i) => `unlikely-token-${i}-of-a-long-list`)].map((v) => `      - '${v}'`).join('\n')}\n  condition: sel`,
  // a regular expression's flags stay its own inside the screen's alternation
  reFlags: "  sel:\n    CommandLine|re|i: 'PROCDUMP -MA'\n  sel2:\n    CommandLine|re: '^go x$'\n  condition: sel or sel2",
  // an and screened by its more specific item (`tasklist`, not `/`)
  andShortLong: "  sel:\n    CommandLine|contains|all: ['/', 'tasklist']\n  condition: sel",
  // an and with an or over both kinds of field (SigmaHQ's suspicious PowerShell parent): split into a
  // term per kind (the parent with the image, the parent with the command line) and the mixed item
  mixedOr: "  parent:\n    ParentImage|endswith: '\\\\services.exe'\n  ps:\n    - Image|endswith: '\\\\powershell.exe'\n    - OriginalFileName: plink\n    - CommandLine|contains: whoami\n    - Image|endswith: '\\\\cmd.exe'\n      CommandLine|contains: tasklist\n  condition: parent and ps",
  // one term whose patterns are on two texts (command line, parent command line): in two screens
  twoScreens: "  a:\n    - CommandLine|contains: procdump\n    - ParentCommandLine|contains: backup\n  b:\n    - CommandLine|contains: ' -'\n    - CurrentDirectory|contains: Temp\n  condition: a and b",
  // texts that screen a pattern: of a wildcard's sides the one of most bytes (`proc`, `t b`, the
  // emoji's four bytes over `ab`), one alternation of the three; a list with a value whose sides are
  // all under three bytes (`-r*1:`) is screened by its pattern instead; two values, two patterns
  textParts: "  sel:\n    CommandLine|contains: ['proc*-ma', 'wb*t b', 'ab*😀']\n  condition: sel",
  shortParts: "  sel:\n    CommandLine|contains: ['proc*-ma', 'wb*t b', '-r*1:']\n  sel2:\n    CommandLine|contains: ['😀', 'tunnel']\n  condition: sel or sel2",
  // more terms than a rule's term codes hold (MAX_TERMS): tested on every event instead of stopping detect
  manyTerms: `  sel:\n${['\\\\cmd.exe', ...Array.from({ length: 1100 }, (_, i) => `\\\\tool${i}.exe`)].map((v) => `    - Image|endswith: '${v}'`).join('\n')}\n  condition: sel`,
};

const PICK = {
  image: ['C:\\Windows\\cmd.exe', 'C:\\Windows\\powershell.exe', 'C:\\x\\plink.exe', null],
  parent_image: ['C:\\Windows\\services.exe', 'C:\\Windows\\explorer.exe', null],
  original_file_name: ['Cmd.Exe', 'plink', null, null],
  user: [['SYSTEM', 'NT AUTHORITY'], ['bob', 'CORP'], ['eve', null], [null, null]],
  command_line: ['cmd /c whoami', 'tasklist /fi x', 'procdump -ma lsass', 'plink -R 1:2', 'plink /R 1:2', 'powershell -enc AAA', 'go x', null, '', 'a\nb tunnel',
    'wbadmin start backup', 'echo ab 😀', 'proc -MA x'],
  current_directory: ['C:\\Temp\\', 'C:\\Windows\\', null],
  parent_command_line: ['explorer.exe', 'wbadmin start backup', null, null, null, null],
};

/** A seeded pick (the high bits of a linear congruential generator). */
function picker(seed: number): <T>(xs: readonly T[]) => T {
  return (xs) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return xs[(seed >>> 16) % xs.length]!;
  };
}

async function fleet(db: Database, n: number): Promise<void> {
  const rnd = picker(7);
  for (let i = 0; i < n; i++) {
    const [user, domain] = rnd(PICK.user);
    await db.run(`INSERT INTO process_events BY NAME SELECT $1 AS event_id, TIMESTAMP '2024-03-01 10:00:00' AS ts, 'h1' AS host, 'test' AS source,
      $2 AS image, $3 AS parent_image, $4 AS original_file_name, $5 AS user_name, $6 AS user_domain, $7 AS command_line, $8 AS current_directory,
      $9 AS parent_command_line`,
    [`e${i}`, rnd(PICK.image), rnd(PICK.parent_image), rnd(PICK.original_file_name), user ?? null, domain ?? null, rnd(PICK.command_line), rnd(PICK.current_directory),
      rnd(PICK.parent_command_line)]);
  }
}

/** Events whose command lines no rule's patterns match, so that the screens are narrow (run-detect samples them). */
async function filler(db: Database, n: number): Promise<void> {
  await db.run(`INSERT INTO process_events BY NAME SELECT 'f' || i AS event_id, TIMESTAMP '2024-03-01 11:00:00' AS ts, 'h2' AS host, 'test' AS source,
    'C:\\Windows\\svc' || (i % 7) || '.exe' AS image, 'C:\\Windows\\services.exe' AS parent_image, 'bob' AS user_name, 'CORP' AS user_domain,
    'svc' || (i % 7) || ' ' || md5(i::VARCHAR) AS command_line, NULL AS current_directory FROM range($1) t(i)`, [n]);
}

const compileAll = () => Object.entries(RULES).map(([name, d]) =>
  compileRule(parseRule(`${name}.yml`, `title: ${name}\nid: ${name}\nlevel: high\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n${d}`)));

/** Detect's (rule, event) matches with one plan, sorted. */
async function matches(db: Database, compiled: ReturnType<typeof compileAll>, plan: 'single' | 'gated', heavy?: HeavyRules): Promise<string[]> {
  await detectAlerts(db, { compiled, unsupported: [], notSelected: 0 }, { from: '2024-03-01', to: '2024-03-01' }, null, { plan, ...(heavy ? { heavy } : {}) });
  return (await db.all<{ k: string }>('SELECT rule_id || \' \' || matched_event_id AS k FROM sigma_alerts ORDER BY k')).map((r) => r.k);
}

describe('gated plan against the single plan', () => {
  it('the same (rule, event) matches on every condition shape', async () => {
    const compiled = compileAll();
    const db = await memoryDb();
    try {
      await fleet(db, 300);
      const hits = (plan: 'single' | 'gated') => matches(db, compiled, plan);
      const single = await hits('single');
      const gated = await hits('gated');
      expect(new Set(gated).size).toBe(gated.length); // no rule tested twice on an event
      expect(gated).toEqual(single);
      // every rule with a candidate tested as a column of its own, and none (HEAVY_RULES): the same
      expect(await matches(db, compiled, 'gated', { min: 1, share: Infinity })).toEqual(single);
      expect(await matches(db, compiled, 'gated', { min: Infinity, share: 1 })).toEqual(single);
      // (the rules tested on every event are columns whatever the setting: without them, none is)
      const plans = planRules(compiled, 0);
      const gatedOnly = compiled.filter((_, i) => !plans[i]!.always);
      expect(gatedOnly.length).toBeLessThan(compiled.length);
      const ids = new Set(gatedOnly.map((r) => r.rule.id));
      expect(await matches(db, gatedOnly, 'gated', { min: Infinity, share: 1 })).toEqual(single.filter((k) => ids.has(k.split(' ')[0]!)));
      // every rule fires somewhere and misses somewhere (the comparison says something)
      for (const name of Object.keys(RULES)) {
        const n = single.filter((k) => k.startsWith(`${name} `)).length;
        expect([name, n > 0 && n < 300]).toEqual([name, true]);
      }
      // the mixed or is split by kind: three terms, one on the repeating fields alone
      const mixed = compiled.find((r) => r.rule.title === 'mixedOr')!;
      expect(terms(mixed.pred).map((t) => [t.keys.kind === 'const', t.values.kind === 'const'])).toEqual([[false, true], [false, false], [false, false]]);
      // the broad path (a term's keys gate letting through more than a sixteenth) was taken
      const plan = gatedPlan(compiled[0]!.logsource, compiled, 0, { from: '2024-03-01', to: '2024-03-01' });
      const counts = await (async () => {
        await db.run(plan.keys!.sql, plan.keys!.values);
        return db.all<{ code: number; n: number }>(plan.counts);
      })();
      const match = plan.rest(counts, 300, []).at(-1)!.sql;
      expect(match).toMatch(/list_contains\(\[\d+/);
    } finally {
      db.close();
    }
  });

  it('the same matches when the screens are narrow: most events match no pattern, so the per-event gates are screened', async () => {
    const compiled = compileAll();
    const db = await memoryDb();
    try {
      await fleet(db, 300);
      await filler(db, 6000);
      const hits = (plan: 'single' | 'gated') => matches(db, compiled, plan);
      const single = await hits('single');
      expect(await hits('gated')).toEqual(single);
      expect(await matches(db, compiled, 'gated', { min: 1, share: Infinity })).toEqual(single);
      // the sample finds most terms' patterns rare: sigma_vals tests them behind a screen of several alternations
      const plan = gatedPlan(compiled[0]!.logsource, compiled, 0, { from: '2024-03-01', to: '2024-03-01' });
      await db.run(plan.keys!.sql, plan.keys!.values);
      const counts = await db.all<{ code: number; n: number }>(plan.counts);
      const sample = plan.sample(counts, 6300)!;
      const sampled = await db.all<{ code: number; n: number }>(sample.sql, sample.values);
      const vals = plan.rest(counts, 6300, sampled)[0]!.sql;
      // each screen is tested once per tuple, and a tuple that passes one tests that screen's terms only;
      // the long list's texts are several screens behind one guard, which most tuples do not pass
      expect((vals.match(/regexp_matches\("lc:CommandLine", \$\d+\) AS "guard:\d+"/g) ?? []).length).toBe(1);
      expect((vals.match(/CASE WHEN "guard:0" THEN regexp_matches\("lc:CommandLine", \$\d+\) ELSE false END AS "screen:\d+"/g) ?? []).length).toBeGreaterThan(2);
      expect((vals.match(/CASE WHEN "screen:\d+" THEN list_filter/g) ?? []).length).toBeGreaterThan(2);
      // the texts, not the patterns, are what the screens of a text pattern hold
      const alternatives = plan.rest(counts, 6300, sampled)[0]!.values.flatMap((v) => (typeof v === 'string' ? v.split('|') : []));
      expect(alternatives).toEqual(expect.arrayContaining(['proc', 't b', '😀']));
      expect(alternatives).not.toContain('ab');
      expect(vals).toContain('ELSE []::INTEGER[] END');
      // a term with patterns on two texts is under both texts' screens, once in the table
      const code = planRules(compiled, 0).find((p) => p.rule.rule.title === 'twoScreens')!.idx * MAX_TERMS;
      const under = [...vals.matchAll(/CASE WHEN "screen:(\d+)" THEN list_filter\(\[([\s\S]*?)\], x -> x IS NOT NULL\) ELSE/g)]
        .filter((m) => m[2]!.includes(`THEN ${code} END`));
      expect(under.length).toBe(2);
      await db.run(vals.replace('sigma_vals', 'vals_check'), plan.rest(counts, 6300, sampled)[0]!.values);
      expect(await db.one('SELECT count(*) FILTER (WHERE len(terms) <> len(list_distinct(terms)))::INTEGER AS n FROM vals_check')).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});

/** Characters that are RE2 or LIKE syntax, Sigma wildcards and escapes, a newline, non-ASCII text and case. */
const CHARS = ['a', 'B', '.', '\\', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$', '+', '\n', 'é', 'Ä', '😀', '%', '_', ' '];

describe('the RE2 alternation against the per-pattern SQL tests', () => {
  it('agree on random patterns (equals / contains / startswith / endswith, cased or not) and texts, NULL included', async () => {
    const rnd = picker(42);
    const p = new Params();
    const pairs: string[] = [];
    const texts: (string | null)[] = [null, ''];
    for (let i = 0; i < 150; i++) {
      const v = Array.from({ length: rnd([0, 1, 2, 3, 4]) }, () => rnd(CHARS)).join('');
      const kind = rnd(['equals', 'contains', 'startswith', 'endswith'] as const);
      const cased = rnd([false, false, true]);
      const parts = anchored(parseSigmaString(v), kind);
      const re = patternRegex(parts, cased);
      if (re === undefined) continue;
      const expr = cased ? 's' : 'lower(s)';
      // two alternatives that never match, so the pattern is one of an alternation as detect makes it
      pairs.push(`[${patternSql(p, expr, parts, cased)}, regexp_matches(${expr}, ${p.bind(`(?s)(?:${re}|~~0|~~1)`)})]`);
      const text = v.replace(/\*/g, rnd(['', 'q\n', 'ÄB'])).replace(/\?/g, rnd(['é', '\n', 'x']));
      texts.push(text, text.toUpperCase(), `z${text}`, `${text}z`, `${text}\n`);
    }
    const db = await memoryDb();
    try {
      await db.exec('CREATE TABLE t (s VARCHAR)');
      for (const t of texts) await db.run('INSERT INTO t VALUES ($1)', [t]);
      const rows = await db.all<{ s: string | null; bad: number; hits: number }>(`
        SELECT count(*) FILTER (WHERE r[1] IS DISTINCT FROM r[2])::INTEGER AS bad, count(*) FILTER (WHERE r[1])::INTEGER AS hits
        FROM (SELECT unnest([${pairs.join(', ')}]) AS r FROM t)`, p.values);
      expect(rows[0]!.hits).toBeGreaterThan(100);
      expect(rows[0]!.bad).toBe(0);
    } finally {
      db.close();
    }
  });
});
