import type { JudgeConfig } from '../config/config.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rubric } from '../rubric/rubric.js';
import type { Transcript } from '../transcript/transcript.js';
import { estimateTokens } from './provider.js';
import { buildJudgeRequest, memoRender, type JudgeRequest } from './request.js';

/**
 * Input tokens a known model takes (its context window less room for the verdict), used when a judge sets no
 * `max_input_tokens`: a request of millions of tokens is refused before it is sent, not paid for and failed.
 * Prefixes, longest first; from the providers' model pages.
 */
const KNOWN_CONTEXT: [prefix: string, tokens: number][] = [
  ['gpt-4.1', 1_000_000],
  ['gpt-4o', 124_000],
  ['gpt-5', 270_000],
  ['claude-', 196_000],
];

/** The judge's input budget: its own `max_input_tokens`, else the known window of its model on its provider. */
export function inputBudget(judge: Pick<JudgeConfig, 'provider' | 'model' | 'max_input_tokens'>): number | undefined {
  if (judge.max_input_tokens !== undefined) return judge.max_input_tokens;
  if (judge.provider !== 'openai' && judge.provider !== 'anthropic') return undefined;
  return KNOWN_CONTEXT.find(([prefix]) => judge.model.startsWith(prefix))?.[1];
}

/**
 * Transcripts too long for a judge's `max_input_tokens`. The choice is an error before any call: truncating
 * a conversation silently would judge a different conversation than the one reported.
 */
export function contextBudgetProblems(transcripts: readonly Transcript[], rubrics: readonly Rubric[], judges: readonly JudgeConfig[], requestFor?: (transcript: Transcript, rubric: Rubric, criterion: Rubric['criteria'][number]) => Pick<JudgeRequest, 'system' | 'transcript' | 'criterion'>): Diagnostic[] {
  const limited = judges.flatMap((j) => {
    const budget = inputBudget(j);
    return budget === undefined ? [] : [{ ...j, max_input_tokens: budget }];
  });
  if (limited.length === 0) return [];
  const out: Diagnostic[] = [];
  // Each transcript is rendered once, whatever the number of criteria.
  const render = memoRender(4);
  for (const transcript of transcripts) {
    let largest = 0;
    for (const rubric of rubrics) {
      for (const criterion of rubric.criteria) {
        const request = requestFor ? requestFor(transcript, rubric, criterion) : buildJudgeRequest(rubric, criterion, transcript, { render });
        largest = Math.max(largest, estimateTokens(request.system, request.transcript, request.criterion));
      }
    }
    for (const judge of limited) {
      if (largest <= judge.max_input_tokens!) continue;
      out.push({
        code: 'transcript/too-long', severity: 'error', file: transcript.file, ...(transcript.line ? { line: transcript.line } : {}), path: ['messages'],
        message: `transcript \`${transcript.id}\` needs about ${largest} input tokens; judge \`${judge.id}\` takes at most ${judge.max_input_tokens}`,
        expected: `a transcript that fits ${judge.max_input_tokens} tokens with the rubric`,
        hint: 'shorten or split the conversation, raise max_input_tokens for a judge with a larger context, or leave this transcript out',
      });
    }
  }
  return out;
}
