import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/diff/diff.js';
import { evaluateGates } from '../../src/gate/gate.js';
import type { JournalRecord } from '../../src/journal/journal.js';
import { buildPlan, planCalls, planItems } from '../../src/plan/plan.js';
import { buildReport, recordSource } from '../../src/report/build.js';
import type { Report } from '../../src/report/report.js';
import type { Rubric } from '../../src/rubric/rubric.js';
import { seededRng, type Rng } from '../../src/stats/rng.js';
import type { Transcript } from '../../src/transcript/transcript.js';

const anchors = { '1': 'a', '2': 'b', '3': 'c', '4': 'd', '5': 'e' };
const rubric: Rubric = {
  id: 'r', version: '1', title: 'R', scope: 'conversation', mode: 'per_criterion', file: 'r.yaml',
  criteria: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((id) => ({ id, question: 'q', scale: { type: 'likert' as const, min: 1, max: 5 }, anchors, weight: 1, examples: [] })),
};
const transcripts: Transcript[] = Array.from({ length: 30 }, (_, i) => ({ id: `item-${String(i).padStart(2, '0')}`, file: 't', messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y' }] }));
const judges = [{ id: 'j1', samples: 1 }, { id: 'j2', samples: 1 }, { id: 'j3', samples: 1 }];
const plan = buildPlan(planItems(transcripts), [rubric], judges);

/** A judge reads the true score with noise: off by one a fifth of the time either way, clamped to the scale. */
function noisyReport(truth: Map<string, number>, rng: Rng, label: string): Report {
  const records = new Map<string, JournalRecord>();
  for (const call of planCalls(plan)) {
    const u = rng.next();
    const score = Math.min(5, Math.max(1, truth.get(call.unit.key)! + (u < 0.2 ? -1 : u > 0.8 ? 1 : 0)));
    records.set(call.key, {
      key: call.key, judge: call.judge, item: call.unit.item, rubric: call.unit.rubric, criterion: call.unit.criterion, sample: 0,
      verdict: { status: 'scored', score, reasoning: 'r', citedTurns: [] }, attempts: 1,
      usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }, latency_ms: 0, source: 'provider',
    });
  }
  return buildReport({
    label, configHash: 'h', aggregation: { method: 'mean', quorum: 'majority' }, rubrics: [rubric],
    judges: judges.map((j) => ({ id: j.id, provider: 'openai', model: `m-${j.id}`, samples: 1, simulated: false })),
    units: plan.units, verdicts: recordSource(records, plan.units),
  });
}

describe('A/A: the same agent judged twice with fresh judge noise', () => {
  it('passes the regression gate in at least 95% of 200 seeded simulations', () => {
    let passed = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const rng = seededRng(seed);
      const truth = new Map(plan.units.map((u) => [u.key, 1 + rng.int(5)]));
      const base = noisyReport(truth, rng, 'a');
      const candidate = noisyReport(truth, rng, 'b');
      const diff = diffReports(base, candidate, { skipDetectable: true });
      if (evaluateGates(candidate, { max_regression: 0, significance: 0.05 }, diff).passed) passed++;
    }
    // Holm keeps the family-wise error at 5%: with six criteria, a gate that failed on noise would show here.
    expect(passed).toBeGreaterThanOrEqual(190);
  });

  it('and detects a real drop of one point on one criterion in most simulations (the gate has power)', () => {
    let caught = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const rng = seededRng(1000 + seed);
      const truth = new Map(plan.units.map((u) => [u.key, 2 + rng.int(4)]));
      const worse = new Map([...truth].map(([k, v]) => [k, k.endsWith('r/c3') ? v - 1 : v]));
      const diff = diffReports(noisyReport(truth, rng, 'a'), noisyReport(worse, rng, 'b'), { skipDetectable: true });
      if (diff.criteria.find((c) => c.criterion === 'c3')!.change === 'regressed') caught++;
    }
    expect(caught).toBeGreaterThanOrEqual(45);
  });
});
