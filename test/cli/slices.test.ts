import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, workspace } from '../support/cli.js';

// The shipped example: agent v2 changed four kinds of conversation (metadata.change); v1 and v2 judged by the mock.
let dir: string;
beforeAll(async () => {
  dir = workspace();
  expect((await runCli(['run', '--mock'], { cwd: dir })).code).toBe(0);
  expect((await runCli(['run', '--mock', '--dataset', 'datasets/music-recs/v2.jsonl', '--label', 'tempo-v2'], { cwd: dir })).code).toBe(0);
});

const V1 = 'reports/tempo-v1/report.json';
const V2 = 'reports/tempo-v2/report.json';

describe('slices by metadata', () => {
  it('report.json carries each item’s metadata; run --by prints the summary per slice', async () => {
    const report = JSON.parse(readFileSync(path.join(dir, V2), 'utf8')) as { items: { id: string; metadata?: Record<string, unknown> }[] };
    expect(report.items.find((i) => i.id === 'study-focus')!.metadata).toMatchObject({ change: expect.any(String), version: 'v2' });
    const run = await runCli(['run', '--mock', '--dataset', 'datasets/music-recs/v2.jsonl', '--label', 'again', '--by', 'metadata.change'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('by metadata.change (4 slices; items in parentheses)');
    expect(run.stdout).toMatch(/^forgets_constraint \(8\) +music-recommendation\/constraint_relevance +\d\.\d\d +\d\.\d\d–\d\.\d\d/m);
  });

  it('diff --by compares within each slice, Holm-corrected per key, in the table and in Markdown', async () => {
    const table = await runCli(['diff', V1, V2, '--by', 'change'], { cwd: dir });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('By metadata.change:');
    expect(table.stdout).toMatch(/^forgets_constraint +music-recommendation\/constraint_relevance +8 +4\.54 +2\.63 +-1\.92 .* 0\.086 += no significant change$/m);
    expect(table.stdout).toContain("Means over each slice's items scored in both reports; Holm-corrected within the 11 tests of metadata.change.");
    const md = await runCli(['diff', V1, V2, '--by', 'change', '--by', 'metadata.outcome', '--format', 'md'], { cwd: dir });
    expect(md.stdout).toContain('#### By metadata.change');
    expect(md.stdout).toContain('#### By metadata.outcome');
    const json = JSON.parse((await runCli(['diff', V1, V2, '--by', 'change', '--format', 'json'], { cwd: dir })).stdout) as { slices: { by: string; family: number }[] };
    expect(json.slices.map((s) => [s.by, s.family])).toEqual([['metadata.change', 11]]);
  });

  it('gate: the slice gate from jury.yaml (`slices`, `max_slice_regression`), failing only where a slice regressed', async () => {
    const config = `${readFileSync(path.join(dir, 'jury.yaml'), 'utf8')}\nslices: [metadata.change]\ngates: { max_slice_regression: 0, min_slice_items: 3, significance: 0.1 }\n`;
    writeFileSync(path.join(dir, 'sliced.yaml'), config);
    const gate = await runCli(['gate', V2, '-c', 'sliced.yaml', '--baseline', V1, '--allow-simulated'], { cwd: dir });
    expect(gate.code).toBe(1);
    expect(gate.stdout).toMatch(/^FAIL {2}max_slice_regression metadata\.change=forgets_constraint music-recommendation\/constraint_relevance: regressed on 8 items/m);
    expect(gate.stdout).not.toMatch(/FAIL .*metadata\.change=unchanged/);
    // Tolerating a drop of 2 points passes; at 10 items per slice nothing is big enough to check, which fails.
    expect((await runCli(['gate', V2, '-c', 'sliced.yaml', '--baseline', V1, '--allow-simulated', '--max-slice-regression', '2'], { cwd: dir })).code).toBe(0);
    const small = await runCli(['gate', V2, '-c', 'sliced.yaml', '--baseline', V1, '--allow-simulated', '--min-slice-items', '10'], { cwd: dir });
    expect(small.code).toBe(1);
    expect(small.stdout).toContain('no slice has 10 or more matched items');
    const byFlag = await runCli(['gate', V2, '--baseline', V1, '--allow-simulated', '--by', 'change', '--max-slice-regression', '0', '--min-slice-items', '3'], { cwd: dir });
    expect(byFlag.code).toBe(0);
    expect(byFlag.stdout).toMatch(/^PASS {2}max_slice_regression metadata\.change=forgets_constraint music-recommendation\/constraint_relevance: no significant change on 8 items/m);
    const noKeys = await runCli(['gate', V2, '--baseline', V1, '--allow-simulated', '--max-slice-regression', '0'], { cwd: dir });
    expect(noKeys.code).toBe(1);
    expect(noKeys.stdout).toContain('no slices to check');
  });

  it('a bad --by is a usage error naming what a key looks like', async () => {
    for (const bad of ['', 'metadata', 'genre..x']) {
      const result = await runCli(['diff', V1, V2, '--by', bad], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('expected a metadata key such as metadata.genre');
    }
    const missing = await runCli(['diff', V1, V2, '--by', 'metadata.nope'], { cwd: dir });
    expect(missing.stdout).toContain('WARNING: no matched item has metadata.nope: every item is in the slice (none)');
  });
});
