/** What the sweep optimizes: the highest attack recall among points that keep precision up and benign reports down. */
export interface Objective {
  minItemPrecision: number;
  maxBenignReportRate: number;
}

export const DEFAULT_OBJECTIVE: Objective = { minItemPrecision: 0.9, maxBenignReportRate: 0.1 };
