import type { FailureCause, Usage } from '../judges/verdict.js';

/** What the engine reports while it runs; the CLI draws these, the engine never prints. */
export type RunEvent =
  | { type: 'start'; total: number; alreadyDone: number; judges: { id: string; total: number; done: number }[] }
  | { type: 'verdict'; judge: string; status: 'scored' | 'failed'; source: 'provider' | 'cache'; usage: Usage; cause?: FailureCause; spentUsd?: number }
  | { type: 'retry'; judge: string; cause: FailureCause; attempt: number; delayMs: number }
  | { type: 'judge-down'; judge: string; cause: FailureCause; message: string }
  | { type: 'note'; message: string }
  | { type: 'end' };

export type EventSink = (event: RunEvent) => void;
