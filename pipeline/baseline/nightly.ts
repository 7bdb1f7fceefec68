// Moved to pipeline/jobs/nightly.ts (#16). Kept while pipeline/eval/run-eval.ts and bench/ still import it from here.
export * from '../jobs/nightly.js';
