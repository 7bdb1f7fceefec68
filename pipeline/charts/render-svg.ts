import type { TopLevelSpec } from 'vega-lite';

/**
 * Render a vega-lite spec to an SVG string in Node (no browser, no canvas, nothing fetched: the
 * data must be inline). Vega escapes the text it draws, so labels from the data stay text.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded when a chart is drawn: every command would pay their 0.5 s of start-up otherwise.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Shared look: one font, no external schema fetch (the $schema is only a label). */
export const CHART_CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' as const },
};
