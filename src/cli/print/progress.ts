import type { RunEvent } from '../../engine/events.js';

interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Terminal width; a line wider than this wraps, and `\r` then redraws only its last row. */
  columns?: number;
}

interface JudgeProgress {
  id: string;
  total: number;
  done: number;
  fresh: number;
  lastVerdictAt: number;
}

/** A judge that has work left and has returned nothing for this long is shown as what the run waits on. */
const STALL_MS = 10_000;

/**
 * Draws engine events on stderr: a live line redrawn in place on a terminal (cut to its width), plain lines every
 * few seconds otherwise (CI logs keep every line, so a bar there would be thousands of lines). The estimate comes
 * from the slowest judge: each judge's remaining verdicts at its own rate, the largest of these; a judge that has
 * returned nothing for a while makes the estimate unknown ("waiting on …") rather than a confident small number.
 */
export function drawProgress(stream: Stream, options: { intervalMs?: number; now?: () => number; budgetUsd?: number } = {}): (event: RunEvent) => void {
  const now = options.now ?? (() => Date.now());
  const interval = options.intervalMs ?? (stream.isTTY ? 100 : 5000);
  let total = 0;
  let done = 0;
  let fresh = 0;
  let failed = 0;
  let cached = 0;
  let tokens = 0;
  let spent = 0;
  let started = now();
  let lastDrawn = 0;
  const judges = new Map<string, JudgeProgress>();

  /** Seconds left by the slowest judge, or the judge the run is waiting on. */
  const estimate = (t: number): string => {
    const elapsed = (t - started) / 1000;
    let worst = 0;
    for (const j of judges.values()) {
      const left = j.total - j.done;
      if (left <= 0) continue;
      if (t - j.lastVerdictAt > STALL_MS) return `waiting on ${j.id} ${formatSeconds((t - j.lastVerdictAt) / 1000)}`;
      if (j.fresh === 0) return 'eta –';
      worst = Math.max(worst, left / (j.fresh / elapsed));
    }
    return `eta ${formatSeconds(worst)}`;
  };

  /** The parts of the line, most important first; a narrow terminal keeps as many as fit. */
  const parts = (t: number): string[] => {
    const elapsed = (t - started) / 1000;
    const percent = total ? Math.floor((done / total) * 100) : 100;
    const rate = elapsed > 0 ? fresh / elapsed : 0;
    const out = [`${done}/${total} verdicts (${percent}%)`, estimate(t)];
    if (options.budgetUsd !== undefined) out.push(`$${spent.toFixed(2)} of $${options.budgetUsd.toFixed(2)}`);
    out.push(`failed ${failed}`);
    if (judges.size > 1) out.push([...judges.values()].map((j) => `${j.id} ${j.done}/${j.total}`).join(' '));
    out.push(`${rate.toFixed(1)}/s`, `cached ${cached}`, `tokens ${tokens}`);
    return out;
  };

  const draw = (force: boolean) => {
    const t = now();
    if (!force && t - lastDrawn < interval) return;
    lastDrawn = t;
    if (stream.isTTY) {
      const barWidth = 24;
      const filled = total ? Math.round((done / total) * barWidth) : barWidth;
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] `;
      stream.write(`\r\x1b[2K${fit([bar, ...parts(t)], (stream.columns ?? 80) - 1)}`);
    } else {
      stream.write(`jury: ${parts(t).join('  ')}\n`);
    }
  };

  return (event) => {
    switch (event.type) {
      case 'start':
        total = event.total;
        done = event.alreadyDone;
        started = now();
        judges.clear();
        for (const j of event.judges) judges.set(j.id, { ...j, fresh: 0, lastVerdictAt: started });
        if (event.alreadyDone) stream.write(`jury: resuming; ${event.alreadyDone} of ${total} verdicts already journaled\n`);
        draw(true);
        break;
      case 'verdict': {
        done++;
        const judge = judges.get(event.judge);
        if (judge) {
          judge.done++;
          judge.lastVerdictAt = now();
        }
        if (event.source === 'cache') cached++;
        else {
          fresh++;
          if (judge) judge.fresh++;
        }
        if (event.status === 'failed') failed++;
        if (event.spentUsd !== undefined) spent = event.spentUsd;
        tokens += event.usage.inputTokens + event.usage.outputTokens;
        draw(false);
        break;
      }
      case 'judge-down':
        stream.write(`${stream.isTTY ? '\r\x1b[2K' : ''}jury: judge ${event.judge} is ${event.cause === 'auth' ? 'refused' : 'unreachable'} (${event.cause}): ${event.message}; its remaining verdicts are recorded as failed\n`);
        break;
      case 'retry':
        break;
      case 'note':
        stream.write(`${stream.isTTY ? '\r\x1b[2K' : ''}jury: ${event.message}\n`);
        break;
      case 'end':
        draw(true);
        if (stream.isTTY) stream.write('\n');
        break;
    }
  };
}

/** The bar and, in order, each part that still fits in `width` columns, two spaces apart; the first part is cut if it must be. */
export function fit(pieces: readonly string[], width: number): string {
  const [bar = '', first = '', ...rest] = pieces;
  let line = bar.length + first.length <= width ? `${bar}${first}` : first;
  for (const part of rest) {
    if (line.length + 2 + part.length <= width) line += `  ${part}`;
  }
  return line.length > width ? line.slice(0, Math.max(0, width)) : line;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
