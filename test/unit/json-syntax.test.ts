import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxError } from '../../src/diagnostics/json-syntax.js';

const accepts = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('jsonSyntaxError', () => {
  it('agrees with JSON.parse on valid JSON and on mutations of it', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', ' x', '\n'), (json, at, insert) => {
        expect(jsonSyntaxError(json)).toBeUndefined();
        const cut = at % (json.length + 1);
        const mutated = json.slice(0, cut) + insert + json.slice(cut);
        expect(jsonSyntaxError(mutated) === undefined).toBe(accepts(mutated));
      }),
      { numRuns: 500 },
    );
  });

  it('points at the offending character with version-independent words', () => {
    expect(jsonSyntaxError('{"a": 1,}')).toEqual({ offset: 8, message: 'expected a double-quoted property name, found `}`' });
    expect(jsonSyntaxError('[1, 2,]')).toEqual({ offset: 6, message: 'a trailing comma is not allowed in JSON' });
    expect(jsonSyntaxError('{"a": "x\ny"}')).toMatchObject({ offset: 8, message: expect.stringContaining('control character') });
  });
});
