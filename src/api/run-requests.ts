import { buildPairwiseRequest } from '../judges/pairwise-request.js';
import { buildCombinedRequest, buildJudgeRequest, memoRender, type JudgeRequest } from '../judges/request.js';
import type { PlannedCall } from '../plan/plan.js';
import { isPairwiseRubric } from '../rubric/pairwise.js';
import type { Rubric } from '../rubric/rubric.js';
import type { RunInputs } from './inputs.js';

// The judge phase's two questions about a planned call: what request it sends, and which calls share one.

export interface RequestMaker {
  requestFor: (call: PlannedCall) => JudgeRequest;
  /** Calls answered by one request (every criterion of a `mode: combined` rubric); undefined: a call alone. */
  groupOf: (call: PlannedCall) => string | undefined;
}

export function requestMaker(inputs: Pick<RunInputs, 'rubrics' | 'dataset' | 'pairs'>): RequestMaker {
  const rubrics = new Map<string, Rubric>(inputs.rubrics.map((r) => [r.id, r]));
  const render = memoRender();
  // Base and candidate transcripts share ids: one memo per side, or one side's block would serve the other.
  const baseRender = memoRender();
  const candidateRender = memoRender();
  const requestFor = (call: PlannedCall): JudgeRequest => {
    const rubric = rubrics.get(call.unit.rubric)!;
    const criterion = rubric.criteria.find((c) => c.id === call.unit.criterion)!;
    if (inputs.pairs && call.unit.order && isPairwiseRubric(rubric)) {
      const { base, candidate } = inputs.pairs.pair(call.unit.item);
      const shown = call.unit.order === 'ab' ? { a: base, b: candidate } : { a: candidate, b: base };
      const sides = call.unit.order === 'ab' ? { a: baseRender, b: candidateRender } : { a: candidateRender, b: baseRender };
      return buildPairwiseRequest(rubric, criterion, shown, { sample: call.sample, render: sides });
    }
    const turnIndex = call.unit.turn === undefined ? undefined : call.unit.turn - 1;
    const transcript = inputs.dataset.get(call.unit.item);
    if (rubric.mode === 'combined') return buildCombinedRequest(rubric, transcript, { turnIndex, sample: call.sample, render });
    return buildJudgeRequest(rubric, criterion, transcript, { turnIndex, sample: call.sample, render });
  };
  const groupOf = (call: PlannedCall) => (rubrics.get(call.unit.rubric)!.mode === 'combined' ? `${call.unit.item}|${call.unit.turn ?? ''}|${call.unit.order ?? ''}|${call.unit.rubric}|${call.judge}|${call.sample}` : undefined);
  return { requestFor, groupOf };
}
