import { describe, expect, it } from 'vitest';
import { drawProgress, fit } from '../../src/cli/print/progress.js';

const usage = { inputTokens: 100, outputTokens: 20, cachedInputTokens: 0 };

function stream(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  return { writes, isTTY, columns, write: (t: string) => writes.push(t) };
}

const start = (judges: [string, number][], alreadyDone = 0) => ({ type: 'start' as const, total: judges.reduce((n, [, t]) => n + t, 0), alreadyDone, judges: judges.map(([id, total]) => ({ id, total, done: 0 })) });
const verdict = (judge: string, extra: Partial<{ status: 'scored' | 'failed'; source: 'provider' | 'cache'; spentUsd: number }> = {}) => ({ type: 'verdict' as const, judge, status: extra.status ?? 'scored', source: extra.source ?? 'provider', usage, ...(extra.spentUsd === undefined ? {} : { spentUsd: extra.spentUsd }) });

describe('progress on stderr', () => {
  it('prints plain periodic lines when not a terminal, with done/total, eta, failures, per-judge counts and tokens', () => {
    let now = 0;
    const out = stream(false);
    const draw = drawProgress(out, { intervalMs: 5000, now: () => now });
    draw(start([['a', 10]]));
    for (let i = 0; i < 4; i++) {
      now += 1000;
      draw(verdict('a', { status: i === 0 ? 'failed' : 'scored' }));
    }
    expect(out.writes).toHaveLength(1);
    now += 1000;
    draw(verdict('a', { source: 'cache' }));
    expect(out.writes).toHaveLength(2);
    // 4 fresh verdicts in 5 s, 5 left: 6.25 s.
    expect(out.writes[1]).toBe('jury: 5/10 verdicts (50%)  eta 7s  failed 1  0.8/s  cached 1  tokens 600\n');
    expect(out.writes.every((w) => !w.includes('\r'))).toBe(true);
  });

  it('estimates from the slowest judge, not the panel average', () => {
    let now = 0;
    const out = stream(false);
    const draw = drawProgress(out, { intervalMs: 0, now: () => now });
    draw(start([['fast', 100], ['slow', 100]]));
    // In 10 s the fast judge finished 90, the slow one 10: the slow one needs 90 more at 1/s.
    for (let i = 0; i < 90; i++) draw(verdict('fast'));
    for (let i = 0; i < 10; i++) draw(verdict('slow'));
    now = 10_000;
    draw(verdict('fast'));
    expect(out.writes.at(-1)).toContain('eta 1m30s');
    expect(out.writes.at(-1)).toContain('fast 91/100 slow 10/100');
  });

  it('says which judge it waits on when one has returned nothing for a while (a hung call), instead of a small eta', () => {
    let now = 0;
    const out = stream(false);
    const draw = drawProgress(out, { intervalMs: 0, now: () => now });
    draw(start([['a', 3], ['b', 2]]));
    now = 1000;
    draw(verdict('a'));
    draw(verdict('a'));
    draw(verdict('b'));
    now = 1000 + 10_000;
    draw(verdict('a', { source: 'cache' }));
    // b: 1 of 2 in 11 s, last one 10 s ago: still an estimate.
    expect(out.writes.at(-1)).toContain('eta 11s');
    now = 1000 + 130_001;
    draw({ type: 'end' });
    expect(out.writes.at(-1)).toContain('waiting on b 2m11s');
  });

  it('shows dollars spent against the budget when one is set', () => {
    const out = stream(false);
    const draw = drawProgress(out, { intervalMs: 0, now: () => 0, budgetUsd: 5 });
    draw(start([['a', 4]]));
    draw(verdict('a', { spentUsd: 0.4213 }));
    expect(out.writes.at(-1)).toContain('$0.42 of $5.00');
  });

  it('redraws one line in place on a terminal, cut to its width so it never wraps', () => {
    for (const columns of [80, 100]) {
      const out = stream(true, columns);
      const draw = drawProgress(out, { intervalMs: 0, now: () => 0 });
      draw(start([['gpt-4.1-mini-judge', 1000], ['claude-sonnet-judge', 1000], ['qwen-local-judge', 1000]], 0));
      draw(verdict('gpt-4.1-mini-judge'));
      for (const w of out.writes.filter((x) => x.startsWith('\r'))) expect(w.replace('\r\x1b[2K', '').length).toBeLessThanOrEqual(columns - 1);
      expect(out.writes.at(-1)).toMatch(/^\r\x1b\[2K\[\.{24}\] 1\/3000 verdicts \(0%\)  eta/);
    }
    const out = stream(true, 120);
    const draw = drawProgress(out, { intervalMs: 0, now: () => 0 });
    draw(start([['a', 1]], 0));
    draw(verdict('a'));
    draw({ type: 'end' });
    expect(out.writes.at(-2)).toMatch(/^\r\x1b\[2K\[#{24}\] 1\/1 verdicts \(100%\)/);
    expect(out.writes.at(-1)).toBe('\n');
  });

  it('fit keeps the parts in order while they fit, and cuts the first only when nothing else fits', () => {
    expect(fit(['[##] ', 'one', 'two', 'three'], 15)).toBe('[##] one  two');
    // A part too wide is skipped; a later, shorter one still gets its place.
    expect(fit(['[##] ', 'one', 'a very long part', 'two'], 15)).toBe('[##] one  two');
    expect(fit(['[##] ', 'one', 'two'], 100)).toBe('[##] one  two');
    expect(fit(['[##] ', 'a long first part'], 10)).toBe('a long fir');
  });
});
