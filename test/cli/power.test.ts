import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, workspace } from '../support/cli.js';

let dir: string;
const v1 = 'reports/tempo-v1/report.json';
const v2 = 'reports/tempo-v2/report.json';

beforeAll(async () => {
  dir = workspace();
  expect((await runCli(['run', '--mock'], { cwd: dir })).code).toBe(0);
  expect((await runCli(['run', '--mock', '--dataset', 'datasets/music-recs/v2.jsonl', '--label', 'tempo-v2'], { cwd: dir })).code).toBe(0);
});

describe('jury power', () => {
  it('per numeric criterion: the smallest drop seen 80% of the time, and the items a chosen drop needs', async () => {
    const result = await runCli(['power', v2, '--effect', '0.3', '--simulations', '200', '--format', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const power = JSON.parse(result.stdout);
    expect(power).toMatchObject({ version: 1, label: 'tempo-v2', significance: 0.05, power: 0.8, simulations: 200, seed: 1 });
    // Every numeric criterion of the shipped rubrics (the categorical `outcome` has no mean to drop).
    expect(power.criteria.map((c: any) => c.criterion)).not.toContain('outcome');
    expect(power.family).toBe(power.criteria.length);
    for (const c of power.criteria) {
      expect(c).toMatchObject({ items: 30, noise: 'judges', alpha: 0.05 / power.family, needed: { effect: 0.3 } });
      expect(c.detectable.effect === null ? c.detectable.reason : c.detectable.power).toBeTruthy();
      if (c.detectable.effect !== null) expect(c.detectable.power).toBeGreaterThanOrEqual(0.8);
    }
    const table = await runCli(['power', v2, '--criteria', 'context_retention', 'efficiency', '--simulations', '200'], { cwd: dir });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/criterion +items +smallest drop seen 80% of the time/);
    expect(table.stdout).toMatch(/music-recommendation\/context_retention +30 +[\d.<]/);
    expect(table.stdout).toContain('at 0.05 / 11 = 0.0045');
    expect(table.stdout.split('\n').filter((l) => l.startsWith('music-recommendation/'))).toHaveLength(2);
  });

  it('with a baseline the noise is the two runs\' paired differences; --primary sets the family', async () => {
    const result = await runCli(['power', v2, '--baseline', v1, '--primary', 'efficiency', '--simulations', '200', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    const power = JSON.parse(result.stdout);
    expect(power).toMatchObject({ baseline_label: 'tempo-v1', family: 1 });
    expect(power.criteria).toHaveLength(1);
    expect(power.criteria[0]).toMatchObject({ criterion: 'efficiency', noise: 'paired differences', alpha: 0.05 });
  });

  it('refuses what it cannot answer, with exit 2 and no stack trace', async () => {
    const unknown = await runCli(['power', v2, '--criteria', 'no_such'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--criteria: no_such is not a numeric criterion of the report');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    const categorical = await runCli(['power', v2, '--criteria', 'outcome'], { cwd: dir });
    expect(categorical.code).toBe(2);
    const tooFew = await runCli(['power', v2, '--simulations', '10'], { cwd: dir });
    expect(tooFew.code).toBe(2);
    expect((await runCli(['power', 'jury.yaml'], { cwd: dir })).code).toBe(2);
  });
});

describe('gate and diff with primary criteria', () => {
  it('the config\'s gates.primary makes a family of its own, and a pass says what it could have caught', async () => {
    const config = `${readFileSync(path.join(dir, 'jury.yaml'), 'utf8')}\ngates:\n  max_regression: 0\n  primary: [music-recommendation/efficiency, intent_understanding]\n`;
    writeFileSync(path.join(dir, 'primary.yaml'), config);
    const gate = await runCli(['gate', v2, '-c', 'primary.yaml', '--baseline', v1, '--allow-simulated'], { cwd: dir });
    expect(gate.code).toBe(1);
    expect(gate.stdout).toMatch(/music-recommendation\/efficiency: no significant change: .* in the primary family\)/);
    expect(gate.stdout).toMatch(/music-recommendation\/context_retention: regressed: .* in the secondary family\)/);
    expect(gate.stdout).toMatch(/efficiency: no significant change: .*; these items would catch a drop of [\d.]+ or more 80% of the time/);
    const diff = await runCli(['diff', v1, v2, '--primary', 'efficiency', '--format', 'json'], { cwd: dir });
    const parsed = JSON.parse(diff.stdout);
    expect(parsed.primary).toEqual(['efficiency']);
    expect(parsed.criteria.find((c: any) => c.criterion === 'efficiency').family).toBe('primary');
    const bad = `${readFileSync(path.join(dir, 'jury.yaml'), 'utf8')}\ngates:\n  max_regression: 0\n  primary: []\n`;
    writeFileSync(path.join(dir, 'bad-primary.yaml'), bad);
    const refused = await runCli(['gate', v2, '-c', 'bad-primary.yaml', '--baseline', v1], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('primary');
  });
});
