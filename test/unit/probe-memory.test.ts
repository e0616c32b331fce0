import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { endpointMemory } from '../../src/api/judge-setup.js';
import { followsProbeSchema, strongestMode } from '../../src/judges/openai-probe.js';

const all = { json_schema: true, tools: true, json_object: true, logprobs: true };

describe('the mode chosen from what an endpoint honours', () => {
  it('is the strongest it honours, whatever else is missing', () => {
    expect(strongestMode(all)).toBe('json_schema');
    expect(strongestMode({ ...all, json_schema: false })).toBe('tools');
    expect(strongestMode({ ...all, json_schema: false, tools: false })).toBe('json_object');
    expect(strongestMode({ json_schema: false, tools: false, json_object: false, logprobs: true })).toBe('none');
    expect(strongestMode({ json_schema: true, tools: false, json_object: false, logprobs: false })).toBe('json_schema');
    expect(strongestMode({ json_schema: false, tools: true, json_object: false, logprobs: false })).toBe('tools');
  });

  it('counts a schema as honoured only when the reply is exactly the schema’s object', () => {
    expect(followsProbeSchema('{"marker":"jury-probe-7f3a","number":4217}')).toBe(true);
    expect(followsProbeSchema('{"marker":"jury-probe-7f3a","number":4216}')).toBe(false);
    expect(followsProbeSchema('{"marker":"jury-probe-7f3a","number":4217,"extra":1}')).toBe(false);
    expect(followsProbeSchema('Hello! {"marker":"jury-probe-7f3a","number":4217}')).toBe(false);
    expect(followsProbeSchema('{"number":4217}')).toBe(false);
    expect(followsProbeSchema(null)).toBe(false);
    for (const text of ['null', '"jury-probe-7f3a"', '4217', '[{"marker":"jury-probe-7f3a","number":4217}]']) expect(followsProbeSchema(text), text).toBe(false);
  });
});

describe('the memory of probed endpoints', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'jury-endpoints-'));

  it('remembers by key in the cache folder for a day, and no longer', () => {
    const cache = dir();
    let now = Date.parse('2026-12-01T00:00:00Z');
    endpointMemory(cache, () => now).set('http://127.0.0.1:1/v1 m', { ...all, tools: false });
    const read = endpointMemory(cache, () => now);
    expect(read.get('http://127.0.0.1:1/v1 m')).toEqual({ ...all, tools: false });
    expect(read.get('http://127.0.0.1:1/v1 other')).toBeUndefined();
    now += 24 * 60 * 60 * 1000 - 1;
    expect(endpointMemory(cache, () => now).get('http://127.0.0.1:1/v1 m')).toBeDefined();
    now += 1;
    expect(endpointMemory(cache, () => now).get('http://127.0.0.1:1/v1 m')).toBeUndefined();
    expect(JSON.parse(readFileSync(path.join(cache, 'endpoints.json'), 'utf8'))).toMatchObject({ format: 'jury.endpoints', version: 1 });
  });

  it('ignores a file of another format or version, or one that does not parse, and keeps two keys apart', () => {
    const cache = dir();
    const now = () => Date.parse('2026-12-01T00:00:00Z');
    const entry = { probed_at: '2026-12-01T00:00:00.000Z', capabilities: all };
    writeFileSync(path.join(cache, 'endpoints.json'), JSON.stringify({ format: 'jury.endpoints', version: 2, endpoints: { k: entry } }));
    expect(endpointMemory(cache, now).get('k')).toBeUndefined();
    writeFileSync(path.join(cache, 'endpoints.json'), JSON.stringify({ format: 'other', version: 1, endpoints: { k: entry } }));
    expect(endpointMemory(cache, now).get('k')).toBeUndefined();
    writeFileSync(path.join(cache, 'endpoints.json'), '{');
    const memory = endpointMemory(cache, now);
    expect(memory.get('k')).toBeUndefined();
    memory.set('a', all);
    memory.set('b', { ...all, logprobs: false });
    expect(endpointMemory(cache, now).get('a')).toEqual(all);
    expect(endpointMemory(cache, now).get('b')).toEqual({ ...all, logprobs: false });
  });

  it('without a folder, remembers for this process only', () => {
    const memory = endpointMemory(undefined);
    memory.set('k', all);
    expect(memory.get('k')).toEqual(all);
  });
});
