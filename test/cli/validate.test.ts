import { describe, expect, it } from 'vitest';
import { runCli, workspace } from '../support/cli.js';

describe('jury validate', () => {
  it('accepts the shipped example and states the plan without calling a model', async () => {
    const result = await runCli(['validate'], { cwd: workspace() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok: 30 transcripts \(30 openai-chat\), 3 rubrics \(12 criteria\), 3 judges/);
    expect(result.stdout).toMatch(/plan: \d+ units to score, \d+ verdicts to ask for/);
  });

  it('exits 2 on a usage error, with a suggestion', async () => {
    const result = await runCli(['valdate'], { cwd: workspace() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Did you mean validate\?/);
  });
});
