import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/cli.js';

// The flow, top to bottom: a module imports only from its own folder or from folders above it.
const LAYERS = ['diagnostics', 'format', 'stats', 'ratings', 'config', 'rubric', 'transcript', 'plan', 'judges', 'journal', 'engine', 'aggregate', 'report', 'diff', 'gate', 'labels', 'annotators', 'calibrate', 'review', 'importers', 'simulate', 'render', 'api', 'api.ts', 'cli'];
const PURE = ['plan', 'aggregate', 'render', 'format', 'stats', 'ratings', 'diff', 'gate', 'labels', 'annotators', 'calibrate', 'review', 'importers'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const SRC = path.join(ROOT, 'src');
const layerOf = (file: string) => LAYERS.indexOf(path.relative(SRC, file).split(path.sep)[0]!);

describe('architecture', () => {
  const sources = files(SRC);

  it('imports only from the same layer or layers above it', () => {
    const backward: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
        const target = path.resolve(path.dirname(file), match[1]!.replace(/\.js$/, '.ts'));
        if (layerOf(target) > layerOf(file)) backward.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
      }
    }
    expect(backward).toEqual([]);
  });

  it('keeps the pure layers free of fs, network, clocks, randomness and the environment', () => {
    const impure: string[] = [];
    for (const file of sources.filter((f) => PURE.includes(path.relative(SRC, f).split(path.sep)[0]!))) {
      const text = readFileSync(file, 'utf8');
      if (/node:fs|node:http|process\.env|Date\.now|Math\.random|console\./.test(text)) impure.push(path.relative(SRC, file));
    }
    expect(impure).toEqual([]);
  });

  it('keeps every source file under 400 lines', () => {
    const long = sources.filter((f) => readFileSync(f, 'utf8').split('\n').length > 400).map((f) => path.relative(SRC, f));
    expect(long).toEqual([]);
  });
});

describe('test hygiene', () => {
  it('no test matches a thrown error by message text alone: `throw undefined` passes such a check (vitest #7260)', () => {
    // .toThrow('text') and .toThrow(/re/) accept a thrown undefined; .toThrow(new Error('text')) and
    // .toThrow(expect.objectContaining({ message })) do not. Found when a mutant made a function throw undefined.
    const tests = files(path.join(ROOT, 'test'));
    expect(tests.length).toBeGreaterThan(50);
    const loose = tests.flatMap((file) =>
      readFileSync(file, 'utf8').split('\n').flatMap((line, i) => (!line.trim().startsWith('//') && /\.toThrow(Error)?\(\s*['"`/]/.test(line) ? [`${path.relative(ROOT, file)}:${i + 1}`] : [])),
    );
    expect(loose).toEqual([]);
  });
});
