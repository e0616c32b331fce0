import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/bad');

describe('bad input: one fixture per problem, each with the lines its error must show', () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    it(`reports ${name} with file, line and field, exit 2, no stack trace`, async () => {
      const dir = path.join(FIXTURES, name);
      const expected = readFileSync(path.join(dir, 'expected.txt'), 'utf8').trim().split('\n');
      const result = await runCli(['validate'], { cwd: dir });
      expect(result.code, result.stderr).toBe(2);
      for (const line of expected) expect(result.stderr).toContain(line);
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(result.stdout).toBe('');
    });
  }

  it('names a missing config file with a hint', async () => {
    const result = await runCli(['validate', '--config', 'nope.yaml'], { cwd: FIXTURES });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nope.yaml  config/not-found');
    expect(result.stderr).toContain('pass --config <file>');
  });
});
