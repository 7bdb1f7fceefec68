import { constants } from 'node:os';
import { UserError } from './errors.js';

/** Something a signal can cut short: an open DuckDB connection (its running query is interrupted). */
export interface Interruptible { interrupt(): void }

const open = new Set<Interruptible>();
let received: NodeJS.Signals | undefined;

/** How long a command has, after SIGTERM or SIGINT, to roll back, mark its run failed and exit. */
export const SIGNAL_GRACE_MS = 5000;

/** The command was stopped by a signal; exit 128 + the signal's number, as a shell reports it. */
export class InterruptedError extends UserError {
  constructor(readonly signal: NodeJS.Signals) {
    super(`stopped by ${signal}: the work in progress was rolled back and the run marked failed`, 128 + (constants.signals[signal] ?? 15));
    this.name = 'InterruptedError';
  }
}

export function trackInterruptible(x: Interruptible): () => void {
  open.add(x);
  if (received) x.interrupt();
  return () => open.delete(x);
}

/** The signal received, if any. */
export const receivedSignal = (): NodeJS.Signals | undefined => received;

/** Between steps: stop here when a signal came (a step between two queries is not interrupted by DuckDB). */
export function throwIfInterrupted(): void {
  if (received) throw new InterruptedError(received);
}

/**
 * SIGTERM and SIGINT: interrupt every running query, so that the command's own error path rolls
 * back and marks its run failed, then exits. A command still alive after SIGNAL_GRACE_MS (blocked
 * in a system call) is killed: Node's own exit waits for its worker threads, which is how a load
 * once hung for 12 minutes. A second signal kills at once. A killed run is marked failed by the next.
 */
export function installSignalHandlers(): void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.kill(process.pid, 'SIGKILL');
    received = signal;
    if (open.size === 0) {
      // No query to cut short (generate, or before the database is open): nothing to roll back.
      process.stderr.write(`alert-context: stopped by ${signal}\n`);
      process.exit(128 + (constants.signals[signal] ?? 15));
    }
    for (const x of open) x.interrupt();
    setTimeout(() => {
      process.stderr.write(`alert-context: stopped by ${signal}: did not end within ${SIGNAL_GRACE_MS / 1000} s, killed\n`);
      process.kill(process.pid, 'SIGKILL');
    }, SIGNAL_GRACE_MS).unref();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
