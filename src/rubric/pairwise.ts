import { describeScale, scalePoints, type Criterion, type Rubric, type Scale } from './rubric.js';

/**
 * A rubric's criteria asked as comparisons: "which of two conversations is better on this?". The verdict is a
 * label on a categorical scale, in the positions the judge saw (A shown first), so that everything that reads
 * categorical verdicts (journal, parser, agreement with and without ties) reads pairwise ones unchanged.
 */
export type PairwiseLevels = 3 | 5;

export const PAIRWISE_LABELS: Record<PairwiseLevels, readonly string[]> = {
  3: ['A', 'B', 'tie'],
  // Arena-Hard's five levels: a strong preference either way, a preference, or none.
  5: ['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A'],
};

const TIE: Record<PairwiseLevels, string> = { 3: 'tie', 5: 'A=B' };

const MEANINGS: Record<string, string> = {
  A: 'Conversation A is better on this criterion.',
  B: 'Conversation B is better on this criterion.',
  tie: 'Neither is better: they are equally good (or equally poor) on this criterion.',
  'A>>B': 'Conversation A is much better on this criterion.',
  'A>B': 'Conversation A is better on this criterion.',
  'A=B': 'Neither is better: they are equally good (or equally poor) on this criterion.',
  'B>A': 'Conversation B is better on this criterion.',
  'B>>A': 'Conversation B is much better on this criterion.',
};

export function pairwiseScale(levels: PairwiseLevels): Extract<Scale, { type: 'categorical' }> {
  return { type: 'categorical', labels: [...PAIRWISE_LABELS[levels]], tie: TIE[levels] };
}

/** Which position a label prefers: 'A' (shown first), 'B', or 'tie'; and how strongly (2 for A>>B, B>>A). */
export function labelPreference(label: string): { prefers: 'A' | 'B' | 'tie'; strength: 0 | 1 | 2 } {
  switch (label) {
    case 'A':
    case 'A>B':
      return { prefers: 'A', strength: 1 };
    case 'A>>B':
      return { prefers: 'A', strength: 2 };
    case 'B':
    case 'B>A':
      return { prefers: 'B', strength: 1 };
    case 'B>>A':
      return { prefers: 'B', strength: 2 };
    default:
      return { prefers: 'tie', strength: 0 };
  }
}

/** What a pairwise criterion keeps of the rubric's own: its question, scale and anchors, shown as guidance. */
export interface PairwiseSource {
  question: string;
  scale: Scale;
  anchors: Record<string, string>;
}

/** A rubric turned into comparisons; `compares` holds each criterion's own scale and anchors, by criterion id. */
export type PairwiseRubric = Rubric & { compares: { levels: PairwiseLevels; criteria: Record<string, PairwiseSource> } };

export function isPairwiseRubric(rubric: Rubric): rubric is PairwiseRubric {
  return 'compares' in rubric && rubric.compares !== undefined;
}

/**
 * The rubric asked pairwise: every criterion on the three-level scale (A / B / tie), or the five-level one when
 * the rubric sets `pairwise_levels: 5`. Worked examples are pointwise scores, so they are left out.
 */
export function toPairwise(rubric: Rubric): PairwiseRubric {
  const levels: PairwiseLevels = rubric.pairwise_levels ?? 3;
  const scale = pairwiseScale(levels);
  const criteria: Criterion[] = rubric.criteria.map((c) => ({
    ...c,
    scale,
    anchors: Object.fromEntries(scale.labels.map((label) => [label, MEANINGS[label]!])),
    examples: [],
  }));
  const sources = Object.fromEntries(rubric.criteria.map((c) => [c.id, { question: c.question, scale: c.scale, anchors: c.anchors }]));
  return { ...rubric, criteria, compares: { levels, criteria: sources } };
}

/** The guidance a pairwise criterion gives from the rubric's own scale: what each point means for one conversation. */
export function guidanceLines(source: PairwiseSource): string[] {
  return [
    `How the rubric scores one conversation on this criterion (${describeScale(source.scale)}); use it as guidance for the comparison:`,
    ...scalePoints(source.scale).map((point) => `- ${JSON.stringify(point)}: ${source.anchors[String(point)]?.trim() ?? ''}`),
  ];
}
