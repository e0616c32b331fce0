import type { VerdictSource } from '../../src/judges/verdict.js';
import type { Unit } from '../../src/plan/plan.js';

/**
 * Verdicts a test chooses, by `unit key|judge|sample`: a label is a scored verdict (reasoning "<judge> on <key>",
 * citing turn 2), `failed` a failed one, absent one not obtained.
 */
export function labelSource(units: readonly Unit[], labels: Record<string, string>): VerdictSource {
  const at = (u: number, judge: string, sample: number) => labels[`${units[u]!.key}|${judge}|${sample}`];
  return {
    outcome: (u, judge, sample) => {
      const l = at(u, judge, sample);
      return l === undefined ? undefined : l === 'failed' ? { status: 'failed' } : { status: 'scored', score: l };
    },
    verdict: (u, judge, sample) => {
      const l = at(u, judge, sample);
      return l === undefined ? undefined : l === 'failed' ? { status: 'failed', cause: 'transient', message: 'x' } : { status: 'scored', score: l, reasoning: `${judge} on ${units[u]!.key}`, citedTurns: [2] };
    },
  };
}
