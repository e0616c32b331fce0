import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/format/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, rounds numbers and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: 2 / 3, c: [3, { z: 1, y: -0.00001 }] }, u: undefined }, { decimals: 4 })).toBe('{"a":{"c":[3,{"y":0,"z":1}],"d":0.6667},"b":1}');
  });

  it('refuses NaN rather than writing null silently', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(expect.objectContaining({ message: expect.stringMatching(/undefined statistics/) }));
  });
});
