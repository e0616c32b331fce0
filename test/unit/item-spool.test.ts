import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalIndex } from '../../src/journal/journal-index.js';
import { JournalWriter, type JournalRecord } from '../../src/journal/journal.js';
import { buildPlan, planCalls, planItems, type PlannedCall } from '../../src/plan/plan.js';
import { buildReport, reportHead, reportItems, type ReportInput } from '../../src/report/build.js';
import { ItemSpool } from '../../src/report/item-spool.js';
import { writeJson, writeReport } from '../../src/report/write.js';
import type { Rubric } from '../../src/rubric/rubric.js';
import type { Transcript } from '../../src/transcript/transcript.js';

const anchors = { '1': 'a', '2': 'b', '3': 'c', '4': 'd', '5': 'e' };
const rubric: Rubric = {
  id: 'r', version: '1', title: 'R', scope: 'conversation', mode: 'per_criterion', file: 'r.yaml',
  criteria: ['c1', 'c2'].map((id) => ({ id, question: 'q', scale: { type: 'likert' as const, min: 1, max: 5 }, anchors, weight: 1, examples: [] })),
};
const transcripts: Transcript[] = Array.from({ length: 30 }, (_, i) => ({ id: `item-${String(i).padStart(2, '0')}`, file: 't', messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y' }] }));
const plan = buildPlan(planItems(transcripts), [rubric], ['a', 'b', 'c'].map((id) => ({ id, samples: 1 })));
const calls = [...planCalls(plan)];

function recordOf(call: PlannedCall, note = ''): JournalRecord {
  const score = 1 + ((call.judge.charCodeAt(0) + call.unit.item.length * 3 + call.unit.criterion.charCodeAt(1) + note.length) % 5);
  return {
    key: call.key, judge: call.judge, item: call.unit.item, rubric: call.unit.rubric, criterion: call.unit.criterion, sample: 0,
    verdict: { status: 'scored', score, reasoning: `why ${call.key} — café "${note}"\n`, citedTurns: [1] }, attempts: 1,
    usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 }, latency_ms: 1, source: 'provider',
  };
}

/** Plan order with each call moved up to 20 places, as concurrent calls finish. */
function finishingOrder(): PlannedCall[] {
  return calls.map((call, i) => ({ call, at: i + ((i * 7919) % 21) })).sort((x, y) => x.at - y.at).map((x) => x.call);
}

/** A run's journal, index and spool, as `jury run` wires them; `write` journals a record. */
function run(previous: JournalRecord[] = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'item-spool-'));
  const journalFile = path.join(dir, 'verdicts.jsonl');
  const index = new JournalIndex(journalFile, plan);
  const input: ReportInput = {
    label: 'spool', configHash: 'h', aggregation: { method: 'mean', quorum: 'majority' }, rubrics: [rubric],
    judges: ['a', 'b', 'c'].map((id) => ({ id, provider: 'openai', model: `m-${id}`, samples: 1, simulated: false })),
    units: plan.units, verdicts: index,
  };
  let spool: ItemSpool | undefined;
  const observe = (r: JournalRecord, offset: number, length: number) => {
    const noted = index.add(r, offset, length);
    if (noted) spool?.note(noted.slot, noted.replaced);
  };
  const journal = JournalWriter.create(journalFile, { format: 'jury.journal', version: 1, config_hash: 'h', label: 'spool' }, observe);
  for (const r of previous) journal.write(r);
  spool = new ItemSpool(path.join(dir, 'spool.tmp'), input, plan, (slot) => index.hasSlot(slot));
  /** Writes report.json through the spool, and the whole report at once for comparison. */
  const finish = () => {
    journal.close();
    const spooled = spool!.finish();
    writeReport(path.join(dir, 'report.json'), reportHead(input), reportItems(input, spooled?.items ?? 0), spooled);
    spool!.discard();
    writeJson(path.join(dir, 'whole.json'), buildReport(input));
    const bytes = readFileSync(path.join(dir, 'report.json'));
    index.close();
    return { spooled, same: bytes.equals(readFileSync(path.join(dir, 'whole.json'))), files: readdirSync(dir) };
  };
  return { spool, write: (r: JournalRecord) => journal.write(r), finish };
}

describe('items written while the run judges', () => {
  it('writes each item once it and every item before it are complete, and the report is byte-identical to writing it whole', () => {
    const { spool, write, finish } = run();
    const order = finishingOrder();
    order.slice(0, 90).forEach((call) => write(recordOf(call)));
    // Half the calls in, the first items are written already, and none past the first incomplete one.
    const firstIncomplete = calls.find((c) => !order.slice(0, 90).includes(c))!.unit.item;
    expect(spool.items).toBeGreaterThan(5);
    expect(spool.items).toBe(transcripts.findIndex((t) => t.id === firstIncomplete));
    order.slice(90).forEach((call) => write(recordOf(call)));
    const { spooled, same, files } = finish();
    expect(spooled).toMatchObject({ items: 30 });
    expect(same).toBe(true);
    expect(files.sort()).toEqual(['report.json', 'verdicts.jsonl', 'whole.json']);
  });

  it('stops at the first incomplete item of an interrupted run; the rest is written at the end, missing verdicts and all', () => {
    const { write, finish } = run();
    for (const call of finishingOrder()) if (call.unit.item !== 'item-12' || call.judge !== 'b') write(recordOf(call));
    const { spooled, same } = finish();
    expect(spooled).toMatchObject({ items: 12 });
    expect(same).toBe(true);
  });

  it('writes the items a resumed run already holds as soon as it starts', () => {
    const { spool, write, finish } = run(calls.slice(0, 60).map((c) => recordOf(c)));
    expect(spool.items).toBe(10);
    calls.slice(60).forEach((call) => write(recordOf(call)));
    const { spooled, same } = finish();
    expect(spooled).toMatchObject({ items: 30 });
    expect(same).toBe(true);
  });

  it('gives up, and the report is written whole, when a record replaces one of an item already written', () => {
    const { spool, write, finish } = run();
    calls.forEach((call) => write(recordOf(call)));
    expect(spool.items).toBe(30);
    // Item 3's first verdict asked again (a batch failure retried live): the spooled text would be stale.
    write(recordOf(calls[18]!, 'asked again'));
    const { spooled, same } = finish();
    expect(spooled).toBeUndefined();
    expect(same).toBe(true);
  });
});
