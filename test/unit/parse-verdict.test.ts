import { describe, expect, it } from 'vitest';
import { MAX_REPLY_CHARS, parseCombinedVerdict, parseVerdict } from '../../src/judges/parse-verdict.js';
import type { Scale } from '../../src/rubric/rubric.js';

const likert = { type: 'likert', min: 1, max: 5 } as const;
const categorical: Scale = { type: 'categorical', labels: ['accepted', 'abandoned'] };

describe('parseVerdict', () => {
  it('reads a strict JSON verdict', () => {
    expect(parseVerdict('{"reasoning":"fits","score":4,"cited_turns":[3,7]}', likert, 10)).toEqual({ ok: true, score: 4, reasoning: 'fits', citedTurns: [3, 7] });
  });

  it('finds the object inside a code fence and prose, as servers without structured output reply', () => {
    const text = 'Sure! Here is my verdict:\n```json\n{"reasoning": "the {tool} result was used", "score": "5", "cited_turns": [2]}\n```\nHope that helps.';
    expect(parseVerdict(text, likert, 4)).toEqual({ ok: true, score: 5, reasoning: 'the {tool} result was used', citedTurns: [2] });
  });

  it('fails an off-scale score instead of clamping it', () => {
    expect(parseVerdict('{"reasoning":"great","score":7,"cited_turns":[]}', likert, 3)).toMatchObject({ ok: false, cause: 'off_scale' });
    expect(parseVerdict('{"reasoning":"great","score":3.5,"cited_turns":[]}', likert, 3)).toMatchObject({ ok: false, cause: 'off_scale' });
  });

  it('fails text with no JSON object, or an object without reasoning', () => {
    expect(parseVerdict('I would give it a 4.', likert, 3)).toMatchObject({ ok: false, cause: 'unparseable' });
    expect(parseVerdict('{"score":4}', likert, 3)).toMatchObject({ ok: false, cause: 'unparseable' });
  });

  it('matches categorical labels case-insensitively and rejects unknown ones', () => {
    expect(parseVerdict('{"reasoning":"r","score":"Accepted","cited_turns":[]}', categorical, 3)).toMatchObject({ ok: true, score: 'accepted' });
    expect(parseVerdict('{"reasoning":"r","score":"maybe","cited_turns":[]}', categorical, 3)).toMatchObject({ ok: false, cause: 'off_scale' });
  });

  it('drops citations of turns outside the conversation', () => {
    expect(parseVerdict('{"reasoning":"r","score":2,"cited_turns":[0,2,2,9,"x"]}', likert, 5)).toMatchObject({ ok: true, citedTurns: [2] });
  });
});

describe('parseVerdict: one verdict per reply', () => {
  it('takes none when a reply quotes an object with a score before its own (ambiguous)', () => {
    const text = 'The transcript contains {"score": 5} typed by the user. My verdict: {"reasoning":"weak","score":2,"cited_turns":[]}';
    expect(parseVerdict(text, likert, 3)).toEqual({ ok: false, cause: 'ambiguous', message: 'the reply holds 2 JSON objects with `score`; which one is the verdict cannot be told' });
  });

  it('is not confused by an object without a score, or by a score quoted inside the verdict', () => {
    const text = 'Tool result {"tracks": 3}. {"reasoning":"the user wrote {\\"score\\": 5}","score":2,"cited_turns":[1]}';
    expect(parseVerdict(text, likert, 3)).toEqual({ ok: true, score: 2, reasoning: 'the user wrote {"score": 5}', citedTurns: [1] });
  });

  it('steps past an unclosed brace in prose', () => {
    expect(parseVerdict('Consider { the tempo. {"reasoning":"ok","score":4,"cited_turns":[]}', likert, 3)).toMatchObject({ ok: true, score: 4 });
  });

  it('reads a reply of 200,000 braces in one pass (it used to block the event loop for seconds)', () => {
    const text = `${'{'.repeat(100_000)}${'}'.repeat(100_000)} {"reasoning":"r","score":3,"cited_turns":[]}`;
    expect(parseVerdict(text, likert, 3)).toMatchObject({ ok: true, score: 3 });
    expect(parseVerdict('{'.repeat(200_000), likert, 3)).toMatchObject({ ok: false, cause: 'unparseable' });
  });

  it('refuses a reply longer than any verdict instead of reading it', () => {
    expect(MAX_REPLY_CHARS).toBe(1_000_000);
    const padded = (n: number) => `{"reasoning":"${'x'.repeat(n)}","score":3,"cited_turns":[]}`;
    const overhead = padded(0).length;
    expect(parseVerdict(padded(MAX_REPLY_CHARS - overhead), likert, 3)).toMatchObject({ ok: true, score: 3 });
    expect(parseVerdict(padded(MAX_REPLY_CHARS - overhead + 1), likert, 3)).toMatchObject({ ok: false, cause: 'unparseable', message: expect.stringContaining('a verdict is never more than 1000000') });
  });

  it('a combined reply with two verdict sets is ambiguous for every criterion', () => {
    const one = '{"verdicts":{"a":{"reasoning":"r","score":3,"cited_turns":[]}}}';
    const result = parseCombinedVerdict(`${one} and again ${one}`, [{ id: 'a', scale: likert }], 3);
    expect(result.get('a')).toMatchObject({ ok: false, cause: 'ambiguous' });
    expect(parseCombinedVerdict(`Here: ${one}`, [{ id: 'a', scale: likert }], 3).get('a')).toMatchObject({ ok: true, score: 3 });
  });
});
