import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, renderSvg } from '../charts/render-svg.js';
import { visible } from '../escape.js';
import type { WeeklyData } from './weekly-data.js';

const LABEL: Record<string, string> = { coverage: 'coverage', item_precision: 'item precision', benign_report_rate: 'benign report rate' };
const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CHART_CONFIG } as const;

/** Horizontal bars of a proportion per category, with the 95% interval as a rule and a "v (k/n)" label. */
function intervalBars(category: string, metric: string) {
  const cat = { field: category, type: 'nominal' as const, title: null, sort: null };
  return [
    { mark: { type: 'bar' as const, color: '#4c78a8' }, encoding: { y: cat, x: { field: 'value', type: 'quantitative' as const, scale: { domain: [0, 1] }, title: LABEL[metric] ?? metric } } },
    { mark: { type: 'rule' as const, color: 'black' }, encoding: { y: cat, x: { field: 'low', type: 'quantitative' as const }, x2: { field: 'high' } } },
    { mark: { type: 'text' as const, align: 'left' as const, dx: 4, dy: -8, fontSize: 10 }, encoding: { y: cat, x: { field: 'high', type: 'quantitative' as const }, text: { field: 'label' } } },
  ];
}

/** The four charts of the weekly report, as SVG strings (vega-lite specs rendered in Node). */
export async function weeklyCharts(d: WeeklyData): Promise<{ title: string; svg: string }[]> {
  const fmt = (k: number, n: number | null, v: number | null) => (v === null ? '' : `${v.toFixed(2)} (${k}/${n})`);
  const trend = d.trend.filter((r) => r.metric !== 'items_per_report').map((r) => ({ week: r.group_value, metric: LABEL[r.metric] ?? r.metric, value: r.value, low: r.low, high: r.high }));
  const trendSpec: TopLevelSpec = {
    ...base, title: `Context coverage per week (${d.weeks[0]} to ${d.week}), 95% intervals`, width: 560, height: 240,
    data: { values: trend },
    encoding: {
      x: { field: 'week', type: 'ordinal', title: 'ISO week', scale: { domain: d.weeks } },
      color: { field: 'metric', type: 'nominal', title: null, scale: { domain: ['coverage', 'item precision', 'benign report rate'], range: ['#4c78a8', '#54a24b', '#e45756'] } },
    },
    layer: [
      { mark: { type: 'errorbar', ticks: true }, encoding: { y: { field: 'low', type: 'quantitative', title: 'share', scale: { domain: [0, 1] } }, y2: { field: 'high' } } },
      { mark: { type: 'line', point: true }, encoding: { y: { field: 'value', type: 'quantitative' } } },
    ],
  };
  const perAlert = d.figures.filter((r) => r.group_by === 'alert_name' && r.metric === 'coverage')
    .map((r) => ({ name: visible(r.group_value), // alert names from telemetry: controls shown, not drawn
      value: r.value, low: r.low, high: r.high, label: fmt(r.k, r.n, r.value) }));
  const perAlertSpec: TopLevelSpec = {
    ...base, title: `Coverage per alert name, ${d.week}`, width: 420, height: { step: 26 } as never,
    data: { values: perAlert }, layer: intervalBars('name', 'coverage'),
  };
  const histogramSpec: TopLevelSpec = {
    ...base, title: `Items per report, ${d.week}`, width: 420, height: 200,
    data: { values: d.items_histogram },
    mark: { type: 'bar', color: '#72b7b2' },
    encoding: {
      x: { field: 'items', type: 'ordinal', title: 'items in the report' },
      y: { field: 'reports', type: 'quantitative', title: 'reports', axis: { tickMinStep: 1 } },
    },
  };
  const charts = [
    { title: 'Coverage trend', svg: await renderSvg(trendSpec) },
    { title: 'Coverage per alert name', svg: await renderSvg(perAlertSpec) },
    { title: 'Items per report', svg: await renderSvg(histogramSpec) },
  ];
  if (d.labeled) {
    const perJob = d.figures.filter((r) => r.group_by === 'category' && r.metric === 'item_precision')
      .map((r) => ({ job: visible(d.jobs[r.group_value] ?? r.group_value), value: r.value, low: r.low, high: r.high, label: fmt(r.k, r.n, r.value) }));
    charts.push({
      title: 'Item precision per job',
      svg: await renderSvg({ ...base, title: `Item precision per job, ${d.week}`, width: 420, height: { step: 26 } as never, data: { values: perJob }, layer: intervalBars('job', 'item_precision') }),
    });
  }
  return charts;
}
