import type { JudgeConfig } from '../config/config.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rubric } from '../rubric/rubric.js';
import type { Transcript } from '../transcript/transcript.js';
import { estimateTokens } from './provider.js';
import { buildJudgeRequest } from './request.js';

/**
 * Transcripts too long for a judge's `max_input_tokens`. The choice is an error before any call: truncating
 * a conversation silently would judge a different conversation than the one reported.
 */
export function contextBudgetProblems(transcripts: readonly Transcript[], rubrics: readonly Rubric[], judges: readonly JudgeConfig[]): Diagnostic[] {
  const limited = judges.filter((j) => j.max_input_tokens !== undefined);
  if (limited.length === 0) return [];
  const out: Diagnostic[] = [];
  for (const transcript of transcripts) {
    let largest = 0;
    for (const rubric of rubrics) {
      for (const criterion of rubric.criteria) {
        const request = buildJudgeRequest(rubric, criterion, transcript);
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
