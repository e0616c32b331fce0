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
const FILES = ['openai-chat', 'anthropic', 'responses'] as const;
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

describe('one conversation, three providers’ formats', () => {
  it('detects each file’s format and gives byte-identical judge prompts and cache keys', async () => {
    const requests = new Map<string, string[]>();
    for (const name of FILES) {
      const dataset = await load([path.join(FORMATS, `${name}.json`)]);
      expect(dataset.formats()).toEqual({ [name]: 2 });
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
