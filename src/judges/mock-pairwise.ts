import type { JudgeConfig } from '../config/config.js';
import { scalePoints, type Scale } from '../rubric/rubric.js';
import { describeSignals, penalty, readSignals } from './mock-signals.js';
import type { JudgeRequest } from './request.js';

/**
 * The mock judge's answer to a pairwise request: each conversation's quality read from its surface signals
 * (as the pointwise mock reads them), the difference pushed towards the conversation shown first by a bias of
 * the judge's own (hashed, up to 0.3 of a point) and by hashed noise, so that the bias audit has something to
 * find and order swaps sometimes disagree. Simulated, like every mock verdict.
 */
export function pairwiseReply(judge: Pick<JudgeConfig, 'id' | 'model'>, request: JudgeRequest, unit: (...parts: (string | number)[]) => number): string {
  const pair = request.pair!;
  const a = readSignals(pair.a);
  const b = readSignals(pair.b);
  const firstBias = 0.3 * unit('position', judge.id, judge.model);
  const verdict = (criterionText: string, scale: Scale) => {
    const noise = 0.5 * (unit('pairwise-noise', judge.id, judge.model, criterionText, pair.a, request.sample) - 0.5);
    // The signals are weighed by what the rubric asks (its question and anchors), not by the comparison's framing.
    const id = /Criterion `([^`]*)`/.exec(criterionText)?.[1] ?? '';
    const asked = `${id} ${/on this question\? ([\s\S]*?)\n\nVerdict:/.exec(criterionText)?.[1] ?? criterionText}`;
    const diff = penalty(b, asked) - penalty(a, asked) + firstBias + noise;
    return {
      reasoning: `Simulated verdict from mock judge ${judge.id}: no model was asked. Conversation A: ${describeSignals(a)}. Conversation B: ${describeSignals(b)}.`,
      score: labelFor(diff, scalePoints(scale).map(String)),
      cited_turns: [request.maxTurn],
    };
  };
  if (request.criteria) {
    const blocks = request.criterion.split(/^## Criterion \d+ of \d+\n/m).slice(1);
    return JSON.stringify({ verdicts: Object.fromEntries(request.criteria.map((c, i) => [c.id, verdict(blocks[i] ?? c.id, c.scale)])) });
  }
  return JSON.stringify(verdict(request.criterion, request.scale));
}

/** A preference for A of `diff` (in penalty points) as a label of the three- or five-level scale. */
function labelFor(diff: number, labels: readonly string[]): string {
  if (labels.length === 5) return diff > 1 ? labels[0]! : diff > 0.25 ? labels[1]! : diff < -1 ? labels[4]! : diff < -0.25 ? labels[3]! : labels[2]!;
  return diff > 0.25 ? labels[0]! : diff < -0.25 ? labels[1]! : labels[2]!;
}
