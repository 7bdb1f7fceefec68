// Moved to pipeline/jobs/day-shadows.ts (#16). Kept while pipeline/sigma/detect-day.ts still imports it from here.
export { showSigmaAlerts } from '../jobs/day-shadows.js';
