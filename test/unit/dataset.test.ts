import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamDataset, transcriptDigest } from '../../src/transcript/load.js';
import { parseTranscriptFile } from '../../src/transcript/parse.js';

const conversation = (id: string, text: string) => ({
  id,
  messages: [
    { role: 'user', content: text },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', function: { name: 'search', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: '{"tracks":[]}' },
    { role: 'assistant', content: `Here: ${text}` },
  ],
});

function dir(): string {
  return mkdtempSync(path.join(tmpdir(), 'dataset-'));
}

describe('datasets read as a stream', () => {
  it('reads each JSONL transcript back from its line exactly as loaded (BOM, CRLF, multi-byte text, no final newline)', async () => {
    const file = path.join(dir(), 'd.jsonl');
    const rows = [conversation('b', 'café — “laid back” 🎧'), conversation('a', 'upbeat, no explicit lyrics'), conversation('c', 'x'.repeat(3000))];
    writeFileSync(file, `\uFEFF${rows.map((r) => JSON.stringify(r)).join('\r\n')}`);
    const seen: string[] = [];
    const loaded = await streamDataset([file], (t) => seen.push(t.id));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const dataset = loaded.value;
    expect(seen).toEqual(['b', 'a', 'c']);
    expect(dataset.entries.map((e) => [e.id, e.line, e.turns])).toEqual([['a', 2, [3]], ['b', 1, [3]], ['c', 3, [3]]]);
    for (const row of rows) {
      const back = dataset.get(row.id);
      // The schema's defaults are filled in as at load time (a tool call's type).
      expect(back.messages[1]).toMatchObject({ tool_calls: [{ type: 'function' }] });
      expect(back).toMatchObject({ id: row.id, file, messages: [{ content: row.messages[0]!.content }, {}, {}, { content: row.messages[3]!.content }] });
      expect(dataset.entries.find((e) => e.id === row.id)!.digest).toBe(transcriptDigest(back));
    }
    dataset.close();
  });

  it('gives the same transcript and digest from a JSONL line as from a JSON file, whatever the file or line', async () => {
    const folder = dir();
    const row = conversation('same', 'something laid back');
    writeFileSync(path.join(folder, 'one.json'), JSON.stringify(row, null, 2));
    writeFileSync(path.join(folder, 'many.jsonl'), `${JSON.stringify(conversation('other', 'y'))}\n\n${JSON.stringify({ ...row, id: 'same2' })}\n`);
    const fromFile = parseTranscriptFile(path.join(folder, 'one.json'), JSON.stringify(row, null, 2));
    const loaded = await streamDataset([path.join(folder, 'many.jsonl')]);
    expect(fromFile.ok && loaded.ok).toBe(true);
    if (!fromFile.ok || !loaded.ok) return;
    const fromLine = loaded.value.get('same2');
    expect(fromLine.line).toBe(3);
    expect(transcriptDigest({ ...fromLine, id: 'same' })).toBe(transcriptDigest(fromFile.value[0]!.transcript));
    loaded.value.close();
  });

  it('streams a file of several megabytes (lines across read chunks) and finds every transcript', async () => {
    const file = path.join(dir(), 'big.jsonl');
    const rows = Array.from({ length: 3000 }, (_, i) => conversation(`t${String(i).padStart(5, '0')}`, `${i} ${'é'.repeat(i % 900)}`));
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const loaded = await streamDataset([file]);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.value.entries).toHaveLength(3000);
    for (const i of [0, 1234, 2999]) expect(loaded.value.get(rows[i]!.id).messages[0]!.content).toBe(rows[i]!.messages[0]!.content);
    loaded.value.close();
  });

  it('names the line and byte of invalid UTF-8, and still checks the other lines', async () => {
    const file = path.join(dir(), 'bad.jsonl');
    const good = Buffer.from(`${JSON.stringify(conversation('a', 'fine'))}\n`);
    const bad = Buffer.concat([Buffer.from('{"id":"b","messages":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
    const alsoBad = Buffer.from('{"id": 3}\n');
    writeFileSync(file, Buffer.concat([good, bad, alsoBad]));
    const loaded = await streamDataset([file]);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.diagnostics[0]).toMatchObject({ code: 'file/encoding', file, line: 2, message: `invalid UTF-8 at byte ${good.length + 22}` });
    expect(loaded.diagnostics.some((d) => d.line === 3 && d.code.startsWith('transcript/'))).toBe(true);
  });
});
