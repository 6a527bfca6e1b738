/**
 * Undoing a request's own writes when a later step fails (there are no
 * transactions). An undo step is best effort: if it fails too, the original
 * error still goes to the caller, and the log says what was left behind, so
 * nothing is ever swallowed silently.
 */
import type { Log } from './ports.ts';

export interface UndoStep {
  /** What stays in place if this step fails, in words for whoever reads the log. */
  leftBehind: string;
  run: () => Promise<unknown>;
}

/** Runs one step; a failure is logged with what it left behind, never thrown. */
export async function bestEffort(log: Log, step: UndoStep, about: Record<string, unknown> = {}): Promise<void> {
  try {
    await step.run();
  } catch (err) {
    log.error('undo step failed', { leftBehind: step.leftBehind, ...about, err });
  }
}

/** Runs the steps newest first (the reverse of the writes they undo). */
export async function undoAll(log: Log, steps: UndoStep[], about: Record<string, unknown> = {}): Promise<void> {
  for (const step of [...steps].reverse()) await bestEffort(log, step, about);
}
