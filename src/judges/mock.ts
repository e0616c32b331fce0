import { createHash } from 'node:crypto';
import { scalePoints, type Scale } from '../rubric/rubric.js';
import { estimateTokens, type ProviderFactory } from './provider.js';
import { userText } from './request.js';
import { describeSignals, penalty, readSignals } from './mock-signals.js';
import { pairwiseReply } from './mock-pairwise.js';

/** Thrown by the mock when told to fail; classified as a transient failure. */
class MockFailure extends Error {}

export function unit(...parts: (string | number)[]): number {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/**
 * A deterministic stand-in for a model, so the whole pipeline runs without keys. Each (item, criterion) gets
 * a latent quality from a hash of its topic and criterion, lowered by the surface signals of mock-signals.ts;
 * each judge reads it with its own hashed bias, so distinct judges agree partially. Options: `failure_rate` and `malformed_rate` (0..1, hashed, so deterministic too)
 * to exercise quorum and the parser, `latency_ms` to exercise concurrency.
 * Its scores are simulated and say so; it is never a silent default.
 */
export const mock: ProviderFactory = (judge) => {
  const failureRate = Number(judge.options.failure_rate ?? 0);
  const malformedRate = Number(judge.options.malformed_rate ?? 0);
  const latencyMs = Number(judge.options.latency_ms ?? 0);
  return {
    simulated: true,
    async judge(request, signal) {
      if (latencyMs > 0) await sleep(latencyMs, signal);
      const text = userText(request);
      if (unit('fail', judge.id, text, request.sample) < failureRate) throw new MockFailure(`mock judge ${judge.id} was told to fail this call`);
      const usage = { inputTokens: estimateTokens(request.system, text), outputTokens: 60, cachedInputTokens: 0 };
      if (unit('malformed', judge.id, text, request.sample) < malformedRate) return { text: 'I think this is pretty good overall.', usage };
      const turn = /assistant message at turn \[(\d+)\]/.exec(request.criterion)?.[1];
      const signals = readSignals(request.transcript, turn === undefined ? undefined : Number(turn));
      // `score_mode: logprob`: the probabilities a model would have had at the score token, around the same latent.
      let probabilities: Record<string, number> | undefined;
      const verdict = (criterionText: string, scale: Scale) => {
        const points = scalePoints(scale);
        // The latent quality hangs on what the conversation is about and what is asked, not on its exact
        // text, so two agent versions differ only where the signals differ.
        const key = `${signals.topic}\u0000${criterionText}`;
        const latent = (0.5 + 0.5 * Math.sqrt(unit('quality', key))) * (points.length - 1);
        const steps = scale.type === 'categorical' ? 0 : (penalty(signals, criterionText) * (points.length - 1)) / 4;
        const bias = unit('bias', judge.id, judge.model, key, request.sample);
        const shift = bias < 0.2 ? -1 : bias > 0.8 ? 1 : 0;
        const centre = Math.min(points.length - 1, Math.max(0, latent - steps + shift));
        const index = Math.min(points.length - 1, Math.max(0, Math.round(latent - steps) + shift));
        if (scale.type !== 'categorical') probabilities = spreadAround(points as number[], centre);
        return { reasoning: `Simulated verdict from mock judge ${judge.id}: no model was asked. Signals: ${describeSignals(signals)}.`, score: points[index], cited_turns: [request.maxTurn] };
      };
      if (request.pair) return { text: pairwiseReply(judge, request, unit), usage: { ...usage, outputTokens: 60 * (request.criteria?.length ?? 1) } };
      if (request.criteria) {
        // A combined request: one block per criterion, in the order of request.criteria.
        const blocks = request.criterion.split(/^## Criterion \d+ of \d+\n/m).slice(1);
        const verdicts = Object.fromEntries(request.criteria.map((c, i) => [c.id, verdict(blocks[i] ?? c.id, c.scale)]));
        return { text: JSON.stringify({ verdicts }), usage: { ...usage, outputTokens: 60 * request.criteria.length } };
      }
      const reply = JSON.stringify(verdict(request.criterion, request.scale));
      if (judge.score_mode !== 'logprob') return { text: reply, usage };
      return { text: reply, usage, scoreProbabilities: probabilities ? { probabilities, mass: 1 } : { problem: 'a categorical scale has no mean: the label written is the score' } };
    },
    classify(error) {
      if (error instanceof Error && error.name === 'AbortError') return { cause: 'aborted', message: error.message };
      return { cause: 'transient', message: error instanceof Error ? error.message : String(error) };
    },
  };
};

/** A discretised normal around `centre` (an index into the points), summing to one. */
function spreadAround(points: readonly number[], centre: number): Record<string, number> {
  const weights = points.map((_, i) => Math.exp(-((i - centre) ** 2) / (2 * 0.6 ** 2)));
  const total = weights.reduce((a, b) => a + b, 0);
  return Object.fromEntries(points.map((p, i) => [String(p), weights[i]! / total]));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    }, { once: true });
  });
}
