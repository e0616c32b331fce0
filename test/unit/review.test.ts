import { describe, expect, it } from 'vitest';
import type { HumanLabel } from '../../src/labels/labels.js';
import { parseLabels } from '../../src/labels/labels.js';
import { parseCsv } from '../../src/ratings/csv.js';
import { plainTranscript, REVIEW_COLUMNS, reviewRows, toCsv, toJsonl, toLabelStudio, type ReviewRow } from '../../src/review/export.js';
import { mergeLabels, readCompleted, serializeLabels } from '../../src/review/import.js';
import { selectForReview } from '../../src/review/select.js';
import type { Rubric } from '../../src/rubric/rubric.js';
import type { Transcript } from '../../src/transcript/transcript.js';
import { syntheticReport } from '../support/synthetic-report.js';

const judges = ['j1', 'j2', 'j3'];
const likert5 = { type: 'likert' as const, min: 1, max: 5 };
const n = (item: string) => Number(item.slice(-2));
// Spread grows with the item number: item-00 none, item-01 1, item-02 2, …
const report = syntheticReport({ items: 6, criteria: ['c1', 'c2'], judges, score: (j, item, c) => (c === 'c2' ? 3 : j === 'j1' ? 1 : 1 + Math.min(4, n(item))) });

describe('selectForReview', () => {
  it('takes the widest panel spreads first, ties by unit key, and nothing the judges agree on', () => {
    const units = selectForReview(report, [], { top: 3, audit: 0 });
    expect(units.map((u) => [u.item, u.unit.criterion, u.reasons, u.priority])).toEqual([
      ['item-04', 'c1', ['judge_disagreement'], 4], ['item-05', 'c1', ['judge_disagreement'], 4], ['item-03', 'c1', ['judge_disagreement'], 3],
    ]);
    expect(selectForReview(report, [], { top: 100, audit: 0 }).map((u) => u.item)).toEqual(['item-04', 'item-05', 'item-03', 'item-02', 'item-01']);
    // The default is the top 20 and a 5% audit sample.
    const defaults = selectForReview(report, []);
    expect(defaults.filter((u) => u.reasons.includes('judge_disagreement'))).toHaveLength(5);
    expect(defaults.filter((u) => u.reasons.includes('audit_sample')).map((u) => u.unit.criterion).sort()).toEqual(['c1', 'c2']);
  });

  it('adds the largest judge–human gaps, by the humans’ median, matching labels with or without the rubric', () => {
    const labels: HumanLabel[] = [
      { item: 'item-00', criterion: 'r/c2', annotator: 'a', score: 5 }, // panel 3, human 5: gap 2
      { item: 'item-01', criterion: 'c2', annotator: 'a', score: 4 }, { item: 'item-01', criterion: 'c2', annotator: 'b', score: 5 }, // median 4.5: gap 1.5
      { item: 'item-02', criterion: 'c2', annotator: 'a', score: 3 }, // agrees: not listed
      { item: 'item-03', criterion: 'c2', turn: 2, annotator: 'a', score: 1 }, // another unit (a turn): not this one
    ];
    const units = selectForReview(report, labels, { top: 5, audit: 0 }).filter((u) => u.reasons.includes('judge_human_disagreement'));
    expect(units.map((u) => [u.item, u.unit.criterion, u.priority])).toEqual([['item-00', 'c2', 2], ['item-01', 'c2', 1.5]]);
    expect(selectForReview(report, labels, { top: 1, audit: 0 }).filter((u) => u.reasons.includes('judge_human_disagreement')).map((u) => u.item)).toEqual(['item-00']);
  });

  it('a unit the panel could not score has no gap with people, labelled or not', () => {
    const failing = syntheticReport({ items: 3, criteria: ['c1'], judges, score: () => 2, failed: (_, item) => item === 'item-00' });
    const labels: HumanLabel[] = ['item-00', 'item-01'].map((item) => ({ item, criterion: 'c1', annotator: 'a', score: 5 }));
    const units = selectForReview(failing, labels, { top: 5, audit: 0 }).filter((u) => u.reasons.includes('judge_human_disagreement'));
    expect(units.map((u) => [u.item, u.priority])).toEqual([['item-01', 3]]);
  });

  it('a unit chosen twice appears once, with both reasons and the larger priority', () => {
    const labels: HumanLabel[] = [{ item: 'item-01', criterion: 'c1', annotator: 'a', score: 5 }];
    const units = selectForReview(report, labels, { top: 10, audit: 0 });
    const one = units.filter((u) => u.item === 'item-01' && u.unit.criterion === 'c1');
    expect(one).toHaveLength(1);
    expect(one[0]!.reasons).toEqual(['judge_disagreement', 'judge_human_disagreement']);
    // spread 1, panel mean of (1, 2, 2) = 5/3 → gap 10/3.
    expect(one[0]!.priority).toBeCloseTo(5 - 5 / 3, 12);
  });

  it('draws a seeded audit sample per criterion: the seed changes it, the same seed repeats it, at least one per stratum', () => {
    const big = syntheticReport({ items: 40, criteria: ['c1', 'c2'], judges, score: () => 3 });
    const sample = (seed: number, audit = 0.1) => selectForReview(big, [], { audit, seed, top: 0 }).map((u) => `${u.item}/${u.unit.criterion}`);
    const a = sample(1);
    expect(a).toHaveLength(8);
    expect(a.filter((k) => k.endsWith('/c1'))).toHaveLength(4);
    expect(sample(1)).toEqual(a);
    expect(sample(2)).not.toEqual(a);
    expect(new Set(a).size).toBe(8);
    expect(sample(1, 0.001)).toHaveLength(2);
    expect(sample(1, 0)).toEqual([]);
    // The default seed is 1.
    expect(selectForReview(big, [], { audit: 0.1, top: 0 }).map((u) => `${u.item}/${u.unit.criterion}`)).toEqual(a);
  });

  it('the audit sample depends on the seed only, not on the order of items or criteria in the report', () => {
    // Ids where report order (code points of the id) and the order of "id|criterion" keys differ: "a" < "a-b" but "a-b|" < "a|".
    const ids = Array.from({ length: 30 }, (_, i) => (i % 2 ? `a${'-b'.repeat(i)}` : `a${i}`));
    const report = syntheticReport({ items: 30, criteria: ['c2', 'c1'], judges, score: () => 3, ids: (i) => ids[i]! });
    const reordered = { ...report, items: [...report.items].reverse().map((item) => ({ ...item, results: [...item.results].reverse() })) };
    const sample = (r: typeof report) => selectForReview(r, [], { audit: 0.1, top: 0, seed: 4 }).map((u) => `${u.item}/${u.unit.criterion}`).sort();
    expect(sample(report)).toHaveLength(6);
    expect(sample(reordered)).toEqual(sample(report));
  });
});

const rubric: Rubric = {
  id: 'r', version: '1', title: 'R', scope: 'conversation', mode: 'per_criterion', file: 'r.yaml',
  criteria: [{ id: 'c1', question: 'Did it help?', scale: { type: 'likert', min: 1, max: 3 }, anchors: { '1': 'no', '3': 'yes' }, weight: 1, examples: [] }],
};
const transcript: Transcript = {
  id: 'item-01', file: 't', messages: [
    { role: 'user', content: 'jazz please' },
    { role: 'assistant', content: '', tool_calls: [{ id: 'k1', type: 'function', function: { name: 'search', arguments: '{"q":"jazz"}' } }] },
    { role: 'tool', tool_call_id: 'k1', content: 'Kind of Blue' },
    { role: 'assistant', content: 'Try Kind of Blue.', tool_calls: [{ id: 'k2', type: 'function', function: { name: 'play', arguments: '{}' } }] },
  ],
};

describe('review export', () => {
  it('writes the transcript as a person reads it, up to the turn under review', () => {
    expect(plainTranscript(transcript)).toBe('[1] user: jazz please\n[2] assistant calls search({"q":"jazz"})\n[3] tool result (k1): Kind of Blue\n[4] assistant calls play({}) and says: Try Kind of Blue.');
    expect(plainTranscript(transcript, 1)).toBe('[1] user: jazz please');
  });

  it('an assistant turn without tool calls is plain speech; several calls are listed in order', () => {
    const more: Transcript = { id: 'item-02', file: 't', messages: [
      { role: 'assistant', content: 'Hello.' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'a', type: 'function', function: { name: 'search', arguments: '{}' } }, { id: 'b', type: 'function', function: { name: 'play', arguments: '{"id":1}' } }] },
    ] };
    expect(plainTranscript(more)).toBe('[1] assistant: Hello.\n[2] assistant calls search({}), play({"id":1})');
  });

  it('one row per unit: id, the criterion’s question, scale and anchors, the judges’ verdicts, empty label columns', () => {
    const units = selectForReview(report, [], { top: 1, audit: 0 }).concat(selectForReview(report, [], { top: 100, audit: 0 }).filter((u) => u.item === 'item-01'));
    const rows = reviewRows(units, new Map([['item-01', transcript]]), new Map([['r', rubric]]));
    expect(rows[1]).toEqual({
      id: 'item-01|r/c1', item: 'item-01', criterion: 'r/c1', turn: '', reasons: 'judge_disagreement', question: 'Did it help?',
      scale: '{"type":"likert","min":1,"max":3}', anchors: '1: no\n2: \n3: yes', transcript: plainTranscript(transcript),
      panel_score: units[1]!.unit.panel.status === 'scored' ? units[1]!.unit.panel.score : 'x', judges: 'j1: 1 (r)\nj2: 2 (r)\nj3: 2 (r)', annotator: '', score: '', note: '',
    });
    expect(rows[0]).toMatchObject({ item: 'item-04', transcript: '(transcript not found in the dataset)' });
    const unknown = reviewRows(units.slice(0, 1), new Map(), new Map());
    expect(unknown[0]).toMatchObject({ question: '', scale: '', anchors: '' });
  });

  it('names the turn, shows a failed verdict and an unscored panel', () => {
    const turns = syntheticReport({ items: 1, turns: 2, criteria: ['c1'], judges: ['j1'], score: () => 2, failed: () => true });
    const unit = { item: 'item-00', unit: turns.items[0]!.results[1]!, scale: turns.criteria[0]!.scale, reasons: ['audit_sample' as const], priority: 0 };
    const [row] = reviewRows([unit], new Map(), new Map());
    expect(row).toMatchObject({ id: 'item-00|r/c1|t4', turn: 4, panel_score: 'unscored', judges: 'j1: failed' });
  });

  const hostile = ['=1+1', '+cmd', '-2', '@SUM(A1)', '\tx', '\rx', "'quoted", 'plain', 'say "hi", then\nleave'];
  const row = (i: number, text: string): ReviewRow => ({ id: text, item: text, criterion: text, turn: '', reasons: text, question: text, scale: text, anchors: text, transcript: text, panel_score: text, judges: text, annotator: text, score: text, note: `${i}` });

  it('CSV: every cell quoted, formula-like cells defused in every column, and read back exactly', () => {
    const csv = toCsv(hostile.map((h, i) => row(i, h)));
    expect(csv.startsWith(`${REVIEW_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const parsed = parseCsv(csv);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const body = parsed.rows.slice(1);
    expect(body).toHaveLength(hostile.length);
    body.forEach((r, i) => {
      // Every column but turn (a number column, empty here) and note (the row number).
      const cells = r.cells.slice(0, 13).filter((_, k) => k !== 3);
      expect(cells).toHaveLength(12);
      // What a spreadsheet sees: no cell starts like a formula.
      for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      expect(cells.every((c) => c === cells[0])).toBe(true);
      expect(cells[0]).toBe(/^['=+\-@\t\r]/.test(hostile[i]!) ? `'${hostile[i]}` : hostile[i]);
    });
    // And the import reads each back as it was.
    const back = readCompleted('review.csv', csv);
    // Scores are trimmed on the way in; ids are kept exactly.
    expect(back.labels.map((l) => [l.item, l.score])).toEqual(hostile.map((h) => [h, h.trim()]));
  });

  it('JSONL and Label Studio carry the rows as data, without the label columns for Label Studio', () => {
    const rows = [row(0, 'a'), row(1, 'b')];
    expect(toJsonl(rows)).toBe(`${JSON.stringify(rows[0])}\n${JSON.stringify(rows[1])}\n`);
    expect(toJsonl([])).toBe('');
    const tasks = JSON.parse(toLabelStudio(rows)) as { data: Record<string, unknown> }[];
    expect(tasks).toHaveLength(2);
    expect(Object.keys(tasks[0]!.data)).toEqual(REVIEW_COLUMNS.filter((c) => !['annotator', 'score', 'note'].includes(c)));
    expect(toLabelStudio(rows).endsWith('\n')).toBe(true);
  });
});

describe('review import', () => {
  const scale = JSON.stringify({ type: 'likert', min: 1, max: 5 });
  const cats = JSON.stringify({ type: 'categorical', labels: ['good', 'bad'] });
  const q = (cell: string) => `"${cell.replace(/"/g, '""')}"`;

  it('reads CSV rows with a score, skips blank ones, checks each score against the row’s scale', () => {
    const csv = `item,criterion,turn,annotator,score,note,scale\r\na,r/c1,,ann,4,fine,${q(scale)}\r\nb,r/c1,3,,5,,${q(scale)}\r\nc,r/c1,,ann,,,\r\nd,r/c1,,ann,7,,${q(scale)}\r\ne,r/k,,ann,good,,${q(cats)}\r\nf,,,ann,2,,\r\n`;
    const out = readCompleted('done.csv', csv, 'fallback');
    expect(out.labels).toEqual([
      { item: 'a', criterion: 'r/c1', annotator: 'ann', score: 4, note: 'fine' },
      { item: 'b', criterion: 'r/c1', turn: 3, annotator: 'fallback', score: 5 },
      { item: 'e', criterion: 'r/k', annotator: 'ann', score: 'good' },
    ]);
    expect(out.skipped).toBe(1);
    expect(out.diagnostics).toEqual([
      { code: 'ratings/invalid', severity: 'error', file: 'done.csv', line: 5, path: ['score'], message: 'score "7" for d on r/c1 is not on the scale', expected: '1, 2, 3, 4, 5' },
      { code: 'ratings/invalid', severity: 'error', file: 'done.csv', line: 7, path: [], message: 'the row has no item or criterion', expected: 'rows as exported by jury review export' },
    ]);
  });

  it('without an annotator column or --annotator, a filled row is an error naming both ways out', () => {
    const out = readCompleted('done.csv', 'item,criterion,score\nx,c1,3\n');
    expect(out.labels).toEqual([]);
    expect(out.diagnostics).toEqual([{ code: 'ratings/invalid', severity: 'error', file: 'done.csv', line: 2, path: ['annotator'], message: 'no annotator is named', expected: 'an annotator column, or --annotator <name>' }]);
  });

  it('a score with no scale, or an unreadable scale, is kept as written (numbers stay text)', () => {
    const out = readCompleted('done.csv', 'item,criterion,annotator,score,scale\nx,c1,a, 3 ,\ny,c1,a,9,{oops\n');
    expect(out.labels.map((l) => l.score)).toEqual(['3', '9']);
    expect(out.diagnostics).toEqual([]);
  });

  it('reads JSONL, saying which line is not JSON', () => {
    const text = `${JSON.stringify({ item: 'a', criterion: 'c1', annotator: 'p', score: 2, turn: 4 })}\n\nnot json\n${JSON.stringify({ item: 'b', criterion: 'c1', annotator: 'p', score: null })}\n`;
    const out = readCompleted('done.jsonl', text);
    expect(out.labels).toEqual([{ item: 'a', criterion: 'c1', turn: 4, annotator: 'p', score: 2 }]);
    expect(out.skipped).toBe(1);
    expect(out.diagnostics).toEqual([{ code: 'ratings/invalid', severity: 'error', file: 'done.jsonl', line: 3, path: [], message: 'not a JSON object' }]);
  });

  it('reads Label Studio exports: rating, number or choice, and who completed it', () => {
    const tasks = [
      { data: { item: 'a', criterion: 'c1' }, annotations: [{ completed_by: { email: 'x@example.com', id: 3 }, result: [{ value: { rating: 4 } }] }, { completed_by: 7, result: [{ value: { number: 2 } }] }] },
      { data: { item: 'b', criterion: 'k', scale: cats }, annotations: [{ completed_by: { id: 9 }, result: [{ value: { choices: ['bad'] } }] }, { result: [{ value: {} }] }] },
      { data: { item: 'c', criterion: 'k' } },
    ];
    const out = readCompleted('export.json', JSON.stringify(tasks), 'me');
    expect(out.labels).toEqual([
      { item: 'a', criterion: 'c1', annotator: 'x@example.com', score: 4 },
      { item: 'a', criterion: 'c1', annotator: '7', score: 2 },
      { item: 'b', criterion: 'k', annotator: '9', score: 'bad' },
    ]);
    expect(out.skipped).toBe(1);
    const broken = readCompleted('export.json', '[{"data":');
    expect(broken.labels).toEqual([]);
    expect(broken.diagnostics).toHaveLength(1);
    expect(broken.diagnostics[0]!.message).toMatch(/^not JSON: /);
    expect(broken.diagnostics[0]!.message).not.toContain(' in JSON');
  });

  it('a .json file that is not a list is read as CSV, and a CSV that does not parse says where', () => {
    const out = readCompleted('x.csv', 'item,criterion\n"a,b\n');
    expect(out.diagnostics).toHaveLength(1);
    expect(out.diagnostics[0]).toMatchObject({ file: 'x.csv', code: 'ratings/invalid' });
    expect(out.diagnostics[0]!.line).toBeGreaterThan(0);
  });
});

describe('merging and writing labels', () => {
  const l = (item: string, score: number | string, annotator = 'a', turn?: number): HumanLabel => ({ item, criterion: 'c1', annotator, score, ...(turn === undefined ? {} : { turn }) });

  it('adds new labels, counts unchanged ones, and never overwrites a different score silently', () => {
    const merged = mergeLabels([l('x', 1), l('y', 2), l('z', 3, 'a', 2)], [l('x', 1), l('y', 5), l('w', 4), l('y', 2, 'b'), l('z', 3, 'a', 4)]);
    expect(merged.added).toBe(3);
    expect(merged.unchanged).toBe(1);
    expect(merged.conflicts).toEqual([{ existing: l('y', 2), incoming: l('y', 5) }]);
    expect(merged.labels).toEqual([l('x', 1), l('y', 2), l('z', 3, 'a', 2), l('w', 4), l('y', 2, 'b'), l('z', 3, 'a', 4)]);
    const forced = mergeLabels([l('y', 2)], [l('y', 5)], true);
    expect(forced).toEqual({ labels: [l('y', 5)], added: 0, unchanged: 0, conflicts: [] });
  });

  it('writes CSV that the labels reader reads back exactly, hostile cells defused, and JSONL', () => {
    const labels: HumanLabel[] = [
      { item: '=cmd', criterion: 'r/c1', annotator: '@me', score: '-1', note: 'a "quoted", note\nover lines' },
      { item: 'plain', criterion: 'c1', turn: 2, annotator: "'already", score: 3 },
    ];
    const csv = serializeLabels('labels.csv', labels);
    expect(csv).toBe(`item,criterion,turn,annotator,score,note\n'=cmd,r/c1,,'@me,'-1,"a ""quoted"", note\nover lines"\nplain,c1,2,''already,3,\n`);
    const back = parseLabels('labels.csv', csv);
    expect(back.ok).toBe(true);
    expect(back.ok && back.value).toEqual([{ ...labels[0]!, score: -1 }, labels[1]]);
    expect(serializeLabels('labels.jsonl', labels)).toBe(`${JSON.stringify(labels[0])}\n${JSON.stringify(labels[1])}\n`);
    expect(serializeLabels('labels.jsonl', [])).toBe('');
    expect(serializeLabels('labels.csv', [])).toBe('item,criterion,turn,annotator,score,note\n');
  });
});

describe('review corners', () => {
  it('orders by priority across reasons, ties by unit key, with criteria listed out of id order', () => {
    // c2 is declared before c1, so each item's units come c2 first; spreads on c1, gaps on c2.
    const mixed = syntheticReport({ items: 3, criteria: ['c2', 'c1'], judges, score: (j, item, c) => (c === 'c2' ? 3 : j === 'j1' ? 1 : 1 + n(item)) });
    const labels: HumanLabel[] = [{ item: 'item-02', criterion: 'c2', annotator: 'a', score: 4.5 }, { item: 'item-00', criterion: 'c2', annotator: 'a', score: 5 }, { item: 'item-01', criterion: 'c2', annotator: 'a', score: 4.5 }];
    const units = selectForReview(mixed, labels, { top: 10, audit: 0 });
    expect(units.map((u) => [u.item, u.unit.criterion, u.priority])).toEqual([
      ['item-00', 'c2', 2], ['item-02', 'c1', 2], ['item-01', 'c2', 1.5], ['item-02', 'c2', 1.5], ['item-01', 'c1', 1],
    ]);
    // The two largest gaps only: item-00, then item-01 (before item-02 at the same gap).
    expect(selectForReview(mixed, labels, { top: 2, audit: 0 }).filter((u) => u.reasons.includes('judge_human_disagreement')).map((u) => u.item)).toEqual(['item-00', 'item-01']);
  });

  it('two turns of one item are two units, each reviewed on its own', () => {
    const turns = syntheticReport({ items: 1, turns: 2, criteria: ['c1'], judges, score: (j, _, __, turn) => (j === 'j1' ? 1 : turn === 2 ? 3 : 5) });
    expect(selectForReview(turns, [], { top: 5, audit: 0 }).map((u) => [u.unit.turn, u.priority])).toEqual([[4, 4], [2, 2]]);
  });

  it('an audit share above one takes every unit once', () => {
    const units = selectForReview(report, [], { top: 0, audit: 2, seed: 3 });
    expect(units).toHaveLength(12);
    expect(new Set(units.map((u) => `${u.item}/${u.unit.criterion}`)).size).toBe(12);
  });

  it('the audit sample is stratified in criterion order, whatever order the rubric lists them', () => {
    const shuffled = syntheticReport({ items: 30, criteria: ['c2', 'c1'], judges, score: () => 3 });
    const ordered = syntheticReport({ items: 30, criteria: ['c1', 'c2'], judges, score: () => 3 });
    const pick = (r: typeof ordered) => selectForReview(r, [], { top: 0, audit: 0.1, seed: 4 }).map((u) => `${u.item}/${u.unit.criterion}`);
    expect(pick(shuffled)).toEqual(pick(ordered));
  });

  it('export: the unit’s own criterion, every reason, and an assistant with an empty tool-call list speaks plainly', () => {
    const two: Rubric = { ...rubric, criteria: [rubric.criteria[0]!, { ...rubric.criteria[0]!, id: 'c2', question: 'Second?' }] };
    const unit = selectForReview(report, [{ item: 'item-05', criterion: 'c2', annotator: 'a', score: 5 }], { top: 20, audit: 0 }).find((u) => u.unit.criterion === 'c2')!;
    const [row] = reviewRows([{ ...unit, reasons: ['judge_disagreement', 'audit_sample'] }], new Map(), new Map([['r', two]]));
    expect(row).toMatchObject({ question: 'Second?', reasons: 'judge_disagreement audit_sample' });
    const plain: Transcript = { id: 'x', file: 't', messages: [{ role: 'assistant', content: 'Hello', tool_calls: [] }] };
    expect(plainTranscript(plain)).toBe('[1] assistant: Hello');
  });

  it('import: Label Studio tasks without results, without an annotator, or with a bad score', () => {
    const tasks = [
      { data: { item: 'a', criterion: 'c1' }, annotations: [{ completed_by: null, result: [{ value: { rating: 3 } }] }, { result: [] }, {}] },
      { data: { item: 'b', criterion: 'c1', scale: JSON.stringify(likert5) }, annotations: [{ result: [{ value: { rating: 9 } }] }] },
    ];
    const out = readCompleted('export.json', `  \n${JSON.stringify(tasks)}`, 'me');
    expect(out.labels).toStrictEqual([{ item: 'a', criterion: 'c1', annotator: 'me', score: 3 }]);
    expect(out.skipped).toBe(2);
    expect(out.diagnostics).toEqual([{ code: 'ratings/invalid', severity: 'error', file: 'export.json', line: 2, path: ['score'], message: 'score 9 for b on c1 is not on the scale', expected: '1, 2, 3, 4, 5' }]);
    expect(readCompleted('export.json', '[{', 'me').diagnostics).toEqual([{ code: 'ratings/invalid', severity: 'error', file: 'export.json', path: [], message: expect.stringMatching(/^not JSON: /) }]);
  });

  it('import: a row missing its item or criterion field altogether is an error, not a label', () => {
    const lines = [JSON.stringify({ criterion: 'c1', annotator: 'p', score: 2 }), JSON.stringify({ item: 'a', annotator: 'p', score: 2 })];
    const out = readCompleted('done.jsonl', lines.join('\n'));
    expect(out.labels).toEqual([]);
    expect(out.diagnostics.map((d) => [d.line, d.message])).toEqual([[1, 'the row has no item or criterion'], [2, 'the row has no item or criterion']]);
  });

  it('import: a Label Studio annotation that names no annotator takes --annotator', () => {
    const tasks = [{ data: { item: 'a', criterion: 'c1' }, annotations: [{ result: [{ value: { rating: 3 } }] }] }];
    expect(readCompleted('export.json', JSON.stringify(tasks), 'me').labels).toStrictEqual([{ item: 'a', criterion: 'c1', annotator: 'me', score: 3 }]);
  });

  it('import: the file type is the last extension: a .jsonl holding a list is JSON lines, a .jsonl.csv is CSV', () => {
    const tasks = [{ data: { item: 'a', criterion: 'c1' }, annotations: [{ completed_by: 1, result: [{ value: { rating: 3 } }] }] }];
    const asLines = readCompleted('done.jsonl', JSON.stringify(tasks), 'me');
    expect(asLines.labels).toEqual([]);
    expect(asLines.skipped).toBe(1);
    expect(readCompleted('done.jsonl.csv', 'item,criterion,annotator,score\na,c1,p,2\n').labels).toEqual([{ item: 'a', criterion: 'c1', annotator: 'p', score: '2' }]);
    const labels: HumanLabel[] = [{ item: 'a', criterion: 'c1', annotator: 'p', score: 2 }];
    expect(serializeLabels('labels.jsonl.csv', labels)).toBe('item,criterion,turn,annotator,score,note\na,c1,,p,2,\n');
  });

  it('import: an empty CSV is no labels; a short row leaves the missing cells empty; a CSV that does not parse is one diagnostic', () => {
    expect(readCompleted('done.csv', '')).toEqual({ labels: [], diagnostics: [], skipped: 0 });
    expect(readCompleted('done.csv', 'item,criterion,annotator,score,note,scale\na,c1,p,2\n').labels).toStrictEqual([{ item: 'a', criterion: 'c1', annotator: 'p', score: '2' }]);
    const broken = readCompleted('x.csv', 'item,criterion\n"a,b\n');
    expect(broken.labels).toEqual([]);
    expect(broken.diagnostics).toEqual([{ code: 'ratings/invalid', severity: 'error', file: 'x.csv', line: broken.diagnostics[0]!.line, path: [], message: broken.diagnostics[0]!.message }]);
    expect(broken.diagnostics[0]!.message).toMatch(/quote/);
  });

  it('import: a Label Studio file that is not JSON says what the parser said, without the position noise', () => {
    const message = readCompleted('export.json', '[{"data": x').diagnostics[0]!.message;
    expect(message).toMatch(/^not JSON: Unexpected token/);
    expect(message.length).toBeGreaterThan('not JSON: Unexpected token'.length);
  });

  it('import: only a .json file that holds a list is Label Studio; anything else is read as CSV', () => {
    expect(readCompleted('x.json', 'item,criterion,annotator,score\na,c1,p,2\n').labels).toEqual([{ item: 'a', criterion: 'c1', annotator: 'p', score: '2' }]);
    expect(readCompleted('x.json.csv', '[1]\n').labels).toEqual([]);
    expect(readCompleted('x.json.csv', '[1]\n').diagnostics).toEqual([]);
  });

  it('import: JSONL with blank-looking lines, null turns, padded annotators, and line numbers on later errors', () => {
    const lines = ['   ', JSON.stringify({ item: 'a', criterion: 'c1', annotator: '  p  ', score: 2, turn: null }), JSON.stringify({ item: 'b', criterion: 'c1', annotator: 'p', score: 8, scale: JSON.stringify(likert5) }), JSON.stringify({ item: 'c', criterion: 'c1', annotator: 'p', score: '   ' })];
    const out = readCompleted('done.jsonl', lines.join('\n'));
    expect(out.labels).toStrictEqual([{ item: 'a', criterion: 'c1', annotator: 'p', score: 2 }]);
    expect(out.skipped).toBe(1);
    expect(out.diagnostics).toEqual([{ code: 'ratings/invalid', severity: 'error', file: 'done.jsonl', line: 3, path: ['score'], message: 'score 8 for b on c1 is not on the scale', expected: '1, 2, 3, 4, 5' }]);
  });

  it('import: a padded CSV header, and labels that look like numbers on a categorical scale stay labels', () => {
    const digits = JSON.stringify({ type: 'categorical', labels: ['1', '2'] });
    const csv = ` item , criterion , annotator , score , scale\na,k,p,1,"${digits.replace(/"/g, '""')}"\n`;
    expect(readCompleted('done.csv', csv).labels).toStrictEqual([{ item: 'a', criterion: 'k', annotator: 'p', score: '1' }]);
    const broken = readCompleted('done.csv', 'item\n"open');
    expect(broken.diagnostics).toEqual([{ code: 'ratings/invalid', severity: 'error', file: 'done.csv', line: expect.any(Number), path: [], message: expect.any(String) }]);
    expect(broken.diagnostics[0]!.message.length).toBeGreaterThan(5);
  });
});

describe('review gap order', () => {
  it('the largest gaps first even when the report lists them last; equal gaps by unit key', () => {
    const flat = syntheticReport({ items: 4, criteria: ['c1'], judges, score: () => 3 });
    const labels: HumanLabel[] = [
      { item: 'item-00', criterion: 'c1', annotator: 'a', score: 4 }, // gap 1
      { item: 'item-01', criterion: 'c1', annotator: 'a', score: 5 }, // gap 2
      { item: 'item-02', criterion: 'c1', annotator: 'a', score: 1 }, // gap 2
      { item: 'item-03', criterion: 'c1', annotator: 'a', score: 3 }, // none
    ];
    const gaps = (top: number) => selectForReview(flat, labels, { top, audit: 0 }).map((u) => [u.item, u.priority]);
    expect(gaps(1)).toEqual([['item-01', 2]]);
    expect(gaps(2)).toEqual([['item-01', 2], ['item-02', 2]]);
    expect(gaps(9)).toEqual([['item-01', 2], ['item-02', 2], ['item-00', 1]]);
  });
});
