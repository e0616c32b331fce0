import { describe, expect, it } from 'vitest';
import { parseVerdict } from '../../src/judges/parse-verdict.js';
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
