import { assembleContext, checkSameWindows, freeingWindows, judgeContextPoints, prepareContextWindows } from '../context/context-candidates.js';
import type { ThresholdPoint } from '../context/context-candidates.js';
import type { Database } from '../db.js';
import { metricInputsFromKept } from '../metrics/context-metrics.js';
import { memoryLimitBytes } from '../memory-limit.js';

/**
 * Memory one candidate item takes while its point is assembled (context_kept: the item's text,
 * its folds and orderings), measured on the bench's 14 days: about 2 KB, doubled for safety.
 */
const BYTES_PER_CANDIDATE = 4096;

/**
 * Judge, assemble and measure every grid point into the metric inputs (metric_points,
 * metric_items, metric_reports, metric_alerts), a few points at a time: the alerts' windows and
 * their events' features are prepared once (point-independent), then each chunk of points is
 * judged and assembled in one set-based pass and only its metric rows are kept. A chunk holds as
 * many points as the memory limit allows for the candidates per point seen so far; the first
 * chunk is one point (`candidatesPerChunk` overrides the memory's budget). Chunking changes no
 * figure: points never interact.
 */
export async function sweepPoints(
  db: Database, from: string, to: string, points: readonly ThresholdPoint[], candidatesPerChunk?: number,
): Promise<{ chunks: number }> {
  checkSameWindows(points);
  const budget = Math.max(1, Math.floor(candidatesPerChunk ?? (await memoryLimitBytes(db)) / BYTES_PER_CANDIDATE));
  return freeingWindows(db, async () => {
    // only the windows of the alerts that can get a report at one of the points (the metrics still count every alert)
    const windows = await prepareContextWindows(db, from, to, points[0]!.t, null, undefined, points);
    let perPoint = 0;
    let chunks = 0;
    for (let i = 0; i < points.length;) {
      const size = chunks === 0 ? 1 : Math.max(1, Math.floor(budget / Math.max(perPoint, 1)));
      const chunk = points.slice(i, i + size);
      const n = await judgeContextPoints(db, windows, chunk);
      perPoint = Math.max(perPoint, n / chunk.length);
      await assembleContext(db);
      await db.exec('DROP TABLE IF EXISTS context_candidates');
      await metricInputsFromKept(db, from, to, chunks > 0);
      await db.exec('DROP TABLE IF EXISTS context_kept');
      i += chunk.length;
      chunks += 1;
    }
    await db.exec('DROP TABLE IF EXISTS context_attachments');
    return { chunks };
  });
}
