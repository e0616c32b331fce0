import path from 'node:path';
import type { JudgeConfig } from '../config/config.js';
import type { ResolvedPairwise } from '../config/load.js';
import { InputError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { contextBudgetProblems } from '../judges/context-budget.js';
import { buildPairwiseRequest } from '../judges/pairwise-request.js';
import { toPairwise, type PairwiseRubric } from '../rubric/pairwise.js';
import type { Rubric } from '../rubric/rubric.js';
import { streamDataset } from '../transcript/load.js';
import { PairedDataset } from '../transcript/pairs.js';

// The inputs of a pairwise run: both sides streamed, matched by id, the rubrics asked as comparisons.

/** How many unmatched ids a note names before it only counts them. */
const NAMED = 5;

export async function loadPairs(pairwise: ResolvedPairwise, rubrics: readonly Rubric[], judges: readonly JudgeConfig[]): Promise<{ rubrics: PairwiseRubric[]; dataset: PairedDataset; pairs: PairedDataset; notices: string[] }> {
  const notices: string[] = [];
  const kept = rubrics.filter((r) => r.scope !== 'assistant_turn');
  for (const r of rubrics) {
    if (r.scope === 'assistant_turn') notices.push(`rubric ${r.id} judges single assistant turns, and the turns of two conversations do not pair up: this pairwise run leaves it out`);
  }
  if (kept.length === 0) {
    throw new InputError([{ code: 'config/invalid', severity: 'error', file: rubrics[0]?.file ?? 'jury.yaml', path: ['scope'], message: 'every rubric of this pairwise run is per turn (`scope: assistant_turn`), so there is nothing to compare', expected: 'at least one rubric with `scope: conversation`' }]);
  }
  const [base, candidate] = await Promise.all([streamDataset(pairwise.base), streamDataset(pairwise.candidate)]);
  const diagnostics: Diagnostic[] = [...(base.ok ? [] : base.diagnostics), ...(candidate.ok ? [] : candidate.diagnostics)];
  if (!base.ok || !candidate.ok) {
    if (base.ok) base.value.close();
    if (candidate.ok) candidate.value.close();
    throw new InputError(diagnostics);
  }
  const pairs = new PairedDataset(base.value, candidate.value);
  const asked = kept.map(toPairwise);
  const sideFiles = (which: 'base' | 'candidate') => pairwise[which].map((f) => path.relative(process.cwd(), f.file) || f.file).join(', ');
  if (pairs.entries.length === 0) {
    pairs.close();
    throw new InputError([{ code: 'config/invalid', severity: 'error', file: pairwise.base[0]?.file ?? 'jury.yaml', path: [], message: `no transcript id of the base (${sideFiles('base')}) is also in the candidate (${sideFiles('candidate')})`, expected: 'the same scenarios played by both agent versions, under the same transcript ids' }]);
  }
  const unmatched = (ids: readonly string[], side: string, other: string) => {
    if (ids.length) notices.push(`${ids.length} transcript(s) only in the ${side} (${ids.slice(0, NAMED).join(', ')}${ids.length > NAMED ? ', …' : ''}) have no counterpart in the ${other}: not judged`);
  };
  unmatched(pairs.baseOnly, `base ${pairwise.names.base}`, 'candidate');
  unmatched(pairs.candidateOnly, `candidate ${pairwise.names.candidate}`, 'base');
  // A judge reads both conversations in one request: the budget is checked on that request, as it will be sent.
  const tooLong = pairs.entries.flatMap((entry) => {
    const pair = pairs.pair(entry.id);
    return contextBudgetProblems([pair.base], asked, judges, (_, rubric, criterion) => buildPairwiseRequest(rubric as PairwiseRubric, criterion, { a: pair.base, b: pair.candidate }))
      .map((d) => ({ ...d, message: d.message.replace(/^transcript `([^`]*)`/, 'the pair `$1` (both conversations in one request)'), expected: 'a pair whose two conversations fit the budget together, with the rubric' }));
  });
  if (tooLong.length) {
    pairs.close();
    throw new InputError(tooLong);
  }
  return { rubrics: asked, dataset: pairs, pairs, notices };
}
