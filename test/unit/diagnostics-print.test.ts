import { describe, expect, it } from 'vitest';
import { FRAME_WIDTH, MAX_PER_FILE, formatDiagnostics, frameWindow } from '../../src/cli/print/diagnostics.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';

describe('code frames of long lines', () => {
  it('keep a short line whole', () => {
    expect(frameWindow('{"id": 1}', 3)).toEqual({ text: '{"id": 1}', column: 3 });
    const exact = 'y'.repeat(FRAME_WIDTH);
    expect(frameWindow(exact, 7)).toEqual({ text: exact, column: 7 });
  });

  it('show at most 200 characters around the column, marking the cuts, with the caret on the same character', () => {
    expect(FRAME_WIDTH).toBe(200);
    const line = `${'a'.repeat(5000)}X${'b'.repeat(5000)}`;
    const frame = frameWindow(line, 5001);
    expect(frame.text.length).toBe(FRAME_WIDTH + 2);
    expect(frame.text.startsWith('…') && frame.text.endsWith('…')).toBe(true);
    expect(frame.text[frame.column - 1]).toBe('X');
    const head = frameWindow(line, 1);
    expect(head.text.startsWith('aaa') && head.text.endsWith('…')).toBe(true);
    expect(head.column).toBe(1);
    const tail = frameWindow(line, line.length);
    expect(tail.text.startsWith('…') && tail.text.endsWith('b')).toBe(true);
    expect(tail.text[tail.column - 1]).toBe('b');
  });
});

describe('many problems in one file', () => {
  const problem = (file: string, line: number): Diagnostic => ({ code: 'transcript/unknown-key', severity: 'error', file, line, column: 2, path: ['x'], message: `unknown key on line ${line}`, source: 'x'.repeat(10_000) });

  it('prints the first 20 of a file, then counts the rest; other files are not affected', () => {
    expect(MAX_PER_FILE).toBe(20);
    const all = [...Array.from({ length: 25 }, (_, i) => problem('a.jsonl', i + 1)), problem('b.jsonl', 1)];
    const text = formatDiagnostics(all, '/');
    expect(text).toContain('unknown key on line 20');
    expect(text).not.toContain('unknown key on line 21');
    expect(text).toContain('a.jsonl: 5 more problems not shown (the first 20 are above)');
    expect(text).toContain('b.jsonl:1:2  transcript/unknown-key');
    expect(text.trim().endsWith('26 errors found')).toBe(true);
    // Each frame is windowed: 21 frames of 10,000-character lines stay small.
    expect(text.length).toBeLessThan(21 * 400);
  });

  it('does not print a count line when every problem fits', () => {
    const text = formatDiagnostics(Array.from({ length: 20 }, (_, i) => problem('a.jsonl', i + 1)), '/');
    expect(text).not.toContain('more problem');
  });
});
