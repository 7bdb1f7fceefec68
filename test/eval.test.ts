import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../pipeline/db.js';
import type { CaseResult } from '../pipeline/eval/case-metrics.js';
import { readEvalSet } from '../pipeline/eval/eval-set.js';
import type { EvalSet } from '../pipeline/eval/eval-set.js';
import { labelSet } from '../pipeline/eval/label-set.js';
import type { LabeledSet } from '../pipeline/eval/label-set.js';
import { runEval } from '../pipeline/eval/run-eval.js';
import type { EvalResult } from '../pipeline/eval/run-eval.js';
import { loadFiles } from '../pipeline/load/load-files.js';
import { memoryDb, tempDir } from './helpers.js';

/**
 * The OTRF evaluation set in eval/otrf: its structure (enough true alerts over enough captures,
 * enough benign alerts, every selector and alert anchored in the loaded events), and the eval run
 * end to end. No precision or recall target is asserted: context generation is being changed.
 */
describe('the OTRF evaluation set', () => {
  let set: EvalSet;
  let db: Database;
  let labeled: LabeledSet;
  beforeAll(async () => {
    set = readEvalSet();
    db = await memoryDb();
    await loadFiles(db, { inputs: [set.captures], format: 'auto' });
    labeled = await labelSet(db, set);
  });
  afterAll(() => db.close());

  it('stands alone: its captures, licence and source note are in the repository', () => {
    for (const f of ['LICENSE', 'SOURCE.md', 'cases.json', 'labels.json', 'alerts.json', 'captures/all_atomic_windows.proc_logon.jsonl.gz']) {
      expect(existsSync(join(set.dir, f)), f).toBe(true);
    }
    for (const f of ['cases.json', 'labels.json', 'alerts.json', 'config.json', 'SOURCE.md']) {
      expect(readFileSync(join(set.dir, f), 'utf8')).not.toMatch(/\.\.\/shared|\/work\/shared/);
    }
  });

  it('has at least 8 true alerts over at least 4 captures and at least 8 benign alerts', () => {
    const trueAlerts = set.alerts.filter((a) => a.malicious);
    expect(trueAlerts.length).toBeGreaterThanOrEqual(8);
    expect(new Set(trueAlerts.map((a) => a.case_id)).size).toBeGreaterThanOrEqual(4);
    expect(set.alerts.filter((a) => !a.malicious).length).toBeGreaterThanOrEqual(8);
    // Every case has a true alert; every alert says why a detection fires there.
    for (const c of set.cases) expect(trueAlerts.some((a) => a.case_id === c.case_id), c.case_id).toBe(true);
    for (const a of set.alerts) expect(a.why.length, a.alert_id).toBeGreaterThan(10);
  });

  it('every label selector matches events and every alert the event it fires on', async () => {
    expect(labeled.selectors.map((s) => s.id)).toEqual(set.selectors.map((s) => s.id));
    for (const s of labeled.selectors) expect(s.events, s.id).toBeGreaterThan(0);
    expect(labeled.anchors.map((a) => a.alert_id).sort()).toEqual(set.alerts.map((a) => a.alert_id).sort());
    // A process alert carries the host, user, logon id, process id and command line of its event.
    const mismatched = await db.all(
      `SELECT a.alert_id FROM alerts a JOIN eval_alert_anchors n USING (alert_id) JOIN process_events p ON p.event_id = n.event_id
       WHERE a.host <> p.host OR a.process_id <> p.process_id OR a.logon_id <> p.logon_id OR a.command_line IS DISTINCT FROM p.command_line`,
    );
    expect(mismatched).toEqual([]);
  });

  it('labels only loaded events, each once, and every alert', async () => {
    const orphans = await db.one<{ n: number }>(
      `SELECT count(*) AS n FROM labels l WHERE l.kind = 'event'
         AND l.id NOT IN (SELECT event_id FROM process_events UNION ALL SELECT event_id FROM logon_events)`,
    );
    expect(orphans.n).toBe(0);
    const events = await db.one<{ n: number; ids: number; malicious: number }>(
      `SELECT count(*) AS n, count(DISTINCT id) AS ids, count(*) FILTER (WHERE malicious) AS malicious FROM labels WHERE kind = 'event'`,
    );
    expect(events.n).toBe(labeled.labeledEvents);
    expect(events.ids).toBe(events.n);
    expect(events.malicious).toBe(events.n);
    const alerts = await db.all<{ id: string; malicious: boolean; campaign_id: string | null }>(
      `SELECT id, malicious, campaign_id FROM labels WHERE kind = 'alert' ORDER BY id`,
    );
    expect(alerts.length).toBe(set.alerts.length);
    const campaign = new Map(set.cases.map((c) => [c.case_id, c.campaign_id]));
    for (const a of set.alerts) {
      expect(alerts.find((l) => l.id === a.alert_id), a.alert_id).toEqual({ id: a.alert_id, malicious: a.malicious, campaign_id: a.malicious ? campaign.get(a.case_id) : null });
    }
    // Each case's campaign has labeled events on the case's day.
    const byCampaign = await db.all<{ campaign_id: string; day: string }>(
      `SELECT DISTINCT l.campaign_id, strftime(e.ts::DATE, '%Y-%m-%d') AS day FROM labels l
       JOIN (SELECT event_id, ts FROM process_events UNION ALL SELECT event_id, ts FROM logon_events) e ON e.event_id = l.id WHERE l.kind = 'event'`,
    );
    for (const c of set.cases) expect(byCampaign, c.case_id).toContainEqual({ campaign_id: c.campaign_id, day: c.day });
  });

  describe('alert-context eval, end to end', () => {
    let r: EvalResult;
    let out: string;
    beforeAll(async () => {
      out = tempDir('ac-eval-');
      r = await runEval({ db: join(out, 'warehouse.duckdb'), out });
    }, 240_000);

    it('gives per-case and overall figures whose k and n add up', () => {
      expect(r.cases.map((c) => c.case_id)).toEqual(set.cases.map((c) => c.case_id));
      const sum = (pick: (c: CaseResult) => number) => r.cases.reduce((s, c) => s + pick(c), 0);
      expect(sum((c) => c.alerts)).toBe(set.alerts.length);
      expect(r.overall.alerts).toBe(set.alerts.length);
      for (const m of ['coverage', 'item_precision', 'attack_recall', 'benign_report_rate'] as const) {
        const overall = r.overall[m];
        const k = sum((c) => c[m]?.k ?? 0);
        const n = sum((c) => c[m]?.n ?? 0);
        expect({ m, k: overall?.k ?? 0, n: overall?.n ?? 0 }).toEqual({ m, k, n });
      }
      for (const c of [...r.cases, r.overall]) {
        expect(c.coverage?.n, c.case_id).toBe(c.alerts);
        expect(c.benign_report_rate?.n, c.case_id).toBe(c.benign_alerts);
        expect(c.reports, c.case_id).toBe(c.coverage?.k);
        for (const f of [c.coverage, c.item_precision, c.attack_recall, c.benign_report_rate]) {
          if (!f || f.n === 0 || f.n === null) continue;
          expect(f.value).toBeCloseTo(f.k / f.n!, 10);
          expect(f.low!).toBeLessThanOrEqual(f.value!);
          expect(f.high!).toBeGreaterThanOrEqual(f.value!);
        }
      }
      // Every true alert's campaign events in its windows make the recall denominator.
      expect(r.overall.attack_recall?.n).toBeGreaterThan(0);
    });

    it("agrees with the retro run's own overall figures and writes the reports and metrics", () => {
      const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { metrics: { group_by: string; metric: string; k: number; n: number }[] };
      for (const m of ['coverage', 'item_precision', 'attack_recall', 'benign_report_rate'] as const) {
        const row = metrics.metrics.find((x) => x.group_by === 'overall' && x.metric === m);
        expect({ m, k: row?.k ?? 0, n: row?.n ?? 0 }).toEqual({ m, k: r.overall[m]?.k ?? 0, n: r.overall[m]?.n ?? 0 });
      }
      expect(existsSync(join(out, 'reports.ndjson'))).toBe(true);
      const saved = JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8')) as EvalResult;
      expect(saved.overall).toEqual(r.overall);
      expect(r.retro.config_source).toBe(join(set.dir, 'config.json'));
      expect(r.nightly_days).toBeGreaterThan(30);
      // every case has history from the other captures (empire-regsvr32-sct, a capture of July 2020, has one
      // day of it on two hosts: the fleet's cold start, judged by that day, damped)
      for (const c of r.cases) expect(c.history_days, c.case_id).toBeGreaterThanOrEqual(1);
    });

    it("lists nothing from elsewhere on the host on the lab's 3-host fleet when something is tied to the alert: \"on 0 of 3 hosts\" is not strong evidence", () => {
      const reports = readFileSync(join(out, 'reports.ndjson'), 'utf8').trim().split('\n')
        .map((l) => JSON.parse(l) as { alert_id: string; items: { reason: string }[] });
      expect(reports.length).toBeGreaterThan(0);
      // Only an alert that names nothing but its host gets the host's unusual activity, all there is
      // (report-format.md); one that names a session, account or process id needs an item tied to it.
      const elsewhere = /^on the (host, outside the alert's session|alert's host)/;
      const tied = reports.filter((x) => x.items.some((i) => !elsewhere.test(i.reason)));
      expect(tied.length).toBeGreaterThan(0);
      const outside = tied.flatMap((x) => x.items.filter((i) => elsewhere.test(i.reason)).map((i) => `${x.alert_id}: ${i.reason}`));
      expect(outside).toEqual([]);
      // the lines tied to the alert stay: its tree and its session
      expect(reports.flatMap((x) => x.items).filter((i) => /alert process|alert's logon session/.test(i.reason)).length).toBeGreaterThan(10);
    });

    it('replaces its own database on the next run, never a database it did not make', async () => {
      const again = await runEval({ db: join(out, 'warehouse.duckdb'), out: join(out, 'again') });
      expect(again.overall.alerts).toBe(r.overall.alerts);
      expect(again.labeled_events).toBe(r.labeled_events);
      const other = tempDir('ac-eval-other-');
      const foreign = await Database.open(join(other, 'w.duckdb'));
      await loadFiles(foreign, { inputs: [set.captures], format: 'auto' });
      foreign.close();
      await expect(runEval({ db: join(other, 'w.duckdb'), out: other })).rejects.toThrow(/holds a database eval did not make/);
    }, 240_000);
  });
});

