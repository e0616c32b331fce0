import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/ratings/csv.js';
import { ROOT, runCli } from '../support/cli.js';

const DATA = path.resolve(ROOT, '../shared/datasets/mt-bench-human-judgments');
const present = existsSync(path.join(DATA, 'human_votes.csv')) && existsSync(path.join(DATA, 'gpt4_pair_votes.csv'));
if (!present) console.warn('SKIPPED: the MT-Bench agreement cells need ../shared/datasets/mt-bench-human-judgments, which is absent');

const RUBRIC = `id: mt-bench
version: 1
title: MT-Bench pairwise preference
criteria:
  - id: preference
    question: Which of the two answers is better?
    scale: { type: categorical, labels: [first, second, tie], tie: tie }
    anchors:
      first: the answer of the model first in name order is better
      second: the answer of the other model is better
      tie: neither is better
`;

function rows(file: string): string[][] {
  const parsed = parseCsv(readFileSync(path.join(DATA, file), 'utf8'));
  if (!parsed.ok) throw new Error(`${file} did not parse`);
  return parsed.rows.slice(1).map((r) => r.cells);
}

/** One unit per question and model pair (in name order), the winner said relative to that order, as FastChat's script keys them. */
function unit([q, a, b, winner]: string[]): { item: string; score: string } {
  const flipped = a! > b!;
  const score = winner!.startsWith('tie') ? 'tie' : (winner === 'model_a') !== flipped ? 'first' : 'second';
  return { item: `${q}:${flipped ? `${b}~${a}` : `${a}~${b}`}`, score };
}

/** A folder with the rubric, a config, GPT-4's turn-1 verdicts and the experts' turn-1 votes, imported as a run. */
async function mtBenchRun(dir: string, rubric: string): Promise<void> {
  writeFileSync(path.join(dir, 'mt-bench.yaml'), rubric);
  writeFileSync(path.join(dir, 'd.jsonl'), `${JSON.stringify({ id: 'x', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] })}\n`);
  writeFileSync(path.join(dir, 'jury.yaml'), 'label: mt\ndatasets: [d.jsonl]\nrubrics: [mt-bench.yaml]\njudges:\n  - { id: m, provider: mock, model: m }\n');
  // Turn 1 (the paper's Table 2); "tie (inconsistent)", GPT-4's verdict when the two orders disagreed, is a tie.
  const verdicts = rows('gpt4_pair_votes.csv').filter((r) => r[5] === '1').map((r) => JSON.stringify({ ...unit(r), criterion: 'mt-bench/preference', judge: 'gpt4' }));
  writeFileSync(path.join(dir, 'gpt4.jsonl'), `${verdicts.join('\n')}\n`);
  // Only the experts count as humans, as in FastChat's compute_agreement.py; the authors' votes are left out.
  const experts = rows('human_votes.csv').filter((r) => r[5] === '1' && r[4]!.startsWith('expert_'));
  writeFileSync(path.join(dir, 'votes.csv'), ['item,criterion,annotator,score', ...experts.map((r) => { const u = unit(r); return `${u.item},mt-bench/preference,${r[4]},${u.score}`; })].join('\n') + '\n');
  const imported = await runCli(['import', 'verdicts', 'gpt4.jsonl', '--label', 'gpt4'], { cwd: dir });
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
}

describe('jury calibrate per vote, against the MT-Bench paper', () => {
  it.skipIf(!present)('reproduces the paper\'s agreement cells (GPT-4 pair vs experts, experts vs experts, turn 1, with and without ties) through import verdicts + calibrate (skipped when ../shared/datasets/mt-bench-human-judgments is absent)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mtb-vote-'));
    await mtBenchRun(dir, RUBRIC);
    const result = await runCli(['calibrate', 'reports/gpt4/report.json', '--labels', 'votes.csv', '--format', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const calibration = JSON.parse(result.stdout);
    expect(calibration).toMatchObject({ seed: 1, resamples: 1000 });
    const [c] = calibration.criteria;
    const gpt4 = c.raters.find((r: any) => r.rater === 'gpt4');
    expect(gpt4.alpha.ci).toMatchObject({ method: 'bca', skipped: 0 });
    // The paper: G4-Pair vs human 66% of 1,343 votes (S1, ties kept), 85% of 859 (S2, ties removed);
    // human vs human 63% of 721 pairs and 81% of 479. The counts below are the paper's, to the vote.
    expect(gpt4.per_vote.with_ties).toMatchObject({ pairs: 1343, value: 886 / 1343 });
    expect(gpt4.per_vote.without_ties).toMatchObject({ pairs: 859, value: 727 / 859 });
    expect(c.human_pairs.with_ties).toMatchObject({ pairs: 721, value: 454 / 721 });
    expect(c.human_pairs.without_ties).toMatchObject({ pairs: 479, value: 388 / 479 });
    expect(Math.round(100 * gpt4.per_vote.with_ties.value)).toBe(66);
    expect(Math.round(100 * gpt4.per_vote.without_ties.value)).toBe(85);
    expect(Math.round(100 * c.human_pairs.with_ties.value)).toBe(63);
    expect(Math.round(100 * c.human_pairs.without_ties.value)).toBe(81);
    // Per annotator: every expert's votes, summing to the pooled figure.
    expect(gpt4.per_vote.per_annotator.reduce((s: number, a: any) => s + a.pairs, 0)).toBe(1343);
    expect(gpt4.per_vote.per_annotator.reduce((s: number, a: any) => s + a.pairs * a.agreement, 0)).toBeCloseTo(886, 9);
    // Against the majority, ties left out and counted, never decided by the order of the labels.
    expect(c.consensus.method).toBe('default');
    expect(c.consensus.ties).toBeGreaterThan(0);
    const table = await runCli(['calibrate', 'reports/gpt4/report.json', '--labels', 'votes.csv', '--resamples', '200'], { cwd: dir });
    expect(table.stdout).toMatch(/gpt4 +1343 +0\.66 \[0\.\d\d, 0\.\d\d\] +859 +0\.85 /);
    expect(table.stdout).toMatch(/people \(pairs\) +721 +0\.63 \[0\.\d\d, 0\.\d\d\] +479 +0\.81 /);
    expect(table.stdout).toContain('Intervals: 95% BCa bootstrap over labelled units (conversations on per-turn criteria), 200 resamples, seed 1.');
    // --resamples sets the bootstrap: fewer resamples, another interval, the same values.
    expect(table.stdout).not.toBe((await runCli(['calibrate', 'reports/gpt4/report.json', '--labels', 'votes.csv'], { cwd: dir })).stdout);
    expect((await runCli(['calibrate', 'reports/gpt4/report.json', '--labels', 'votes.csv', '--resamples', '10'], { cwd: dir })).code).toBe(2);
  });

  it.skipIf(!present)('the majority reference is the same whichever order the rubric lists its labels (skipped when ../shared is absent)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mtb-order-'));
    const results: unknown[] = [];
    for (const labels of ['[first, second, tie]', '[tie, second, first]']) {
      await mtBenchRun(dir, RUBRIC.replace('[first, second, tie]', labels));
      const [c] = JSON.parse((await runCli(['calibrate', 'reports/gpt4/report.json', '--labels', 'votes.csv', '--format', 'json'], { cwd: dir })).stdout).criteria;
      const gpt4 = c.raters.find((r: any) => r.rater === 'gpt4');
      results.push({ units: c.labelled_units, ties: c.consensus.ties, exact: gpt4.exact.value });
    }
    expect(results[1]).toEqual(results[0]);
  });
});
