import { describe, expect, it } from 'vitest';
import { battlesOf } from '../../src/stats/battles.js';
import { DEFAULT_ELO, onlineElo } from '../../src/stats/elo.js';

describe('online Elo', () => {
  it('moves both systems by K × (score − expected), from the ratings before the battle', () => {
    // By hand, K = 16 from 1000: x beats y (expected 0.5 each) → 1008 / 992; then y ties z (992 vs 1000):
    // E_y = 1/(1 + 10^(8/400)) = 0.488489…, so y gains 16 × 0.011510… and z loses the same.
    const battles = battlesOf([{ a: 'x', b: 'y', outcome: 'a' }, { a: 'y', b: 'z', outcome: 'tie' }]);
    const [x, y, z] = onlineElo(battles);
    const ey = 1 / (1 + 10 ** (8 / 400));
    expect(x).toBe(1008);
    expect(y).toBeCloseTo(992 + 16 * (0.5 - ey), 12);
    expect(z).toBeCloseTo(1000 - 16 * (0.5 - ey), 12);
    expect(y! - 992).toBeCloseTo(0.18417, 5);
  });

  it('a loss by the first-listed system moves it down', () => {
    const [a, b] = onlineElo(battlesOf([{ a: 'p', b: 'q', outcome: 'b' }]));
    expect([a, b]).toEqual([992, 1008]);
  });

  it('takes initial rating, K, scale and base from the options', () => {
    const battles = battlesOf([{ a: 'x', b: 'y', outcome: 'a' }, { a: 'x', b: 'y', outcome: 'a' }]);
    const [x, y] = onlineElo(battles, { initial: 1500, k: 32, scale: 200, base: 4 });
    // Second battle: 1516 vs 1484, E_x = 1/(1 + 4^(−32/200)).
    const ex = 1 / (1 + 4 ** (-32 / 200));
    expect(x).toBeCloseTo(1516 + 32 * (1 - ex), 12);
    expect(y).toBeCloseTo(1484 - 32 * (1 - ex), 12);
    expect(DEFAULT_ELO).toEqual({ initial: 1000, k: 16, scale: 400, base: 10 });
  });

  it('follows the order given, and the order matters', () => {
    const battles = battlesOf([{ a: 'x', b: 'y', outcome: 'a' }, { a: 'y', b: 'z', outcome: 'a' }, { a: 'z', b: 'x', outcome: 'a' }]);
    const forward = onlineElo(battles);
    const reversed = onlineElo(battles, DEFAULT_ELO, [2, 1, 0]);
    const direct = onlineElo(battlesOf(([{ a: 'x', b: 'y', outcome: 'a' }, { a: 'y', b: 'z', outcome: 'a' }, { a: 'z', b: 'x', outcome: 'a' }] as const).slice().reverse()));
    // The reversed list numbers its systems z, x, y (first appearance), so compare by name.
    expect([reversed[0], reversed[1], reversed[2]]).toEqual([direct[1], direct[2], direct[0]]);
    expect(Array.from(forward)).not.toEqual(Array.from(reversed));
    // A subset order plays only those battles.
    expect(Array.from(onlineElo(battles, DEFAULT_ELO, [0]))).toEqual([1008, 992, 1000]);
  });
});
