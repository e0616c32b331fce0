import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { JudgeConfig } from '../../src/config/config.js';
import { cacheKey } from '../../src/engine/cache-key.js';
import { buildJudgeRequest } from '../../src/judges/request.js';
import type { Criterion } from '../../src/rubric/rubric.js';
import { detectFormat, normalizeTranscript } from '../../src/transcript/formats/normalize.js';
import { Notes } from '../../src/transcript/formats/reader.js';
import { streamDataset, type DatasetSource } from '../../src/transcript/load.js';
import { renderTranscript } from '../../src/transcript/render.js';
import type { Transcript } from '../../src/transcript/transcript.js';

// Three logs of the same two conversations, written from each provider's documentation of its wire format.
const FORMATS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/formats');
const FILES = ['openai-chat', 'anthropic', 'responses', 'canonical'] as const;
const criterion: Criterion = { id: 'relevance', question: 'Are the tracks relevant?', scale: { type: 'likert', min: 1, max: 3 }, anchors: { '1': 'no', '2': 'partly', '3': 'yes' }, weight: 1, examples: [] };
const judge = { id: 'j', provider: 'openai', model: 'gpt-5-mini', temperature: 0, max_tokens: 800 } as unknown as JudgeConfig;
const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'jury-formats-'));
  folders.push(dir);
  return dir;
}

async function load(sources: (string | DatasetSource)[]) {
  const loaded = await streamDataset(sources);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`).join('\n'));
  return loaded.value;
}

describe('one conversation, three providers’ formats and jury’s own', () => {
  it('detects each file’s format and gives byte-identical judge prompts and cache keys', async () => {
    const requests = new Map<string, string[]>();
    for (const name of FILES) {
      const dataset = await load([path.join(FORMATS, `${name}.json`)]);
      // canonical.json is jury's own minimal form, which is Chat Completions.
      expect(dataset.formats()).toEqual({ [name === 'canonical' ? 'openai-chat' : name]: 2 });
      for (const entry of dataset.entries) {
        const request = buildJudgeRequest({ title: 'Recs', instructions: undefined }, criterion, dataset.get(entry.id));
        const seen = requests.get(entry.id) ?? [];
        seen.push(`${cacheKey(judge, request)}\n${request.transcript}`);
        requests.set(entry.id, seen);
      }
      dataset.close();
    }
    expect([...requests.keys()].sort()).toEqual(['album-2', 'focus-1']);
    for (const [, seen] of requests) expect(new Set(seen).size).toBe(1);
    // And what the judge reads is what a person would: the turns, the tool call, the image, the refusal.
    const [focus] = requests.get('focus-1')![0]!.split('\n').slice(1, 2);
    expect(focus).toBe('<transcript id="focus-1">');
    const text = requests.get('focus-1')![0]!;
    expect(text).toContain('[1] system: "You are a music recommender. Ask before you recommend."');
    expect(text).toContain('[5] assistant: "Let me look."');
    expect(text).toContain('[5] assistant calls tool "search_catalogue" (call id "call_1") with arguments "{\\"mood\\":\\"focus\\",\\"vocals\\":false,\\"genre\\":\\"electronic\\"}"');
    expect(text).toContain('[6] tool result of "search_catalogue" (call id "call_1"): "[{\\"title\\":\\"Music for Airports\\"');
    expect(text).not.toContain('thinks');
    const album = requests.get('album-2')![0]!;
    expect(album).toContain('[2] user: "What is this album?\\n[image]"');
    expect(album).toContain('[5] assistant: "I can\'t download music, but I can open it in your streaming app."');
  });

  it('reads JSONL, JSON arrays, YAML and gzip of each alike, and keeps top-level keys as metadata', async () => {
    const dir = folder();
    const rows = JSON.parse(readFileSync(path.join(FORMATS, 'responses.json'), 'utf8')) as unknown[];
    const lines = `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
    writeFileSync(path.join(dir, 'a.jsonl'), lines);
    writeFileSync(path.join(dir, 'b.jsonl.gz'), gzipSync(lines.replace(/"focus-1"/, '"focus-1b"').replace(/"album-2"/, '"album-2b"')));
    writeFileSync(path.join(dir, 'c.json.gz'), gzipSync(JSON.stringify(rows).replace(/"focus-1"/, '"focus-1c"').replace(/"album-2"/, '"album-2c"')));
    writeFileSync(path.join(dir, 'd.yaml'), `- id: yaml-1\n  system: be kind\n  messages:\n    - role: user\n      content: hi\n    - role: assistant\n      content: [{ type: text, text: hello }]\n`);
    const dataset = await load(['a.jsonl', 'b.jsonl.gz', 'c.json.gz', 'd.yaml'].map((f) => path.join(dir, f)));
    expect(dataset.formats()).toEqual({ responses: 6, anthropic: 1 });
    const render = (id: string) => renderTranscript(dataset.get(id)).replace(/id="[^"]+"/, '');
    expect(render('focus-1b')).toBe(render('focus-1'));
    expect(render('album-2c')).toBe(render('album-2'));
    expect(dataset.get('focus-1b').line).toBe(1);
    expect(dataset.get('album-2b').line).toBe(2);
    // Every key the format does not read is metadata: the session, the model; `metadata` itself wins.
    expect(dataset.get('focus-1').metadata).toEqual({ session_id: 's-81', model: 'gpt-5' });
    expect(dataset.get('album-2').metadata).toEqual({ agent: 'tempo-v2' });
    expect(dataset.get('yaml-1').messages[0]).toEqual({ role: 'system', content: 'be kind' });
    dataset.close();
  });

  it('transcripts already in jury’s form keep their digests (so report bytes and config hashes do not move)', async () => {
    const dir = folder();
    const row = { id: 'plain', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }], tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c', content: 'r' }, { role: 'assistant', content: 'ok' }], metadata: { genre: 'jazz' } };
    writeFileSync(path.join(dir, 'p.jsonl'), `${JSON.stringify(row)}\n`);
    const dataset = await load([path.join(dir, 'p.jsonl')]);
    const { file: _f, line: _l, ...read } = dataset.get('plain');
    const expected = structuredClone(row) as unknown as { messages: { tool_calls?: { type?: string }[] }[] };
    expected.messages[1]!.tool_calls![0]!.type = 'function';
    expect(read).toEqual(expected);
    dataset.close();
  });
});

function read(value: unknown, format: Parameters<typeof normalizeTranscript>[1] = 'auto') {
  const notes = new Notes();
  const result = normalizeTranscript(value, format, notes);
  return { ...result, notes: notes.lines() };
}
const render = (value: unknown, reasoning = false) => {
  const result = read(value);
  if (!result.transcript) throw new Error(JSON.stringify(result.problems));
  return renderTranscript(result.transcript as Transcript, undefined, { reasoning }).split('\n').slice(1, -1);
};

describe('OpenAI Chat Completions details', () => {
  it('legacy function_call / role function become a tool call and its result, paired by name', () => {
    expect(render({ id: 'x', messages: [
      { role: 'user', content: 'play jazz' },
      { role: 'assistant', content: null, function_call: { name: 'search', arguments: '{"q":"jazz"}' } },
      { role: 'function', name: 'search', content: '["So What"]' },
      { role: 'assistant', content: 'Try So What.' },
    ] })).toEqual([
      '[1] user: "play jazz"',
      '[2] assistant calls tool "search" (call id "function-call-2") with arguments "{\\"q\\":\\"jazz\\"}"',
      '[3] tool result of "search" (call id "function-call-2"): "[\\"So What\\"]"',
      '[4] assistant: "Try So What."',
    ]);
  });

  it('a spoken reply is read from its transcript; custom tools and reasoning_content are read; media are placeholders', () => {
    const value = { id: 'x', messages: [
      { role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'UklGR', format: 'wav' } }, { type: 'file', file: { file_id: 'f1' } }] },
      { role: 'assistant', content: null, reasoning_content: 'they sent audio', tool_calls: [{ id: 'c1', type: 'custom', custom: { name: 'grep_catalogue', input: 'mood:calm' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'none' },
      { role: 'assistant', content: null, audio: { id: 'a1', data: 'UklGR', expires_at: 1, transcript: 'Nothing calm in stock.' } },
    ] };
    expect(render(value)).toEqual([
      '[1] user: "[audio]\\n[file]"',
      '[2] assistant calls tool "grep_catalogue" (call id "c1") with arguments "mood:calm"',
      '[3] tool result of "grep_catalogue" (call id "c1"): "none"',
      '[4] assistant: "Nothing calm in stock."',
    ]);
    expect(render(value, true)[1]).toBe('[2] assistant thinks: "they sent audio"');
  });

  it('unknown roles, parts and keys are counted once per file; a wrong type is a problem at its path', () => {
    const result = read({ id: 'x', messages: [
      { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'sticker', id: 9 }], timestamp: 1 },
      { role: 'critic', content: 'meh' },
      { role: 'critic', content: 'meh' },
      { role: 'assistant', content: 'hello', timestamp: 2, latency_ms: 80 },
    ] });
    expect(result.problems).toEqual([]);
    expect(result.transcript!.messages).toHaveLength(2);
    expect(result.notes).toEqual([
      'message keys jury does not read `timestamp` ×2, `latency_ms` ×1: kept out of judge prompts',
      'roles jury does not know `critic` ×2: those messages are left out',
      'content parts jury does not know `sticker` ×1: left out of the text',
    ]);
    expect(read({ id: 'x', messages: [{ role: 'user', content: 5 }] }).problems).toEqual([{ path: ['messages', 0, 'content'], message: 'is a number', expected: 'a string or an array of content parts' }]);
    expect(read({ id: 7, messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] }).transcript!.id).toBe('7');
    expect(read({ id: '', messages: [] }).problems[0]).toMatchObject({ path: ['id'], message: 'is empty' });
    expect(read({ id: 'x', messages: [{ role: 'assistant', content: 'b', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f' } }] }] }).problems).toEqual([
      { path: ['messages', 0, 'tool_calls', 0, 'function', 'arguments'], message: 'required field is missing', expected: 'the arguments as a JSON string' },
    ]);
  });
});

describe('Anthropic Messages details', () => {
  it('tool results split out of a user turn in order, is_error shows, thinking only when a rubric asks', () => {
    const value = { id: 'x', system: 'be brief', messages: [
      { role: 'user', content: 'two searches please' },
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'search twice', signature: 's' }, { type: 'tool_use', id: 't1', name: 'search', input: { q: 'a' } }, { type: 'tool_use', id: 't2', name: 'search', input: { q: 'b' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'A1' }, { type: 'tool_result', tool_use_id: 't2', is_error: true, content: [{ type: 'text', text: 'timeout' }] }, { type: 'text', text: 'and?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Found A1; ' }, { type: 'text', text: 'b timed out.' }, { type: 'server_tool_use', id: 's', name: 'web_search', input: {} }] },
    ] };
    expect(read(value).format).toBe('anthropic');
    expect(render(value)).toEqual([
      '[1] system: "be brief"',
      '[2] user: "two searches please"',
      '[3] assistant calls tool "search" (call id "t1") with arguments "{\\"q\\":\\"a\\"}"',
      '[3] assistant calls tool "search" (call id "t2") with arguments "{\\"q\\":\\"b\\"}"',
      '[4] tool result of "search" (call id "t1"): "A1"',
      '[5] tool error of "search" (call id "t2"): "timeout"',
      '[6] user: "and?"',
      '[7] assistant: "Found A1; b timed out."',
    ]);
    expect(render(value, true)[2]).toBe('[3] assistant thinks: "search twice"');
    expect(read(value).notes).toEqual(['content blocks jury does not know `server_tool_use` ×1: left out']);
  });

  it('is detected by its blocks without a system prompt, and its errors say it was read as anthropic', () => {
    const value = { id: 'x', messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', data: 'liner notes' } }] }, { role: 'assistant', content: 'ok' }] };
    expect(detectFormat(value)).toBe('anthropic');
    expect(render(value)[0]).toBe('[1] user: "[document]"');
    expect(detectFormat({ id: 'x', messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'u' } }] }] })).toBe('anthropic');
    expect(detectFormat({ id: 'x', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'u' } }] }] })).toBe('openai-chat');
    expect(read({ id: 'x', system: 's', messages: [{ role: 'user', content: [{ type: 'tool_result' }] }] }).problems).toEqual([{ path: ['messages', 0, 'content', 0, 'tool_use_id'], message: 'required field is missing', expected: 'a string' }]);
  });
});

describe('OpenAI Responses details', () => {
  it('input as a string, reasoning before a call, several calls in one turn, parts in outputs', () => {
    const value = { id: 'x', input: 'calm jazz?', output: [
      { type: 'reasoning', id: 'r', summary: [], encrypted_content: 'gAAA' },
      { type: 'function_call', call_id: 'a', name: 'search', arguments: '{}' },
      { type: 'function_call', call_id: 'b', name: 'charts', arguments: '{}' },
      { type: 'function_call_output', call_id: 'a', output: [{ type: 'input_text', text: 'Blue in Green' }] },
      { type: 'function_call_output', call_id: 'b', output: 'none' },
      { type: 'web_search_call', id: 'w', status: 'completed' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Blue in Green.', annotations: [{ type: 'url_citation' }] }] },
    ] };
    expect(read(value).format).toBe('responses');
    expect(render(value, true)).toEqual([
      '[1] user: "calm jazz?"',
      '[2] assistant thinks: "[reasoning not logged]"',
      '[2] assistant calls tool "search" (call id "a") with arguments "{}"',
      '[2] assistant calls tool "charts" (call id "b") with arguments "{}"',
      '[3] tool result of "search" (call id "a"): "Blue in Green"',
      '[4] tool result of "charts" (call id "b"): "none"',
      '[5] assistant: "Blue in Green."',
    ]);
    expect(read(value).notes).toEqual(['Responses items jury does not know `web_search_call` ×1: left out']);
  });

  it('an item with neither type nor role, or a call without its id, is a problem at its path', () => {
    expect(read({ id: 'x', input: [{ content: 'hi' }] }).problems[0]).toMatchObject({ path: ['input', 0, 'type'] });
    expect(read({ id: 'x', output: [{ type: 'function_call', name: 'f', arguments: '{}' }] }).problems).toEqual([{ path: ['output', 0, 'call_id'], message: 'required field is missing', expected: 'a string' }]);
    expect(read({ id: 'x', input: 5 }).problems).toEqual([{ path: ['input'], message: 'is a number', expected: 'a string or an array of items' }]);
  });
});
