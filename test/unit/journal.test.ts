import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalWriter, SOON_MS, SOON_RECORDS, type JournalRecord } from '../../src/journal/journal.js';
import { JournalIndex } from '../../src/journal/journal-index.js';
import { buildPlan } from '../../src/plan/plan.js';
import type { Rubric } from '../../src/rubric/rubric.js';
import { isBatch, replayJournal, scanJournal } from '../../src/journal/journal-scan.js';

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

  it('writeSoon: records wait for SOON_RECORDS of them or SOON_MS, keep their order with write(), and the observer gets each line where it is', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'journal-')), 'v.jsonl');
    const seen: { key: string; offset: number; length: number }[] = [];
    const writer = JournalWriter.create(file, header, (r, offset, length) => seen.push({ key: r.key, offset, length }));
    const lines = () => readFileSync(file, 'utf8').trimEnd().split('\n').length - 1;
    for (let n = 0; n < SOON_RECORDS - 1; n++) writer.writeSoon(record(`soon ü ${n}`));
    expect(lines()).toBe(0);
    expect(seen).toEqual([]);
    writer.writeSoon(record(`soon ü ${SOON_RECORDS - 1}`));
    expect(lines()).toBe(SOON_RECORDS);
    writer.writeSoon(record('late'));
    writer.write(record('now'));
    expect(lines()).toBe(SOON_RECORDS + 2);
    writer.writeSoon(record('timed'));
    expect(lines()).toBe(SOON_RECORDS + 2);
    await new Promise((resolve) => setTimeout(resolve, SOON_MS + 30));
    expect(lines()).toBe(SOON_RECORDS + 3);
    writer.writeSoon(record('closing'));
    writer.close();
    const bytes = readFileSync(file);
    const keys = [...Array.from({ length: SOON_RECORDS }, (_, n) => `soon ü ${n}`), 'late', 'now', 'timed', 'closing'];
    expect(seen.map((s) => s.key)).toEqual(keys);
    for (const { key, offset, length } of seen) expect(JSON.parse(bytes.toString('utf8', offset, offset + length)).key).toBe(key);
    const replay = replayJournal(bytes.toString('utf8'));
    expect(replay.ok && replay.records.map((r) => r.key)).toEqual(keys);
  });

  it('writeSoon: a deferred write that failed is thrown to the next caller', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'journal-')), 'v.jsonl');
    const writer = JournalWriter.create(file, header);
    const cyclic = record('cyclic') as JournalRecord & { self?: unknown };
    cyclic.self = cyclic;
    writer.writeSoon(cyclic);
    await new Promise((resolve) => setTimeout(resolve, SOON_MS + 30));
    expect(() => writer.writeSoon(record('next'))).toThrow(expect.objectContaining({ message: expect.stringMatching(/circular/i) }));
    writer.write(record('after'));
    // A writer with no observer takes deferred records as well.
    writer.writeSoon(record('soon'));
    writer.close();
    const replay = replayJournal(readFileSync(file, 'utf8'));
    expect(replay.ok && replay.records.map((r) => r.key)).toEqual(['after', 'soon']);
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

describe('journal positions and the index', () => {
  const rubric: Rubric = { id: 'r', version: '1', title: 'R', scope: 'conversation', mode: 'per_criterion', file: 'r.yaml', criteria: [{ id: 'c', question: 'q', scale: { type: 'likert', min: 1, max: 5 }, anchors: {}, weight: 1, examples: [] }] };
  const plan = buildPlan(['a', 'b', 'c', 'd'].map((id) => ({ id, turns: [] })), [rubric], [{ id: 'j', samples: 1 }]);
  const at = (item: string, r: Partial<JournalRecord> = {}): JournalRecord => ({ ...record(`${item}|r/c|j|s0`), item, ...r });
  const slot = (item: string) => ['a', 'b', 'c', 'd'].indexOf(item);

  it('tells where each line sits, so a record is read back from the file byte-exact (multi-byte text included)', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'journal-')), 'v.jsonl');
    const index = new JournalIndex(file, plan);
    const writer = JournalWriter.create(file, header, (r, offset, length) => index.add(r, offset, length));
    const written = [
      at('a', { verdict: { status: 'scored', score: 4, reasoning: 'plain', citedTurns: [2] } }),
      at('b', { verdict: { status: 'scored', score: 2, reasoning: 'café — “quoted” 🎧 and a\nnewline', citedTurns: [] } }),
      at('c', { verdict: { status: 'failed', cause: 'timeout', message: 'no answer' } }),
    ];
    for (const r of written) writer.write(r);
    // A record the plan does not ask for is written but not indexed.
    writer.write({ ...at('zzz'), item: 'zzz' });
    writer.close();
    for (const r of written) expect(index.recordAt(slot(r.item))).toEqual(r);
    expect(index.size).toBe(3);
    expect(index.outcome(0, 'j', 0)).toEqual({ status: 'scored', score: 4 });
    expect(index.outcome(2, 'j', 0)).toEqual({ status: 'failed' });
    expect(index.verdict(3, 'j', 0)).toBeUndefined();
    expect(index.hasSlot(3)).toBe(false);
    // Appending (a resumed run) goes on from the end of the file, past a torn line that is cut first.
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"key":"torn","ju`);
    const more = JournalWriter.append(file, (r, offset, length) => index.add(r, offset, length));
    const last = at('d', { verdict: { status: 'scored', score: 5, reasoning: 'après', citedTurns: [1] } });
    more.write(last);
    more.close();
    expect(index.recordAt(3)).toEqual(last);
    expect(index.recordAt(1)).toEqual(written[1]);
    expect(index.size).toBe(4);
    index.close();
  });

  it('reads records back in any order from a journal many times its read windows, lines longer than a window included', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => `item-${String(i).padStart(4, '0')}`);
    const big = buildPlan(ids.map((id) => ({ id, turns: [] })), [rubric], [{ id: 'j', samples: 1 }]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'journal-')), 'v.jsonl');
    const index = new JournalIndex(file, big);
    const writer = JournalWriter.create(file, header, (r, offset, length) => index.add(r, offset, length));
    // About 1 KB a line (3 MB in all), every 500th line 700 KB; written out of plan order, as concurrent calls finish.
    const reasoning = (i: number) => `${i % 500 === 7 ? 'é'.repeat(350_000) : 'ü'.repeat(500)} ${i}`;
    const written = ids.map((id, i) => ({ ...record(`${id}|r/c|j|s0`), item: id, verdict: { status: 'scored' as const, score: 1 + (i % 5), reasoning: reasoning(i), citedTurns: [] } }));
    const order = ids.map((_, i) => i).sort((a, b) => ((a * 7919) % 3001) - ((b * 7919) % 3001));
    for (const i of order) writer.write(written[i]!);
    writer.close();
    expect(statSync(file).size).toBeGreaterThan(6 * 512 * 1024);
    for (const i of ids.keys()) expect(index.recordAt(i)).toEqual(written[i]);
    for (const i of [...ids.keys()].reverse()) expect(index.recordAt(i)).toEqual(written[i]);
    for (const i of order) expect(index.recordAt(i)).toEqual(written[i]);
    // Three stretches read in turn (a cached run journals each judge's verdicts in a stretch of its own).
    for (let i = 0; i < 1000; i++) for (const base of [0, 1000, 2000]) expect(index.recordAt(base + i)).toEqual(written[base + i]);
    index.close();
  });

  it('scans a journal of many megabytes in chunks, lines across chunk boundaries included, with the same positions', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'journal-')), 'v.jsonl');
    const fromWriter = new Map<string, [number, number]>();
    const writer = JournalWriter.create(file, header, (r, offset, length) => fromWriter.set(r.key, [offset, length]));
    writer.writeBatch({ kind: 'batch', judge: 'j', batch_id: 'b1', requests: { j0: 'k0' } });
    for (let i = 0; i < 6000; i++) writer.write({ ...record(`k${i}`), verdict: { status: 'scored', score: 3, reasoning: `reasoning ${i} ${'é'.repeat(i % 700)}`, citedTurns: [] } });
    writer.close();
    const fromScan = new Map<string, [number, number]>();
    let batches = 0;
    const scan = scanJournal(file, (line, offset, length) => (isBatch(line) ? batches++ : fromScan.set(line.key, [offset, length])));
    expect(scan).toMatchObject({ ok: true, header, tornTail: false });
    expect(batches).toBe(1);
    expect(fromScan.size).toBe(6000);
    expect([...fromScan]).toEqual([...fromWriter]);
    // Independent check of one position: the bytes there are exactly that record's line.
    const [offset, length] = fromScan.get('k4321')!;
    const bytes = readFileSync(file).subarray(offset, offset + length).toString('utf8');
    expect(JSON.parse(bytes).key).toBe('k4321');
  });
});

describe('journal corners', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'journal-'));

  it('append to a journal that is not there yet starts it; a file with no newline at all is cut to nothing', () => {
    const fresh = path.join(dir(), 'new.jsonl');
    JournalWriter.append(fresh).close();
    expect(readFileSync(fresh, 'utf8')).toBe('');
    const torn = path.join(dir(), 'torn.jsonl');
    writeFileSync(torn, '{"format":"jury.jour');
    JournalWriter.append(torn).close();
    expect(statSync(torn).size).toBe(0);
  });

  it('cuts a torn tail found across 64 KB chunks, keeping a newline that opens the last chunk', () => {
    const big = path.join(dir(), 'big.jsonl');
    // 200 KB without a newline after the first line: the search reads back chunk by chunk.
    writeFileSync(big, `${JSON.stringify(header)}\n${'x'.repeat(200 * 1024)}`);
    JournalWriter.append(big).close();
    expect(readFileSync(big, 'utf8')).toBe(`${JSON.stringify(header)}\n`);
    // The only newline is the first byte of the last 64 KB chunk.
    const edge = path.join(dir(), 'edge.jsonl');
    writeFileSync(edge, `x\n${'y'.repeat(64 * 1024 - 1)}`);
    JournalWriter.append(edge).close();
    expect(readFileSync(edge, 'utf8')).toBe('x\n');
  });

  it('an empty journal, a foreign header and a newer version are each refused, saying which', () => {
    expect(replayJournal('')).toEqual({ ok: false, reason: 'the journal has no header line' });
    expect(replayJournal('{"format":"other","version":1}\n')).toEqual({ ok: false, reason: 'not a jury journal' });
    expect(replayJournal('not json\n')).toEqual({ ok: false, reason: 'the journal header is not JSON' });
    expect(replayJournal(`${JSON.stringify({ ...header, version: 9 })}\n`)).toEqual({ ok: false, reason: 'journal format v9 is newer than this jury reads (v1)' });
    const file = path.join(dir(), 'v.jsonl');
    writeFileSync(file, `${JSON.stringify(header)}\nnot json\n`);
    expect(scanJournal(file, () => undefined)).toEqual({ ok: false, reason: 'line 2 of the journal is not JSON' });
  });

  it('batches are told apart from records, and scanned in place', () => {
    const batch = { kind: 'batch' as const, judge: 'j', batch_id: 'b1', requests: { r1: 'a' } };
    const text = `${JSON.stringify(header)}\n${JSON.stringify(record('a'))}\n${JSON.stringify(batch)}\n${JSON.stringify(record('b'))}\n`;
    const replay = replayJournal(text);
    expect(replay.ok && [replay.records.map((r) => r.key), replay.batches]).toEqual([['a', 'b'], [batch]]);
    const file = path.join(dir(), 'v.jsonl');
    writeFileSync(file, text);
    const seen: [string, number, number][] = [];
    expect(scanJournal(file, (line, offset, length) => seen.push([isBatch(line) ? 'batch' : 'record', offset, length]))).toEqual({ ok: true, header, tornTail: false });
    const lines = text.split('\n');
    const start = (k: number) => lines.slice(0, k).reduce((n, l) => n + l.length + 1, 0);
    expect(seen).toEqual([['record', start(1), lines[1]!.length], ['batch', start(2), lines[2]!.length], ['record', start(3), lines[3]!.length]]);
  });
});

describe('journal index corners', () => {
  const rubric: Rubric = { id: 'r', version: '1', title: 'R', scope: 'conversation', mode: 'per_criterion', file: 'r.yaml', criteria: [{ id: 'c', question: 'q', scale: { type: 'categorical', labels: ['good', 'bad'] }, anchors: {}, weight: 1, examples: [] }] };
  const plan = buildPlan(['a', 'b'].map((id) => ({ id, turns: [] })), [rubric], [{ id: 'j', samples: 2 }, { id: 'k', samples: 1 }]);
  const rec = (item: string, judge: string, sample: number, verdict: JournalRecord['verdict']): JournalRecord => ({ ...record(`${item}|r/c|${judge}|s${sample}`), item, judge, sample, verdict });

  it('finds each verdict by unit, judge and sample; counts a replaced one once; ignores calls the plan does not have', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'journal-')), 'v.jsonl');
    const index = new JournalIndex(file, plan);
    const writer = JournalWriter.create(file, header, (r, offset, length) => index.add(r, offset, length));
    writer.write(rec('a', 'j', 1, { status: 'scored', score: 'bad', reasoning: 'r', citedTurns: [] }));
    writer.write(rec('b', 'k', 0, { status: 'failed', cause: 'timeout', message: 'slow' }));
    writer.write(rec('b', 'k', 0, { status: 'scored', score: 'good', reasoning: 'again', citedTurns: [] }));
    writer.close();
    expect(index.add(rec('z', 'j', 0, { status: 'scored', score: 'good', reasoning: 'r', citedTurns: [] }), 0, 1)).toBeUndefined();
    expect(index.size).toBe(2);
    expect(index.outcome(0, 'j', 1)).toEqual({ status: 'scored', score: 'bad' });
    expect(index.outcome(0, 'j', 0)).toBeUndefined();
    expect(index.outcome(1, 'k', 0)).toEqual({ status: 'scored', score: 'good' });
    expect(index.verdict(1, 'k', 0)).toEqual({ status: 'scored', score: 'good', reasoning: 'again', citedTurns: [] });
    expect(index.verdict(0, 'k', 0)).toBeUndefined();
    // Slots: unit × (2 + 1) + the judge's offset + sample.
    expect(index.hasSlot(1)).toBe(true);
    expect(index.hasSlot(0)).toBe(false);
    expect(index.hasSlot(5)).toBe(true);
    index.close();
  });

  it('a failed verdict is an outcome of its own, with its cause read back from the file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'journal-')), 'v.jsonl');
    const index = new JournalIndex(file, plan);
    const writer = JournalWriter.create(file, header, (r, offset, length) => index.add(r, offset, length));
    writer.write(rec('a', 'k', 0, { status: 'failed', cause: 'rate_limit', message: 'wait' }));
    writer.close();
    expect(index.outcome(0, 'k', 0)).toEqual({ status: 'failed' });
    expect(index.verdict(0, 'k', 0)).toEqual({ status: 'failed', cause: 'rate_limit', message: 'wait' });
    index.close();
  });
});

describe('journal files are closed', () => {
  // Open descriptors of this process (Linux): each reader and writer must give back what it opened, or a long
  // batch of runs in one process (jury batch) runs out of them.
  const open = () => readdirSync('/proc/self/fd').length;
  const rubric: Rubric = { id: 'r', version: '1', title: 'R', scope: 'conversation', mode: 'per_criterion', file: 'r.yaml', criteria: [{ id: 'c', question: 'q', scale: { type: 'likert', min: 1, max: 5 }, anchors: {}, weight: 1, examples: [] }] };
  const plan = buildPlan(['i'].map((id) => ({ id, turns: [] })), [rubric], [{ id: 'j', samples: 1 }]);

  it('by the writer, the appender (a torn tail cut included), the scanner and the index with its reader', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'journal-')), 'v.jsonl');
    const before = open();
    const writer = JournalWriter.create(file, header);
    writer.write({ ...record('i|r/c|j|s0'), item: 'i' });
    writer.close();
    expect(open()).toBe(before);
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"torn`);
    JournalWriter.append(file).close();
    expect(open()).toBe(before);
    expect(scanJournal(file, () => undefined)).toMatchObject({ ok: true });
    expect(open()).toBe(before);
    const index = new JournalIndex(file, plan);
    const lines = readFileSync(file, 'utf8').split('\n');
    index.add(JSON.parse(lines[1]!), Buffer.byteLength(`${lines[0]}\n`), Buffer.byteLength(lines[1]!));
    expect(index.verdict(0, 'j', 0)).toMatchObject({ status: 'scored', score: 3 });
    expect(open()).toBe(before + 1);
    index.close();
    expect(open()).toBe(before);
  });
});

describe('the first problem in a journal is the one reported', () => {
  it('a bad header stops the scan: a later bad line does not replace it, and no record is visited', () => {
    const visited: unknown[] = [];
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'journal-')), 'v.jsonl');
    writeFileSync(file, `not json\n${JSON.stringify(record('a'))}\nalso not json\n`);
    expect(scanJournal(file, (line) => visited.push(line))).toEqual({ ok: false, reason: 'the journal header is not JSON' });
    expect(visited).toEqual([]);
  });

  it('the first bad line is named, and nothing after it is visited', () => {
    const visited: string[] = [];
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'journal-')), 'v.jsonl');
    writeFileSync(file, `${JSON.stringify(header)}\n${JSON.stringify(record('a'))}\nbad\n${JSON.stringify(record('b'))}\nworse\n`);
    expect(scanJournal(file, (line) => visited.push((line as JournalRecord).key))).toEqual({ ok: false, reason: 'line 3 of the journal is not JSON' });
    expect(visited).toEqual(['a']);
  });
});
