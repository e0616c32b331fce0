import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/cli.js';

const REPORT = path.join(ROOT, 'reports/tempo-v1/report.json');

describe('jury bias', () => {
  it('audits every criterion of a shipped report, in JSON with the documented keys', async () => {
    const result = await runCli(['bias', REPORT, '--format', 'json', '--resamples', '200'], { cwd: ROOT });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const audit = JSON.parse(result.stdout) as { version: number; seed: number; resamples: number; criteria: { rubric: string; criterion: string; judges: { judge: string; leniency?: { value: number | null } }[] }[] };
    expect(audit).toMatchObject({ version: 1, seed: 1, resamples: 200 });
    expect(audit.criteria.length).toBeGreaterThan(3);
    expect(audit.criteria[0]!.judges.map((j) => j.judge)).toEqual(['claude', 'gpt', 'qwen-local']);
  });

  it('--criteria picks criteria; an unknown one is refused with the known ones, exit 2', async () => {
    const picked = await runCli(['bias', REPORT, '--criteria', 'coherence', '--resamples', '100'], { cwd: ROOT });
    expect(picked.code).toBe(0);
    expect(picked.stdout).toContain('conversational-quality/coherence');
    expect(picked.stdout).not.toContain('conversational-quality/tone');
    expect(picked.stdout).toContain('Position and length bias need pairwise runs (jury run --pairwise).');
    const unknown = await runCli(['bias', REPORT, '--criteria', 'cohérence'], { cwd: ROOT });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--criteria: cohérence is not a criterion of the report');
    expect(unknown.stderr).toContain('conversational-quality/coherence');
  });
});
