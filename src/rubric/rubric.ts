import { z } from 'zod';

const Id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lower-case id: letters, digits, "_" or "-"');

export const LikertScale = z.strictObject({
  type: z.literal('likert'),
  min: z.number().int(),
  max: z.number().int(),
});
export const BinaryScale = z.strictObject({ type: z.literal('binary') });
export const CategoricalScale = z.strictObject({
  type: z.literal('categorical'),
  labels: z.array(z.string().min(1)).min(2),
  /**
   * The label that means "neither" (a pairwise tie, "no preference"): agreement is then also reported with
   * ties removed, as the literature reports it alongside agreement with ties kept.
   */
  tie: z.string().min(1).optional(),
});
export const Scale = z.discriminatedUnion('type', [LikertScale, BinaryScale, CategoricalScale]);
export type Scale = z.infer<typeof Scale>;

export const Example = z.strictObject({
  transcript: z.string().min(1),
  score: z.union([z.number(), z.string()]),
  reasoning: z.string().min(1),
});

export const Criterion = z.strictObject({
  id: Id,
  question: z.string().min(1),
  scale: Scale,
  /** What each score point means; keys are the score points (numbers for likert/binary, labels for categorical). */
  anchors: z.record(z.string(), z.string().min(1)),
  weight: z.number().positive().default(1),
  examples: z.array(Example).default([]),
  /** `lower`: a lower score is the better one (a count of errors, turns taken); diffs and gates read drops as gains. */
  better: z.enum(['higher', 'lower']).optional(),
});
export type Criterion = z.infer<typeof Criterion>;

export const RubricSchema = z.strictObject({
  id: Id,
  version: z.union([z.string().min(1), z.number()]).transform(String),
  title: z.string().min(1),
  description: z.string().optional(),
  scope: z.enum(['conversation', 'assistant_turn']).default('conversation'),
  /**
   * per_criterion (default): one call per criterion, each judged independently. combined: all criteria in one
   * call per item and judge, the transcript sent once; cheaper, at some cost to independence.
   */
  mode: z.enum(['per_criterion', 'combined']).default('per_criterion'),
  instructions: z.string().optional(),
  /** In pairwise runs: 3 asks A / B / tie; 5 asks A>>B, A>B, A=B, B>A, B>>A (Arena-Hard's scale). */
  pairwise_levels: z.union([z.literal(3), z.literal(5)]).optional(),
  /** Show judges what the assistant thought before answering (Anthropic thinking, Responses reasoning), where it was logged. */
  show_reasoning: z.boolean().optional(),
  criteria: z.array(Criterion).min(1),
});
export type Rubric = z.infer<typeof RubricSchema> & { file: string };

/** Score is a number on likert and binary scales, a label on categorical ones. */
export type Score = number | string;

/** Every score point of a scale, in order. */
export function scalePoints(scale: Scale): Score[] {
  if (scale.type === 'binary') return [0, 1];
  if (scale.type === 'categorical') return [...scale.labels];
  const points: number[] = [];
  for (let s = scale.min; s <= scale.max; s++) points.push(s);
  return points;
}

/** The nearest point of the scale, ties going down: for exact accuracy, confusion matrices and
 * the histograms of logprob-weighted scores, which lie between the points. */
export function nearestPoint(score: Score, scale: Scale): Score {
  if (scale.type === 'categorical' || typeof score !== 'number') return score;
  const points = scalePoints(scale) as number[];
  let best = points[0]!;
  for (const p of points) if (Math.abs(p - score) < Math.abs(best - score)) best = p;
  return best;
}

export function isOnScale(scale: Scale, score: unknown): score is Score {
  return scalePoints(scale).some((point) => point === score);
}

export function isNumericScale(scale: Scale): boolean {
  return scale.type !== 'categorical';
}

export function describeScale(scale: Scale): string {
  if (scale.type === 'likert') return `an integer from ${scale.min} to ${scale.max}`;
  if (scale.type === 'binary') return '0 (no) or 1 (yes)';
  return `one of the labels ${scale.labels.map((l) => JSON.stringify(l)).join(', ')}`;
}
