import type { JournalRecord } from '../journal/journal.js';
import { callKey, unitKey, type Unit } from '../plan/plan.js';
import { buildReport, recordSource } from '../report/build.js';
import type { Report } from '../report/report.js';
import type { Rubric } from '../rubric/rubric.js';
import { NO_USAGE } from '../judges/verdict.js';
import type { ConversationMetrics } from './metrics.js';

/** The largest turns_to_success point: a likert scale has at most 11 points (11 reads "11 or more"). */
export const TURNS_CAP = 11;

const binary = (id: string, question: string, no: string, yes: string, better?: 'lower') => ({ id, question, scale: { type: 'binary' as const }, anchors: { '0': no, '1': yes }, weight: 1, examples: [], ...(better ? { better } : {}) });

/** The computed criteria of a simulation, per conversation. Version 1: change it when a definition changes. */
export const SIMULATION_RUBRIC: Rubric = {
  id: 'simulation', version: '1', title: 'Simulated conversations (computed, not judged)', scope: 'conversation', mode: 'per_criterion', file: '(built in)',
  criteria: [
    binary('success', 'Did the listener accept a track that meets every constraint and was new to them?', 'no', 'yes'),
    binary('abandoned', 'Did the listener give up, or run out of turns?', 'no', 'yes', 'lower'),
    { id: 'turns_to_success', question: 'Assistant turns read until the accepted recommendation (successful conversations only).', scale: { type: 'likert', min: 1, max: TURNS_CAP }, anchors: Object.fromEntries(Array.from({ length: TURNS_CAP }, (_, i) => [String(i + 1), i + 1 === TURNS_CAP ? `${TURNS_CAP} or more` : `${i + 1}`])), weight: 1, examples: [], better: 'lower' },
    binary('no_repeats', 'Was every track recommended at most once?', 'a track came back', 'no repeat'),
  ],
};

/** Per assistant turn: questions that changed what came next, recommendations that kept the stated constraints. */
export const SIMULATION_TURN_RUBRIC: Rubric = {
  id: 'simulation-turns', version: '1', title: 'Simulated conversations, per assistant turn (computed)', scope: 'assistant_turn', mode: 'per_criterion', file: '(built in)',
  criteria: [
    binary('question_changed_next', 'Did the answer to this clarifying question change what was recommended next?', 'no: it cost the listener a turn', 'yes'),
    binary('kept_constraints', 'Did every track this turn recommended meet the constraints the listener had stated by then?', 'no', 'yes'),
  ],
};

export const COMPUTED_JUDGE = 'computed';

/**
 * The metrics as a jury report: one "judge" (`computed`) whose verdicts are the measured values, so that `jury
 * diff`, `jury gate` and `jury view` read a simulation like any run. Units exist only where a metric applies
 * (turns_to_success on successes, a question's effect on questions). `simulated` says whether the listener was
 * the mock.
 */
export function metricsReport(label: string, configHash: string, conversations: readonly { id: string; metadata: Record<string, unknown>; metrics: ConversationMetrics }[], mockListener: boolean): Report {
  const units: Unit[] = [];
  const records = new Map<string, JournalRecord>();
  const add = (item: string, rubric: Rubric, criterion: string, score: number, reasoning: string, turn?: number) => {
    const key = unitKey(item, rubric.id, criterion, turn);
    units.push({ key, item, rubric: rubric.id, criterion, ...(turn === undefined ? {} : { turn }) });
    records.set(callKey(key, COMPUTED_JUDGE, 0), {
      key: callKey(key, COMPUTED_JUDGE, 0), judge: COMPUTED_JUDGE, item, rubric: rubric.id, criterion, sample: 0, ...(turn === undefined ? {} : { turn }),
      verdict: { status: 'scored', score, reasoning, citedTurns: turn === undefined ? [] : [turn] }, attempts: 1, usage: NO_USAGE, latency_ms: 0, source: 'provider',
    });
  };
  for (const { id, metrics: m } of conversations) {
    add(id, SIMULATION_RUBRIC, 'success', m.success, `outcome ${m.outcome}`);
    add(id, SIMULATION_RUBRIC, 'abandoned', m.abandoned, `outcome ${m.outcome}`);
    if (m.turns_to_success !== undefined) add(id, SIMULATION_RUBRIC, 'turns_to_success', Math.min(TURNS_CAP, Math.max(1, m.turns_to_success)), `${m.turns_to_success} assistant turns`);
    add(id, SIMULATION_RUBRIC, 'no_repeats', m.repeated === 0 ? 1 : 0, `${m.repeated} repeated of ${m.recommendations} recommendations`);
    for (const q of m.questions) add(id, SIMULATION_TURN_RUBRIC, 'question_changed_next', q.changed ? 1 : 0, q.changed ? 'the answer changed the next recommendation' : 'nothing changed after the answer', q.at + 1);
    for (const r of m.recommending) add(id, SIMULATION_TURN_RUBRIC, 'kept_constraints', r.kept ? 1 : 0, r.kept ? 'every stated constraint kept' : 'a recommended track breaks a stated constraint', r.at + 1);
  }
  const metadata = new Map(conversations.map((c) => [c.id, c.metadata]));
  const report = buildReport({
    label, configHash, aggregation: { method: 'mean', quorum: 'majority' }, rubrics: [SIMULATION_RUBRIC, SIMULATION_TURN_RUBRIC],
    judges: [{ id: COMPUTED_JUDGE, provider: 'computed', model: 'simulation-metrics-v1', samples: 1, simulated: mockListener }],
    units, verdicts: recordSource(records, units), metadataOf: (item) => metadata.get(item),
  });
  return mockListener ? { ...report, notice: 'conversations with a mock listener (simulated), metrics computed from them' } : report;
}
