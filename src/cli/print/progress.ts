import type { RunEvent } from '../../engine/events.js';

interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Draws engine events on stderr: a live bar redrawn in place on a terminal, plain lines every few seconds
 * otherwise (CI logs keep every line, so a bar there would be thousands of lines).
 */
export function drawProgress(stream: Stream, options: { intervalMs?: number; now?: () => number } = {}): (event: RunEvent) => void {
  const now = options.now ?? (() => Date.now());
  const interval = options.intervalMs ?? (stream.isTTY ? 100 : 5000);
  let total = 0;
  let done = 0;
  let fresh = 0;
  let failed = 0;
  let cached = 0;
  let tokens = 0;
  let started = now();
  let lastDrawn = 0;

  const line = (): string => {
    const elapsed = (now() - started) / 1000;
    const rate = elapsed > 0 ? fresh / elapsed : 0;
    const remaining = total - done;
    const eta = rate > 0 ? `${formatSeconds(remaining / rate)}` : '–';
    const percent = total ? Math.floor((done / total) * 100) : 100;
    return `${done}/${total} verdicts (${percent}%)  ${rate.toFixed(1)}/s  eta ${eta}  failed ${failed}  cached ${cached}  tokens ${tokens}`;
  };
  const draw = (force: boolean) => {
    const t = now();
    if (!force && t - lastDrawn < interval) return;
    lastDrawn = t;
    if (stream.isTTY) {
      const width = 24;
      const filled = total ? Math.round((done / total) * width) : width;
      stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line()}`);
    } else {
      stream.write(`jury: ${line()}\n`);
    }
  };

  return (event) => {
    switch (event.type) {
      case 'start':
        total = event.total;
        done = event.alreadyDone;
        started = now();
        if (event.alreadyDone) stream.write(`jury: resuming; ${event.alreadyDone} of ${total} verdicts already journaled\n`);
        draw(true);
        break;
      case 'verdict':
        done++;
        if (event.source === 'cache') cached++;
        else fresh++;
        if (event.status === 'failed') failed++;
        tokens += event.usage.inputTokens + event.usage.outputTokens;
        draw(false);
        break;
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

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
