import { z } from 'zod';
import { ConstraintRule } from './catalogue.js';

const Id = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'expected an id: letters, digits, ".", "_" or "-"');

/** A constraint the listener has: the rule a track must meet, and what the listener says when it comes up. */
export const Constraint = ConstraintRule.extend({
  id: Id,
  /** The listener's words for it, e.g. "No vocals, please: words distract me." */
  say: z.string().min(1),
  /** Stated in the opening line (`false`), or kept until the assistant asks or gets it wrong (default). */
  hidden: z.boolean().default(true),
  /** Words in a question that make the (mock) listener reveal it, e.g. [vocals, lyrics, instrumental]. */
  asked_by: z.array(z.string().min(1)).default([]),
});
export type Constraint = z.infer<typeof Constraint>;

export const KINDS = ['vague', 'mood_activity', 'late_constraint', 'correction', 'known_tracks', 'specific'] as const;

export const ScenarioSchema = z.strictObject({
  id: Id,
  /** What kind of listener this is, for the per-kind figures. */
  kind: z.enum(KINDS),
  /** A short name for the persona (the per-persona figures), and who they are, for the simulated user. */
  persona: Id,
  persona_text: z.string().min(1),
  goal: z.string().min(1),
  /** The first thing the listener says; written from the goal when absent. */
  opening: z.string().min(1).optional(),
  constraints: z.array(Constraint).default([]),
  /** Tracks (ids or titles) the listener already knows: recommending them is no discovery. */
  knows: z.array(z.string().min(1)).default([]),
  /** Listener turns without finding music before they give up. */
  patience: z.number().int().min(1).max(20).default(4),
  seed: z.number().int().min(0).optional(),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

export const ScenarioFileSchema = z.strictObject({
  version: z.literal(1).default(1),
  scenarios: z.array(ScenarioSchema).min(1),
});

/** The opening line: the scenario's own, or one written from its goal and the constraints it states at once. */
export function openingLine(scenario: Scenario): string {
  if (scenario.opening) return scenario.opening;
  const stated = scenario.constraints.filter((c) => !c.hidden).map((c) => c.say);
  return [`I'm looking for ${scenario.goal}.`, ...stated].join(' ');
}

/** Whether a track (or title) is one the listener already knows. */
export function knowsTrack(scenario: Pick<Scenario, 'knows'>, track: { id: string; title: string }): boolean {
  return scenario.knows.some((k) => k.toLowerCase() === track.id.toLowerCase() || k.toLowerCase() === track.title.toLowerCase());
}
