import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalWriter, replayJournal, type JournalRecord } from '../../src/journal/journal.js';

const header = { format: 'jury.journal' as const, version: 1, config_hash: 'abc', label: 'x' };
const record = (key: string): JournalRecord => ({
  key, judge: 'j', item: 'i', rubric: 'r', criterion: 'c', sample: 0,
  verdict: { status: 'scored', score: 3, reasoning: 'r', citedTurns: [] }, attempts: 1,
  usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 }, latency_ms: 1, source: 'provider',
});

describe('journal', () => {
  it('replays what was written, header first', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'journal-')), 'v.jsonl');
    const writer = JournalWriter.create(file, header);
    writer.write(record('a'));
    writer.write(record('b'));
    writer.close();
    const replay = replayJournal(readFileSync(file, 'utf8'));
    expect(replay).toMatchObject({ ok: true, header, tornTail: false });
    expect(replay.ok && replay.records.map((r) => r.key)).toEqual(['a', 'b']);
  });

  it('drops a torn last line, and appending after it starts on a fresh line', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'journal-')), 'v.jsonl');
    writeFileSync(file, `${JSON.stringify(header)}\n${JSON.stringify(record('a'))}\n{"key":"b","jud`);
    const replay = replayJournal(readFileSync(file, 'utf8'));
    expect(replay).toMatchObject({ ok: true, tornTail: true });
    expect(replay.ok && replay.records.map((r) => r.key)).toEqual(['a']);
    const writer = JournalWriter.append(file);
    writer.write(record('c'));
    writer.close();
    const again = replayJournal(readFileSync(file, 'utf8'));
    expect(again.ok && again.records.map((r) => r.key)).toEqual(['a', 'c']);
  });

  it('refuses a corrupt line in the middle and a newer format', () => {
    expect(replayJournal(`${JSON.stringify(header)}\nnot json\n${JSON.stringify(record('a'))}\n`)).toMatchObject({ ok: false, reason: 'line 2 of the journal is not JSON' });
    expect(replayJournal(`${JSON.stringify({ ...header, version: 9 })}\n`)).toMatchObject({ ok: false });
  });
});
