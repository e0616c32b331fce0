import { describe, expect, it } from 'vitest';
import { combine, panelScore, requiredQuorum, spread } from '../../src/aggregate/panel.js';
import type { Scale } from '../../src/rubric/rubric.js';

const likert = { type: 'likert', min: 1, max: 5 } as const;
const labels: Scale = { type: 'categorical', labels: ['yes', 'no', 'tie'] };

describe('panel aggregation', () => {
  it('takes mean, median (mean of the middle two) and majority', () => {
    expect(combine([2, 4, 5], 'mean', likert)).toBeCloseTo(11 / 3, 12);
    expect(combine([5, 2, 4], 'median', likert)).toBe(4);
    expect(combine([1, 2, 4, 5], 'median', likert)).toBe(3);
    expect(combine([4, 2, 4], 'majority', likert)).toBe(4);
  });

  it('breaks a majority tie towards the lower score, so a tie never flatters the assistant', () => {
    expect(combine([5, 2], 'majority', likert)).toBe(2);
  });

  it('uses the most frequent label on categorical scales whatever the method', () => {
    expect(combine(['no', 'yes', 'no'], 'mean', labels)).toBe('no');
    expect(spread(['no', 'yes', 'no'], labels)).toBeCloseTo(1 / 3, 12);
  });

  it('a panel with no score has no spread, on either kind of scale', () => {
    expect(spread([], likert)).toBe(0);
    expect(spread([], labels)).toBe(0);
    expect(spread([2, 5, 3], likert)).toBe(3);
  });

  it('needs a strict majority of the panel by default', () => {
    expect(requiredQuorum('majority', 3)).toBe(2);
    expect(requiredQuorum('majority', 4)).toBe(3);
    expect(requiredQuorum('all', 4)).toBe(4);
    expect(requiredQuorum(7, 3)).toBe(3);
  });

  it('reports a unit below quorum as unscored, with no score', () => {
    expect(panelScore([4], 3, 'mean', 'majority', likert)).toEqual({ status: 'unscored', reason: '1 of 3 judges returned a verdict; quorum is 2', judges: 1 });
    expect(panelScore([4, 2], 3, 'mean', 'majority', likert)).toEqual({ status: 'scored', score: 3, spread: 2, judges: 2 });
  });
});

describe('panel corners', () => {
  it('a numeric quorum is the number asked (at most the panel); all is the whole panel', async () => {
    const { requiredQuorum } = await import('../../src/aggregate/panel.js');
    expect(requiredQuorum(2, 5)).toBe(2);
    expect(requiredQuorum(9, 5)).toBe(5);
    expect(requiredQuorum('all', 5)).toBe(5);
    expect(requiredQuorum('majority', 4)).toBe(3);
  });

  it('a majority tie goes to the lower score whichever order the judges answered in', async () => {
    const { combine } = await import('../../src/aggregate/panel.js');
    const scale = { type: 'likert' as const, min: 1, max: 5 };
    expect(combine([5, 3], 'majority', scale)).toBe(3);
    expect(combine([3, 5], 'majority', scale)).toBe(3);
    expect(combine([4, 2, 2, 4], 'majority', scale)).toBe(2);
    expect(combine([2, 4, 4, 2], 'majority', scale)).toBe(2);
  });
});
