import type { CriterionDiff } from '../diff/diff.js';

const signed = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(2)}`;

/** "[−0.50, −0.17]" with "(" or ")" on an open end, or "" without an interval. */
export function shiftInterval(ci: CriterionDiff['ci']): string {
  if (!ci) return '';
  return `${ci.low_open ? '(' : '['}${signed(ci.low)}, ${signed(ci.high)}${ci.high_open ? ')' : ']'}`;
}

/** The level as a percentage, to as many decimals as it needs (95%, 98.3%, 99.17%). */
export function levelText(level: number): string {
  const percent = level * 100;
  for (const digits of [0, 1, 2]) if (Math.abs(Number(percent.toFixed(digits)) - percent) < 1e-9) return `${percent.toFixed(digits)}%`;
  return `${percent.toFixed(2)}%`;
}

/** The interval with its level: "[−0.50, −0.17] 98.3%". */
export function shiftIntervalWithLevel(ci: CriterionDiff['ci']): string {
  return ci ? `${shiftInterval(ci)} ${levelText(ci.level)}` : '';
}
