import { describe, expect, it } from 'vitest';
import { importVerdicts } from '../../src/importers/verdicts.js';
import { forEachJsonLine } from '../../src/ratings/jsonl.js';
import type { Rubric } from '../../src/rubric/rubric.js';
import { parseRatings } from '../../src/ratings/parse.js';
import { parseVotes } from '../../src/ratings/votes.js';

describe('JSON Lines', () => {
  it('hands over objects with their line numbers and says which lines are not objects', () => {
    const seen: [number, unknown][] = [];
    const problems: [number, string][] = [];
    forEachJsonLine('{"a":1}\n\n  \n[1]\nnull\n5\n{"b":\n{"c":2}\n', (value, line) => seen.push([line, value]), (line, message) => problems.push([line, message]));
    expect(seen).toEqual([[1, { a: 1 }], [8, { c: 2 }]]);
    expect(problems.map(([line]) => line)).toEqual([4, 5, 6, 7]);
    expect(problems[0]![1]).toBe('not a JSON object');
    expect(problems[3]![1]).toMatch(/^invalid JSON: /);
  });

  it('a null line in a ratings or votes file is a clear error, not a crash', () => {
    const ratings = parseRatings('r.jsonl', '{"item":"a","rater":"x","score":1}\nnull\n', 'ordinal');
    expect(ratings).toMatchObject({ ok: false, diagnostics: [{ line: 2, message: 'not a JSON object', expected: 'one object per line' }] });
    const votes = parseVotes('v.jsonl', '{"a":"x","b":"y","winner":"x"}\nnull\n');
    expect(votes).toMatchObject({ ok: false, diagnostics: [{ line: 2, message: 'not a JSON object' }] });
    const rubric: Rubric = { id: 'r', version: '1', title: 'R', scope: 'conversation', mode: 'per_criterion', file: 'r.yaml', criteria: [{ id: 'c', question: 'q', scale: { type: 'binary' }, anchors: { 0: 'no', 1: 'yes' }, weight: 1, examples: [] }] };
    const verdicts = importVerdicts('j.jsonl', '{"item":"a","criterion":"c","judge":"j","score":1}\nnull\n{"item":\n', [rubric]);
    expect(verdicts).toMatchObject({ diagnostics: [{ line: 2, message: 'not a JSON object' }, { line: 3, message: expect.stringMatching(/^invalid JSON/) }] });
  });
});
