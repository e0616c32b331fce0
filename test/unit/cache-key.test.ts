import { describe, expect, it } from 'vitest';
import { JudgeSchema, type JudgeConfig } from '../../src/config/config.js';
import { cacheKey } from '../../src/engine/cache-key.js';
import type { JudgeRequest } from '../../src/judges/request.js';

// Each field the reply depends on must change the key: one that does not would serve a stale verdict (a
// changed model answered from the old model's cache) or collapse k samples into one call.
const judge = (over: Record<string, unknown> = {}): JudgeConfig => JudgeSchema.parse({ id: 'j', provider: 'openai', model: 'gpt-a', temperature: 0, seed: 1, ...over });
const request = (over: Partial<JudgeRequest> = {}): JudgeRequest => ({
  system: 'judge well', transcript: '<transcript id="t">[1] user: "hi"</transcript>', criterion: 'Is it good?',
  schema: { type: 'object', properties: { score: { type: 'integer', enum: [1, 2, 3] } } }, scale: { type: 'likert', min: 1, max: 3 }, maxTurn: 1, sample: 0, ...over,
});

describe('the reply-cache key', () => {
  const base = cacheKey(judge(), request());

  it.each([
    ['provider', { provider: 'anthropic' }],
    ['model', { model: 'gpt-b' }],
    ['base_url', { base_url: 'http://127.0.0.1:8000/v1' }],
    ['temperature', { temperature: 0.5 }],
    ['max_tokens', { max_tokens: 77 }],
    ['seed', { seed: 2 }],
    ['structured output mode', { structured_output: 'json_object' }],
    ['options', { options: { top_p: 0.5 } }],
  ])('changes with the judge’s %s', (_, over) => {
    expect(cacheKey(judge(over), request())).not.toBe(base);
  });

  it.each([
    ['sample index', { sample: 1 }],
    ['system prompt', { system: 'judge better' }],
    ['transcript', { transcript: '<transcript id="t">[1] user: "hello"</transcript>' }],
    ['criterion', { criterion: 'Is it bad?' }],
    ['verdict schema', { schema: { type: 'object', properties: { score: { type: 'integer', enum: [1, 2, 3, 4] } } } }],
  ])('changes with the request’s %s', (_, over) => {
    expect(cacheKey(judge(), request(over as Partial<JudgeRequest>))).not.toBe(base);
  });

  it('does not change with the judge’s id or key variable (a renamed judge keeps its replies), and is stable', () => {
    expect(cacheKey(judge({ id: 'renamed', api_key_env: 'OTHER_KEY' }), request())).toBe(base);
    expect(cacheKey(judge(), request())).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells apart two set values of the same field, not only set from unset', () => {
    const pairs: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ base_url: 'http://127.0.0.1:8000/v1' }, { base_url: 'http://127.0.0.1:9000/v1' }],
      [{ temperature: 0.5 }, { temperature: 0.7 }],
      [{ seed: 5 }, { seed: 6 }],
      [{ max_tokens: 100 }, { max_tokens: 200 }],
    ];
    for (const [a, b] of pairs) expect([a, cacheKey(judge(a), request())]).not.toEqual([a, cacheKey(judge(b), request())]);
    // Unset and null mean the same request.
    expect(cacheKey(judge({ base_url: undefined }), request())).toBe(base);
  });

  it('keys a local model by its weights and its grammar, not by where its file lies', () => {
    const file = { name: 'judge.gguf', bytes: 10, sha256: 'a'.repeat(64) };
    const local = (over: Record<string, unknown> = {}) => ({ ...JudgeSchema.parse({ id: 'j', provider: 'llama-cpp', model_path: '/m/judge.gguf', ...over }), model_file: file });
    const key = cacheKey(local(), request());
    expect(cacheKey({ ...local(), model_file: { ...file, sha256: 'b'.repeat(64) } }, request())).not.toBe(key);
    expect(cacheKey(local({ reasoning_max_chars: 200 }), request())).not.toBe(key);
    expect(cacheKey(local({ reasoning_max_chars: 200 }), request())).not.toBe(cacheKey(local({ reasoning_max_chars: 300 }), request()));
    expect(cacheKey(local({ model_path: '/elsewhere/judge.gguf' }), request())).toBe(key);
  });

  it('cannot be forged by moving text between the prompt parts', () => {
    expect(cacheKey(judge(), request({ system: 'ab', transcript: 'c' }))).not.toBe(cacheKey(judge(), request({ system: 'a', transcript: 'bc' })));
  });
});
