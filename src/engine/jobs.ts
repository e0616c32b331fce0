import { parseCombinedVerdict, parseVerdict, type ParsedVerdict } from '../judges/parse-verdict.js';
import type { JudgeRequest } from '../judges/request.js';
import type { ProviderReply } from '../judges/provider.js';
import { weightedScore, type ScoreModeSettings } from '../judges/score-logprobs.js';
import { isNumericScale, type Scale } from '../rubric/rubric.js';
import { planCalls, type Plan, type PlannedCall } from '../plan/plan.js';

/**
 * Calls that share one request travel as one job: a single criterion, or every criterion of a combined
 * rubric for one item (turn), judge and sample. `groupOf` names the group; undefined: a job of its own.
 */
export function groupJobs(calls: readonly PlannedCall[], groupOf?: (call: PlannedCall) => string | undefined): PlannedCall[][] {
  const jobs: PlannedCall[][] = [];
  const byGroup = new Map<string, PlannedCall[]>();
  for (const call of calls) {
    const group = groupOf?.(call);
    if (group === undefined) jobs.push([call]);
    else if (byGroup.has(group)) byGroup.get(group)!.push(call);
    else {
      const job = [call];
      byGroup.set(group, job);
      jobs.push(job);
    }
  }
  return jobs;
}

/**
 * One judge's pending jobs in plan order, made as they are reached: the calls of one block (an item, turn and
 * rubric) are grouped, then the next block is read. Groups never span blocks (a group key names the item, turn
 * and rubric), so this gives the jobs groupJobs would, without the whole plan in memory.
 */
export function* judgeJobs(plan: Plan, judge: string, isDone: (call: PlannedCall) => boolean, groupOf?: (call: PlannedCall) => string | undefined): Generator<PlannedCall[]> {
  let block: PlannedCall[] = [];
  let blockKey: string | undefined;
  for (const call of planCalls(plan, judge)) {
    const key = `${call.unit.item}\u0000${call.unit.turn ?? ''}\u0000${call.unit.rubric}`;
    if (key !== blockKey) {
      yield* groupJobs(block, groupOf);
      block = [];
      blockKey = key;
    }
    if (!isDone(call)) block.push(call);
  }
  yield* groupJobs(block, groupOf);
}

/**
 * Reads a reply for every call of a job: one criterion, or all criteria of a combined rubric. Under `score_mode:
 * logprob` a numeric criterion's score becomes the weighted one (score-logprobs.ts); categorical ones keep their label.
 */
export function parseJob(reply: Pick<ProviderReply, 'text' | 'scoreProbabilities'>, request: JudgeRequest, job: readonly PlannedCall[], scoreMode?: ScoreModeSettings): Map<string, ParsedVerdict> {
  const { text } = reply;
  const weigh = (parsed: ParsedVerdict, scale: Scale): ParsedVerdict => (scoreMode && parsed.ok && isNumericScale(scale) ? withWeightedScore(parsed, reply.scoreProbabilities, scoreMode) : parsed);
  if (!request.criteria) return new Map([[job[0]!.key, weigh(parseVerdict(text, request.scale, request.maxTurn), request.scale)]]);
  const byCriterion = parseCombinedVerdict(text, request.criteria, request.maxTurn);
  const scales = new Map(request.criteria.map((c) => [c.id, c.scale]));
  return new Map(job.map((call) => {
    const parsed = byCriterion.get(call.unit.criterion);
    return [call.key, parsed ? weigh(parsed, scales.get(call.unit.criterion)!) : { ok: false, cause: 'unparseable', message: `no verdict for ${call.unit.criterion}` }];
  }));
}

function withWeightedScore(parsed: Extract<ParsedVerdict, { ok: true }>, found: ProviderReply['scoreProbabilities'], settings: ScoreModeSettings): ParsedVerdict {
  const outcome = weightedScore(parsed.score, found, settings);
  if (!outcome.ok) return { ok: false, cause: 'no_logprobs', message: outcome.message };
  if ('fellBack' in outcome) return { ...parsed, weighted: { fallback: outcome.fellBack } };
  return { ...parsed, score: outcome.score, weighted: { sampled: outcome.sampled, mass: outcome.mass } };
}
