import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, workspace } from '../support/cli.js';
import { FakeLlmServer } from '../support/fake-llm-server.js';

// score_mode: logprob through the real openai SDK against the test server, which returns OpenAI's `logprobs` shape
// with probabilities the test chose at the score token. Expectations are computed here by hand from those numbers.
let server: FakeLlmServer;
let probabilities: Record<string, number> = {};

beforeAll(async () => {
  server = await new FakeLlmServer({ scoreProbabilities: () => probabilities }).start();
});
afterAll(() => server.close());

function setUp(judge: string): string {
  const dir = workspace(`label: lp\ndatasets: [datasets/slice.jsonl]\nrubrics: [rubrics/conversational-quality.yaml]\njudges:\n  - { id: j, provider: openai, model: m, base_url: ${server.url}/v1, api_key_env: null, score_mode: logprob${judge} }\nretries: { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 5 }\n`);
  const lines = readFileSync(path.join(dir, 'datasets/music-recs/v1.jsonl'), 'utf8').split('\n').filter(Boolean);
  writeFileSync(path.join(dir, 'datasets/slice.jsonl'), `${lines.slice(0, 2).join('\n')}\n`);
  return dir;
}

const verdicts = (dir: string) => {
  const report = JSON.parse(readFileSync(path.join(dir, 'reports/lp/report.json'), 'utf8'));
  return { report, all: report.items.flatMap((i: any) => i.results.map((u: any) => ({ criterion: u.criterion, ...u.verdicts[0] }))) };
};

describe('score_mode: logprob', () => {
  it.each([
    ['json_schema', ', structured_output: json_schema'],
    ['plain text (JSON inside prose and a code fence)', ', structured_output: none'],
  ])('weighs the scale points by their probabilities at the score token (%s)', async (_, mode) => {
    // 7 is not on the 1–5 scale: left out, and the rest renormalised over the 0.9 found on scale points.
    probabilities = { '3': 0.5, '4': 0.3, '5': 0.1, '7': 0.05 };
    const dir = setUp(mode);
    const result = await runCli(['run', '--no-cache'], { cwd: dir, env: cleanEnv() });
    expect(result.code, result.stderr).toBe(0);
    const { report, all } = verdicts(dir);
    const numeric = all.filter((v: any) => v.criterion !== 'outcome');
    expect(numeric).toHaveLength(4);
    for (const v of numeric) {
      expect(v.score).toBeCloseTo((3 * 0.5 + 4 * 0.3 + 5 * 0.1) / 0.9, 4);
      expect(v.logprob_mass).toBeCloseTo(0.9, 4);
      expect([1, 2, 3, 4, 5]).toContain(v.sampled_score);
    }
    // A categorical criterion has no mean: its label stays the score, with nothing claimed about logprobs.
    for (const v of all.filter((v: any) => v.criterion === 'outcome')) {
      expect(typeof v.score).toBe('string');
      expect(v.logprob_mass).toBeUndefined();
    }
    expect(report.run.judges[0].score_mode).toBe('logprob');
    expect(report.criteria.find((c: any) => c.criterion === 'coherence').agreement.level).toBe('interval');
    // Asked with logprobs, and with the 20 alternatives OpenAI allows at most.
    expect(server.calls.at(-1)!.request.body).toMatchObject({ logprobs: true, top_logprobs: 20 });
  });

  it('fails a verdict whose probability on scale points is below logprob_min_mass, after asking once more', async () => {
    probabilities = { '9': 0.55, '2': 0.45 };
    server.reset({ scoreProbabilities: () => probabilities });
    const dir = setUp('');
    const result = await runCli(['run', '--no-cache'], { cwd: dir, env: cleanEnv() });
    const info = JSON.parse(readFileSync(path.join(dir, 'reports/lp/run.json'), 'utf8'));
    expect(info.judges.j.failures_by_cause).toEqual({ no_logprobs: 4 });
    expect(info.errors[0].message).toContain('only 45.0% of the probability at the score token is on scale points (logprob_min_mass is 0.5)');
    // Six verdict calls, the four numeric ones asked once more (the probe's four calls aside).
    expect(server.calls.filter((c) => !JSON.stringify(c.request.body.messages).includes('Say hello'))).toHaveLength(6 + 4);
    expect(result.code).toBe(0);
  });

  it('with logprob_fallback: sampled, keeps the score written and says why', async () => {
    probabilities = { '9': 0.55, '2': 0.45 };
    server.reset({ scoreProbabilities: () => probabilities });
    const dir = setUp(', logprob_fallback: sampled, logprob_min_mass: 0.46');
    expect((await runCli(['run', '--no-cache'], { cwd: dir, env: cleanEnv() })).code).toBe(0);
    for (const v of verdicts(dir).all.filter((v: any) => v.criterion !== 'outcome')) {
      expect(Number.isInteger(v.score)).toBe(true);
      expect(v.score_note).toBe('the score written: only 45.0% of the probability at the score token is on scale points (logprob_min_mass is 0.46)');
      expect(v.sampled_score).toBeUndefined();
    }
    // At a threshold the mass meets, the same replies are weighted: 2 alone is on the scale.
    const met = setUp(', logprob_min_mass: 0.45');
    expect((await runCli(['run', '--no-cache'], { cwd: met, env: cleanEnv() })).code).toBe(0);
    for (const v of verdicts(met).all.filter((v: any) => v.criterion !== 'outcome')) expect(v.score).toBe(2);
  });

  it('says so when the endpoint drops logprobs: never a silent fallback', async () => {
    server.reset({ quirks: { dropsLogprobs: true } });
    const dir = setUp(', logprob_fallback: sampled');
    expect((await runCli(['run', '--no-cache'], { cwd: dir, env: cleanEnv() })).code).toBe(0);
    const numeric = verdicts(dir).all.filter((v: any) => v.criterion !== 'outcome');
    expect(numeric.map((v: any) => v.score_note)).toEqual(Array(4).fill('the score written: the endpoint returned no logprobs'));
    const failing = setUp('');
    await runCli(['run', '--no-cache'], { cwd: failing, env: cleanEnv() });
    const info = JSON.parse(readFileSync(path.join(failing, 'reports/lp/run.json'), 'utf8'));
    expect(info.judges.j.failures_by_cause).toEqual({ no_logprobs: 4 });
  });

  it('caches the probabilities with the reply: a cached rerun gives the same weighted scores', async () => {
    probabilities = { '1': 0.2, '2': 0.8 };
    server.reset({ scoreProbabilities: () => probabilities });
    const dir = setUp('');
    expect((await runCli(['run'], { cwd: dir, env: cleanEnv() })).code).toBe(0);
    const calls = server.calls.length;
    const again = await runCli(['run', '--label', 'again'], { cwd: dir, env: cleanEnv() });
    expect(again.code).toBe(0);
    expect(server.calls.length).toBe(calls);
    const first = verdicts(dir).all.map((v: any) => v.score);
    const cached = JSON.parse(readFileSync(path.join(dir, 'reports/again/report.json'), 'utf8')).items.flatMap((i: any) => i.results.map((u: any) => u.verdicts[0].score));
    expect(cached).toEqual(first);
    expect(first.filter((s: any) => typeof s === 'number').every((s: number) => Math.abs(s - 1.8) < 1e-9)).toBe(true);
  });
});
