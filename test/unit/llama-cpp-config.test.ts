import { homedir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JudgeSchema } from '../../src/config/config.js';
import { resolveModelPath } from '../../src/config/load.js';
import { grammarSchema } from '../../src/judges/llama-grammar.js';
import { priceOf } from '../../src/judges/prices.js';
import { combinedSchema, verdictSchema } from '../../src/judges/request.js';

describe('the grammar a local judge generates under', () => {
  const likert = verdictSchema({ type: 'likert', min: 1, max: 5 });

  it('keeps the verdict keys in order, enumerates the scale, limits reasoning and cites only turns that exist', () => {
    expect(grammarSchema(likert, { maxTurn: 3, reasoningMaxChars: 40 })).toEqual({
      type: 'object',
      properties: {
        reasoning: { type: 'string', maxLength: 40 },
        score: { enum: [1, 2, 3, 4, 5] },
        cited_turns: { type: 'array', items: { enum: [1, 2, 3] }, maxItems: 3 },
      },
      required: ['reasoning', 'score', 'cited_turns'],
      additionalProperties: false,
    });
  });

  it('caps the cited list at 20 and stops enumerating turns past 512', () => {
    const long = grammarSchema(likert, { maxTurn: 600, reasoningMaxChars: 10 }) as any;
    expect(long.properties.cited_turns).toEqual({ type: 'array', items: { type: 'integer' }, maxItems: 20 });
    const edge = grammarSchema(likert, { maxTurn: 512, reasoningMaxChars: 10 }) as any;
    expect(edge.properties.cited_turns.items.enum).toHaveLength(512);
    expect(edge.properties.cited_turns.maxItems).toBe(20);
    const none = grammarSchema(likert, { maxTurn: 0, reasoningMaxChars: 10 }) as any;
    expect(none.properties.cited_turns).toEqual({ type: 'array', items: { type: 'integer' }, maxItems: 1 });
  });

  it('touches only what it must: other strings, arrays and objects, and non-schema values, pass as they are', () => {
    const schema = {
      type: 'object',
      properties: {
        reasoning: { type: 'integer' },
        note: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        cited_turns: { type: 'string' },
        free: { type: 'object' },
        odd: null,
        list: [1, 2],
      },
    };
    expect(grammarSchema(schema, { maxTurn: 2, reasoningMaxChars: 5 })).toEqual({
      type: 'object',
      properties: { reasoning: { type: 'integer' }, note: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, cited_turns: { type: 'string' }, free: { type: 'object' }, odd: null, list: [1, 2] },
      additionalProperties: false,
    });
    expect(grammarSchema(null, { maxTurn: 2, reasoningMaxChars: 5 })).toBeNull();
    expect(grammarSchema([1], { maxTurn: 2, reasoningMaxChars: 5 })).toEqual([1]);
    expect(grammarSchema({ type: 'object', properties: 'x' }, { maxTurn: 2, reasoningMaxChars: 5 })).toEqual({ type: 'object', properties: 'x' });
  });

  it('converts each criterion of a combined verdict, and categorical labels as strings', () => {
    const schema = combinedSchema([
      { id: 'fit', scale: { type: 'likert', min: 1, max: 3 } },
      { id: 'outcome', scale: { type: 'categorical', labels: ['accepted', 'abandoned'] } },
    ]);
    const out = grammarSchema(schema, { maxTurn: 2, reasoningMaxChars: 5 }) as any;
    expect(out.properties.verdicts.required).toEqual(['fit', 'outcome']);
    expect(out.properties.verdicts.properties.fit.properties.score).toEqual({ enum: [1, 2, 3] });
    expect(out.properties.verdicts.properties.outcome.properties.score).toEqual({ enum: ['accepted', 'abandoned'] });
    expect(out.properties.verdicts.properties.outcome.properties.reasoning).toEqual({ type: 'string', maxLength: 5 });
  });
});

describe('a llama-cpp judge in jury.yaml', () => {
  it('is named after its model file unless given a model name', () => {
    expect(JudgeSchema.parse({ id: 'l', provider: 'llama-cpp', model_path: '~/models/judge.Q4_K_M.gguf' }).model).toBe('judge.Q4_K_M.gguf');
    expect(JudgeSchema.parse({ id: 'l', provider: 'llama-cpp', model_path: 'a.gguf', model: 'prometheus-2' }).model).toBe('prometheus-2');
  });

  it('takes the local settings, and refuses what only a server has', () => {
    const judge = JudgeSchema.parse({ id: 'l', provider: 'llama-cpp', model_path: 'a.gguf', context_size: 4096, threads: 4, gpu_layers: 'max', reasoning_max_chars: 200 });
    expect(judge).toMatchObject({ context_size: 4096, threads: 4, gpu_layers: 'max', reasoning_max_chars: 200 });
    for (const key of ['base_url', 'api_key_env', 'price'] as const) {
      const value = key === 'price' ? { input: 0, output: 0 } : key === 'base_url' ? 'http://127.0.0.1:1/v1' : 'KEY';
      const result = JudgeSchema.safeParse({ id: 'l', provider: 'llama-cpp', model_path: 'a.gguf', [key]: value });
      expect(result.success, key).toBe(false);
      expect(result.error!.issues[0]!.path).toEqual([key]);
    }
  });

  it('is free, while an unknown API model stays unpriced', () => {
    expect(priceOf(JudgeSchema.parse({ id: 'l', provider: 'llama-cpp', model_path: 'a.gguf' })).source).toBe('free');
    expect(priceOf(JudgeSchema.parse({ id: 'o', provider: 'openai', model: 'a.gguf' })).source).toBe('unknown');
  });

  it('needs a model unless it is local, and keeps the local settings off API judges', () => {
    const bare = JudgeSchema.safeParse({ id: 'o', provider: 'openai' });
    expect(bare.error!.issues.map((i) => i.path)).toEqual([['model']]);
    const mixed = JudgeSchema.safeParse({ id: 'o', provider: 'anthropic', model: 'm', threads: 2, gpu_layers: 0 });
    expect(mixed.error!.issues.map((i) => i.path)).toEqual([['threads'], ['gpu_layers']]);
  });

  it('resolves model_path from the home folder or the config folder', () => {
    expect(resolveModelPath('~/models/a.gguf', '/cfg')).toBe(path.join(homedir(), 'models/a.gguf'));
    expect(resolveModelPath('models/a.gguf', '/cfg')).toBe('/cfg/models/a.gguf');
    expect(resolveModelPath('/abs/a.gguf', '/cfg')).toBe('/abs/a.gguf');
    expect(resolveModelPath('~weird/a.gguf', '/cfg')).toBe('/cfg/~weird/a.gguf');
  });
});

describe('score_mode in jury.yaml', () => {
  it('takes logprob on OpenAI-compatible and mock judges only, and its settings only with it', () => {
    expect(JudgeSchema.parse({ id: 'o', provider: 'openai', model: 'm', score_mode: 'logprob', logprob_fallback: 'sampled', logprob_min_mass: 0.7 })).toMatchObject({ score_mode: 'logprob', logprob_fallback: 'sampled', logprob_min_mass: 0.7 });
    expect(JudgeSchema.safeParse({ id: 'm', provider: 'mock', model: 'm', score_mode: 'logprob' }).success).toBe(true);
    const anthropic = JudgeSchema.safeParse({ id: 'a', provider: 'anthropic', model: 'm', score_mode: 'logprob' });
    expect(anthropic.error!.issues.map((i) => [i.path, i.message])).toEqual([[['score_mode'], 'score_mode: logprob needs token logprobs, which only OpenAI-compatible endpoints return (this judge is anthropic)']]);
    const stray = JudgeSchema.safeParse({ id: 'o', provider: 'openai', model: 'm', logprob_fallback: 'sampled', logprob_min_mass: 0.2 });
    expect(stray.error!.issues.map((i) => i.path)).toEqual([['logprob_fallback'], ['logprob_min_mass']]);
    expect(JudgeSchema.safeParse({ id: 'o', provider: 'openai', model: 'm', score_mode: 'logprob', logprob_min_mass: 0 }).success).toBe(false);
    expect(JudgeSchema.safeParse({ id: 'o', provider: 'openai', model: 'm', score_mode: 'logprob', logprob_min_mass: 1 }).success).toBe(true);
  });

  it('defaults structured_output to auto only for an OpenAI-compatible server (base_url), keeping what is set', () => {
    expect(JudgeSchema.parse({ id: 'o', provider: 'openai', model: 'm' }).structured_output).toBe('json_schema');
    expect(JudgeSchema.parse({ id: 'o', provider: 'openai', model: 'm', base_url: 'http://127.0.0.1:1/v1' }).structured_output).toBe('auto');
    expect(JudgeSchema.parse({ id: 'o', provider: 'openai', model: 'm', base_url: 'http://127.0.0.1:1/v1', structured_output: 'none' }).structured_output).toBe('none');
    expect(JudgeSchema.parse({ id: 'a', provider: 'anthropic', model: 'm', base_url: 'http://127.0.0.1:1' }).structured_output).toBe('json_schema');
  });
});
