import { describe, expect, it } from 'vitest';
import { drawProgress } from '../../src/cli/print/progress.js';

const usage = { inputTokens: 100, outputTokens: 20, cachedInputTokens: 0 };

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, write: (t: string) => writes.push(t) };
}

describe('progress on stderr', () => {
  it('prints plain periodic lines when not a terminal, with done/total, rate, eta, failures and tokens', () => {
    let now = 0;
    const out = stream(false);
    const draw = drawProgress(out, { intervalMs: 5000, now: () => now });
    draw({ type: 'start', total: 10, alreadyDone: 0 });
    for (let i = 0; i < 4; i++) {
      now += 1000;
      draw({ type: 'verdict', judge: 'a', status: i === 0 ? 'failed' : 'scored', source: 'provider', usage });
    }
    expect(out.writes).toHaveLength(1);
    now += 1000;
    draw({ type: 'verdict', judge: 'a', status: 'scored', source: 'cache', usage });
    expect(out.writes).toHaveLength(2);
    expect(out.writes[1]).toBe('jury: 5/10 verdicts (50%)  0.8/s  eta 7s  failed 1  cached 1  tokens 600\n');
    expect(out.writes.every((w) => !w.includes('\r'))).toBe(true);
  });

  it('redraws one line in place on a terminal', () => {
    const out = stream(true);
    const draw = drawProgress(out, { intervalMs: 0, now: () => 0 });
    draw({ type: 'start', total: 2, alreadyDone: 1 });
    draw({ type: 'verdict', judge: 'a', status: 'scored', source: 'provider', usage });
    draw({ type: 'end' });
    expect(out.writes[0]).toContain('resuming; 1 of 2 verdicts already journaled');
    expect(out.writes.at(-2)).toMatch(/^\r\x1b\[2K\[#{24}\] 2\/2 verdicts \(100%\)/);
    expect(out.writes.at(-1)).toBe('\n');
  });
});
