import { describe, expect, it } from 'vitest';
import { extractJsonObject, extractVerdictObject, MAX_REPLY_CHARS, parseCombinedVerdict, parseVerdict } from '../../src/judges/parse-verdict.js';

// The edges of reading a verdict, each with the exact result: a reader that is lenient in the wrong place turns a
// judge's refusal into a score.
const likert = { type: 'likert' as const, min: 1, max: 5 };
const binary = { type: 'binary' as const };
const cats = { type: 'categorical' as const, labels: ['Good', 'bad'] };
const v = (o: Record<string, unknown>) => JSON.stringify({ reasoning: 'why', ...o });

describe('readVerdict', () => {
  it('reasoning must be text with something in it; it is kept trimmed', () => {
    expect(parseVerdict(v({ reasoning: '   ', score: 3 }), likert, 4)).toEqual({ ok: false, cause: 'unparseable', message: 'the verdict has no `reasoning` text' });
    expect(parseVerdict(v({ reasoning: 7, score: 3 }), likert, 4)).toEqual({ ok: false, cause: 'unparseable', message: 'the verdict has no `reasoning` text' });
    expect(parseVerdict(v({ reasoning: '  because  ', score: 3 }), likert, 4)).toEqual({ ok: true, score: 3, reasoning: 'because', citedTurns: [] });
  });

  it('a verdict without a score says so; one off the scale says what the scale is', () => {
    expect(parseVerdict(JSON.stringify({ reasoning: 'r' }), likert, 4)).toEqual({ ok: false, cause: 'unparseable', message: 'the verdict has no `score`' });
    expect(parseVerdict(JSON.stringify({ reasoning: 'r', score: null }), likert, 4)).toEqual({ ok: false, cause: 'off_scale', message: 'score null is not an integer from 1 to 5' });
    expect(parseVerdict(v({ score: 6 }), likert, 4)).toEqual({ ok: false, cause: 'off_scale', message: 'score 6 is not an integer from 1 to 5' });
    expect(parseVerdict(v({ score: 3.5 }), likert, 4)).toMatchObject({ ok: false, cause: 'off_scale' });
  });

  it('cited turns: integers within the conversation only, once each, ascending', () => {
    expect(parseVerdict(v({ score: 2, cited_turns: [4, 1, 0, 5, 2.5, '3', 4, -1, 'x'] }), likert, 4)).toEqual({ ok: true, score: 2, reasoning: 'why', citedTurns: [1, 3, 4] });
    expect(parseVerdict(v({ score: 2, cited_turns: [1, 2] }), likert, 1)).toMatchObject({ citedTurns: [1] });
    expect(parseVerdict(v({ score: 2, cited_turns: '1,2' }), likert, 4)).toMatchObject({ citedTurns: [] });
    expect(parseVerdict(v({ score: 2, cited_turns: [10, 2, 9] }), likert, 12)).toMatchObject({ citedTurns: [2, 9, 10] });
  });

  it('numbers given as text are read, trimmed; empty text is not zero', () => {
    expect(parseVerdict(v({ score: ' 4 ' }), likert, 4)).toMatchObject({ ok: true, score: 4 });
    expect(parseVerdict(v({ score: '' }), binary, 4)).toMatchObject({ ok: false, cause: 'off_scale' });
    expect(parseVerdict(v({ score: '  ' }), binary, 4)).toMatchObject({ ok: false, cause: 'off_scale' });
    expect(parseVerdict(v({ score: '0' }), binary, 4)).toMatchObject({ ok: true, score: 0 });
    expect(parseVerdict(v({ score: [1] }), likert, 4)).toMatchObject({ ok: false, cause: 'off_scale' });
  });

  it('true and false are 1 and 0 on a binary scale only', () => {
    expect(parseVerdict(v({ score: true }), binary, 4)).toMatchObject({ ok: true, score: 1 });
    expect(parseVerdict(v({ score: false }), binary, 4)).toMatchObject({ ok: true, score: 0 });
    expect(parseVerdict(v({ score: true }), { type: 'likert', min: 0, max: 1 }, 4)).toMatchObject({ ok: false, cause: 'off_scale' });
  });

  it('a label matches whatever its case and surrounding space, and is given as the scale writes it', () => {
    expect(parseVerdict(v({ score: '  good ' }), cats, 4)).toMatchObject({ ok: true, score: 'Good' });
    expect(parseVerdict(v({ score: 'BAD' }), cats, 4)).toMatchObject({ ok: true, score: 'bad' });
    expect(parseVerdict(v({ score: 1 }), cats, 4)).toEqual({ ok: false, cause: 'off_scale', message: 'score 1 is not one of the labels "Good", "bad"' });
  });
});

describe('extractVerdictObject', () => {
  it('takes the whole reply when it is one object, surrounding space included', () => {
    expect(extractVerdictObject('  \n{"score": 1}\n ', 'score')).toEqual({ ok: true, object: { score: 1 } });
    // Whole-reply JSON that is not an object is not a verdict.
    expect(extractVerdictObject('[{"score": 1}]', 'score')).toEqual({ ok: true, object: { score: 1 } });
    expect(extractVerdictObject('"{\\"score\\": 1}"', 'score')).toEqual({ ok: false, cause: 'unparseable', message: 'no JSON object with `score` in the reply' });
  });

  it('tracks strings inside objects: braces and escaped quotes in a string do not end the object', () => {
    const text = 'Verdict: {"reasoning": "the user said \\"{not this}\\" and }", "score": 4} done';
    expect(extractVerdictObject(text, 'score')).toEqual({ ok: true, object: { reasoning: 'the user said "{not this}" and }', score: 4 } });
  });

  it('an escaped quote does not end a string: a brace after it is text', () => {
    expect(extractVerdictObject('x {"reasoning": "say \\" } ok", "score": 2}', 'score')).toEqual({ ok: true, object: { reasoning: 'say " } ok', score: 2 } });
    expect(extractVerdictObject('x {} {"score": 1}', 'score')).toEqual({ ok: true, object: { score: 1 } });
  });

  it('quotes in prose mean nothing; nested objects stay inside their parent', () => {
    const text = 'He said "hi {" then {"score": 2, "meta": {"a": {"b": 1}}} and "bye"';
    expect(extractVerdictObject(text, 'score')).toEqual({ ok: true, object: { score: 2, meta: { a: { b: 1 } } } });
  });

  it('finds each top-level object: the one with the key, after others, after a span that does not parse', () => {
    expect(extractVerdictObject('{"a": 1} {not json} {"score": 3}', 'score')).toEqual({ ok: true, object: { score: 3 } });
    expect(extractVerdictObject('{"score": 3} and {"score": 4}', 'score')).toEqual({ ok: false, cause: 'ambiguous', message: 'the reply holds 2 JSON objects with `score`; which one is the verdict cannot be told' });
    expect(extractVerdictObject('nothing here', 'score')).toEqual({ ok: false, cause: 'unparseable', message: 'no JSON object with `score` in the reply' });
    expect(extractVerdictObject('{"x": 1}', 'score')).toEqual({ ok: true, object: { x: 1 } });
  });

  it('steps past several unclosed braces, up to its limit of restarts', () => {
    const after = (k: number) => `${'{ '.repeat(k)}{"score": 5}`;
    expect(extractVerdictObject(after(3), 'score')).toEqual({ ok: true, object: { score: 5 } });
    expect(extractVerdictObject(after(8), 'score')).toEqual({ ok: true, object: { score: 5 } });
    expect(extractVerdictObject(after(9), 'score')).toMatchObject({ ok: false, cause: 'unparseable' });
  });

  it('a reply exactly at the size limit is read; one character more is refused with its length', () => {
    const pad = (k: number) => `{"score": 1}${' '.repeat(k - 12)}`;
    expect(extractVerdictObject(pad(MAX_REPLY_CHARS), 'score')).toEqual({ ok: true, object: { score: 1 } });
    expect(extractVerdictObject(pad(MAX_REPLY_CHARS + 1), 'score')).toEqual({ ok: false, cause: 'unparseable', message: `the reply is ${MAX_REPLY_CHARS + 1} characters long; a verdict is never more than ${MAX_REPLY_CHARS}` });
    expect(extractJsonObject(pad(MAX_REPLY_CHARS))).toEqual({ score: 1 });
    expect(extractJsonObject(pad(MAX_REPLY_CHARS + 1))).toBeUndefined();
  });
});

describe('extractVerdictObject: where the scan starts again', () => {
  it('a reply that is one padded JSON object is that object, with or without the key', () => {
    expect(extractVerdictObject('  {"x": 1}\n', 'score')).toEqual({ ok: true, object: { x: 1 } });
    expect(parseVerdict('  {"reasoning": "r"}  ', likert, 3)).toEqual({ ok: false, cause: 'unparseable', message: 'the verdict has no `score`' });
  });

  it('a verdict followed by a brace that never closes is found once, not twice', () => {
    expect(extractVerdictObject(`${v({ score: 3 })} and then { never closed`, 'score')).toEqual({ ok: true, object: { reasoning: 'why', score: 3 } });
  });

  it('a verdict inside a brace that never closes, second character of the reply, is still found', () => {
    expect(extractVerdictObject(` { ${v({ score: 3 })}`, 'score')).toEqual({ ok: true, object: { reasoning: 'why', score: 3 } });
  });
});

describe('extractJsonObject', () => {
  it('the whole text, else the first object in it that parses, else nothing', () => {
    expect(extractJsonObject(' {"a": 1} ')).toEqual({ a: 1 });
    expect(extractJsonObject('x {"a": 1} {"b": 2}')).toEqual({ a: 1 });
    expect(extractJsonObject('x {"a": } {"b": 2}')).toEqual({ b: 2 });
    expect(extractJsonObject('[1, 2]')).toBeUndefined();
    expect(extractJsonObject('null')).toBeUndefined();
    expect(extractJsonObject('')).toBeUndefined();
  });
});

describe('parseCombinedVerdict', () => {
  const criteria = [{ id: 'a', scale: likert }, { id: 'b', scale: cats }, { id: 'c', scale: likert }, { id: 'd', scale: likert }];
  it('each criterion read on its own scale; a missing or non-object one is unparseable by name', () => {
    const text = JSON.stringify({ verdicts: { a: { reasoning: 'r', score: 2 }, b: { reasoning: 'r', score: 'nope' }, c: [1], d: null } });
    const out = parseCombinedVerdict(text, criteria, 3);
    expect(out.get('a')).toEqual({ ok: true, score: 2, reasoning: 'r', citedTurns: [] });
    expect(out.get('b')).toMatchObject({ ok: false, cause: 'off_scale' });
    expect(out.get('c')).toEqual({ ok: false, cause: 'unparseable', message: 'no verdict for criterion `c`' });
    expect(out.get('d')).toEqual({ ok: false, cause: 'unparseable', message: 'no verdict for criterion `d`' });
  });

  it('verdicts null, or a criterion’s verdict a number, are unparseable by name', () => {
    expect(parseCombinedVerdict(JSON.stringify({ verdicts: null }), criteria.slice(0, 1), 3).get('a')).toEqual({ ok: false, cause: 'unparseable', message: 'no verdict for criterion `a`' });
    expect(parseCombinedVerdict(JSON.stringify({ verdicts: { a: 5 } }), criteria.slice(0, 1), 3).get('a')).toEqual({ ok: false, cause: 'unparseable', message: 'no verdict for criterion `a`' });
  });

  it('verdicts that are not an object, or no reply object at all, fail every criterion the same way', () => {
    const list = parseCombinedVerdict(JSON.stringify({ verdicts: [{ reasoning: 'r', score: 1 }] }), criteria.slice(0, 1), 3);
    expect(list.get('a')).toEqual({ ok: false, cause: 'unparseable', message: 'no verdict for criterion `a`' });
    const text = parseCombinedVerdict(JSON.stringify({ verdicts: 'all fine' }), criteria.slice(0, 1), 3);
    expect(text.get('a')).toEqual({ ok: false, cause: 'unparseable', message: 'no verdict for criterion `a`' });
    const none = parseCombinedVerdict('I cannot judge this.', criteria.slice(0, 2), 3);
    expect([...none.values()]).toEqual([
      { ok: false, cause: 'unparseable', message: 'no JSON object with `verdicts` in the reply' },
      { ok: false, cause: 'unparseable', message: 'no JSON object with `verdicts` in the reply' },
    ]);
  });
});
