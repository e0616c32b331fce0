import { describe, expect, it } from 'vitest';
import { KEY_FRAGMENT, redact } from '../../src/engine/redact.js';

const KEY = 'planted-openai-key-0123456789';

describe('redact', () => {
  it('scrubs every occurrence of the whole key', () => {
    expect(redact(`a ${KEY} b ${KEY} c`, [KEY])).toBe('a [redacted] b [redacted] c');
  });

  it('scrubs a run of 8 or more characters of a key wherever it appears (a 401 that echoes part of it)', () => {
    expect(KEY_FRAGMENT).toBe(8);
    const echoed = `Incorrect API key provided: ${KEY.slice(8, 20)}****. You can find your key at …`;
    expect(redact(echoed, [KEY])).toBe('Incorrect API key provided: [redacted]****. You can find your key at …');
    // Exactly 8 characters of the key are a fragment; 7 are not.
    expect(redact(`x${KEY.slice(3, 11)}y`, [KEY])).toBe('x[redacted]y');
    expect(redact(`x${KEY.slice(3, 10)}y`, [KEY])).toBe(`x${KEY.slice(3, 10)}y`);
    // The tail of a key, and two fragments far apart, each go.
    expect(redact(`${KEY.slice(-9)} and ${KEY.slice(0, 9)}`, [KEY])).toBe('[redacted] and [redacted]');
  });

  it('scrubs every configured key, not only the first', () => {
    const other = 'second-secret-value-abcdef';
    expect(redact(`${KEY.slice(2, 14)} / ${other.slice(5, 17)}`, [KEY, other])).toBe('[redacted] / [redacted]');
  });

  it('scrubs key-shaped strings it was never given', () => {
    expect(redact('leaked sk-abcdefgh123 and sk-ant-api03-xyzxyzxyz', [])).toBe('leaked [redacted] and [redacted]');
  });

  it('leaves text without any fragment alone', () => {
    const text = 'The listener asked for calm jazz; the assistant found three tracks.';
    expect(redact(text, [KEY])).toBe(text);
  });

  it('a key of 6 or 7 characters is scrubbed whole, every time; a shorter one is not a secret worth a word', () => {
    expect(redact('abc123 and abc123', ['abc123'])).toBe('[redacted] and [redacted]');
    expect(redact('pass7ch pass7c', ['pass7ch'])).toBe('[redacted] pass7c');
    expect(redact('the cat sat', ['cat'])).toBe('the cat sat');
    expect(redact('hello world', ['hello'])).toBe('hello world');
  });

  it('a fragment run at the very start or end of the text, and text shorter than a fragment, are handled', () => {
    expect(redact(KEY.slice(0, 8), [KEY])).toBe('[redacted]');
    expect(redact(`${KEY.slice(0, 8)}!`, [KEY])).toBe('[redacted]!');
    expect(redact(`!${KEY.slice(-8)}`, [KEY])).toBe('![redacted]');
    expect(redact(KEY.slice(0, 7), [KEY])).toBe(KEY.slice(0, 7));
    expect(redact('', [KEY])).toBe('');
  });

  it('overlapping and touching fragments become one [redacted]; separate ones stay separate', () => {
    // KEY[0..12) and KEY[4..16): one stretch.
    expect(redact(`<${KEY.slice(0, 16)}>`, [KEY])).toBe('<[redacted]>');
    // Two different fragments with one ordinary character between them.
    expect(redact(`${KEY.slice(0, 8)}|${KEY.slice(10, 18)}`, [KEY])).toBe('[redacted]|[redacted]');
    // A fragment, ordinary text, the same fragment again.
    expect(redact(`${KEY.slice(5, 13)} ok ${KEY.slice(5, 13)} ok`, [KEY])).toBe('[redacted] ok [redacted] ok');
  });

  it('key shapes: sk- and sk-ant- followed by six or more key characters, as whole words', () => {
    expect(redact('sk-abcdef', [])).toBe('[redacted]');
    expect(redact('sk-abcde', [])).toBe('sk-abcde');
    expect(redact('sk-ant-abc_de-f more', [])).toBe('[redacted] more');
    expect(redact('task-abcdefgh', [])).toBe('task-abcdefgh');
  });

  it('a key of exactly eight characters is scrubbed; the tail of a key shorter than a fragment is not', () => {
    expect(redact('token abcd1234 here', ['abcd1234'])).toBe('token [redacted] here');
    expect(redact(`ends with ${KEY.slice(-5)}`, [KEY])).toBe(`ends with ${KEY.slice(-5)}`);
    expect(redact(`${KEY.slice(-7)}`, [KEY])).toBe(KEY.slice(-7));
  });

  it('an eight-character key repeated with overlap is scrubbed as one stretch, as any longer key would be', () => {
    // "abababab" occurs at 0 and 2 of "ababababab": a plain replace would leave "ab" behind, a part of the key.
    expect(redact('x ababababab y', ['abababab'])).toBe('x [redacted] y');
  });

  it('two fragments that touch end to start are one stretch', () => {
    expect(redact(`<${KEY.slice(0, 8)}${KEY.slice(20, 28)}>`, [KEY])).toBe('<[redacted]>');
  });
});
