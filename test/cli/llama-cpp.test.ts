import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRubrics } from '../../src/rubric/load.js';
import { isOnScale, type Rubric } from '../../src/rubric/rubric.js';
import { ROOT, runCli, workspace, type CliResult } from '../support/cli.js';
import { writeTinyGguf } from '../support/tiny-gguf.js';

// An embedded llama.cpp judge end to end, through the real node-llama-cpp and llama.cpp: the model is a tiny
// random-weight GGUF the test writes itself (test/support/tiny-gguf.ts), so nothing is downloaded. Its scores are
// noise by construction; what is tested is that every verdict it generates under the schema's grammar parses,
// is on its criterion's scale, cites real turns, and that the run records exactly which weights judged it.
const shipped = parse(readFileSync(path.join(ROOT, 'jury.yaml'), 'utf8')) as { rubrics: string[] };
const ITEMS = 1;

function config(judge: Record<string, unknown>, extra = ''): string {
  const fields = Object.entries({ id: 'tiny', provider: 'llama-cpp', model_path: 'models/tiny.gguf', threads: 1, max_concurrency: 2, context_size: 8192, reasoning_max_chars: 6, max_tokens: 160, temperature: 0.8, seed: 7, ...judge })
    .map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`)
    .join('\n');
  return `label: local\ndatasets: [datasets/slice.jsonl]\nrubrics:\n${shipped.rubrics.map((r) => `  - ${r}`).join('\n')}\njudges:\n  - ${fields.trimStart()}\nconcurrency: 2\n${extra}`;
}

function setUp(judge: Record<string, unknown> = {}): string {
  const dir = workspace(config(judge));
  // The shipped example's first transcript with every shipped rubric (per-turn criteria included): what a CPU test can afford.
  const lines = readFileSync(path.join(dir, 'datasets/music-recs/v1.jsonl'), 'utf8').split('\n').filter(Boolean);
  writeFileSync(path.join(dir, 'datasets/slice.jsonl'), `${lines.slice(0, ITEMS).join('\n')}\n`);
  return dir;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const journal = (dir: string) => readFileSync(path.join(dir, 'verdicts.jsonl'), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l));

describe('a llama-cpp judge on the shipped example, with a generated GGUF model', () => {
  let dir: string;
  let run: CliResult;
  let rubrics: Rubric[];

  beforeAll(async () => {
    dir = setUp();
    const models = path.join(dir, 'models');
    (await import('node:fs')).mkdirSync(models);
    writeTinyGguf(path.join(models, 'tiny.gguf'), { seed: 3 });
    run = await runCli(['run', '--out', 'out'], { cwd: dir });
    const loaded = await loadRubrics(shipped.rubrics.map((r) => path.join(ROOT, r)));
    if (!loaded.ok) throw new Error('shipped rubrics did not load');
    rubrics = loaded.value;
  }, 240_000);

  it('finishes with every verdict parsed, on its scale, citing turns that exist', () => {
    expect(run.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    expect(run.code).toBe(0);
    const records = journal(path.join(dir, 'out/local'));
    // Every planned verdict, each scored: ten conversation criteria and the per-turn ones of every assistant turn.
    const planned = JSON.parse(readFileSync(path.join(dir, 'out/local/run.json'), 'utf8')).planned_verdicts;
    expect(planned).toBeGreaterThan(10);
    expect(records).toHaveLength(planned);
    const transcripts = new Map(readFileSync(path.join(dir, 'datasets/slice.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((t) => [t.id, t.messages.length]));
    for (const record of records) {
      expect(record.verdict.status, JSON.stringify(record.verdict)).toBe('scored');
      const criterion = rubrics.find((r) => r.id === record.rubric)!.criteria.find((c) => c.id === record.criterion)!;
      expect(isOnScale(criterion.scale, record.verdict.score), `${record.criterion}: ${record.verdict.score}`).toBe(true);
      for (const turn of record.verdict.citedTurns) {
        expect(turn).toBeGreaterThanOrEqual(1);
        expect(turn).toBeLessThanOrEqual(transcripts.get(record.item)!);
      }
      // Tokens are counted from the model's own tokenizer, both ways.
      expect(record.usage.inputTokens).toBeGreaterThan(100);
      expect(record.usage.outputTokens).toBeGreaterThan(5);
    }
  });

  it('records which weights judged: file name, size and SHA-256, and costs nothing', () => {
    const info = JSON.parse(readFileSync(path.join(dir, 'out/local/run.json'), 'utf8'));
    const file = path.join(dir, 'models/tiny.gguf');
    expect(info.judge_setup.tiny.model_file).toEqual({ name: 'tiny.gguf', bytes: readFileSync(file).length, sha256: sha256(file) });
    expect(info.judge_setup.tiny).toMatchObject({ backend: 'cpu', context_size: 8192, sequences: 2 });
    expect(run.stdout).toContain(`judge tiny: tiny.gguf (sha256 ${sha256(file).slice(0, 12)}…) on cpu, 0 GPU layers\n`);
    expect(info.cost_usd).toBe(0);
    expect(info.judges.tiny.tokens.input).toBeGreaterThan(0);
    const report = JSON.parse(readFileSync(path.join(dir, 'out/local/report.json'), 'utf8'));
    expect(report.run.judges).toEqual([{ id: 'tiny', provider: 'llama-cpp', model: 'tiny.gguf', samples: 1, simulated: false }]);
    expect(report.simulated).toBe(false);
  });

  it('serves a rerun from the cache, and misses it once the weights change', async () => {
    const again = await runCli(['run', '--out', 'out', '--label', 'again'], { cwd: dir });
    expect(again.code).toBe(0);
    const info = JSON.parse(readFileSync(path.join(dir, 'out/again/run.json'), 'utf8'));
    expect(info.judges.tiny.provider_calls).toBe(0);
    expect(info.judges.tiny.cache_hits).toBe(info.planned_verdicts);
    // Same file name, other weights: a new SHA-256, so no cached reply is theirs (a dry run counts the misses).
    writeTinyGguf(path.join(dir, 'models/tiny.gguf'), { seed: 4 });
    const dry = await runCli(['run', '--dry-run'], { cwd: dir });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`tiny\\s+tiny\\.gguf\\s+${info.planned_verdicts}\\s+0\\s`));
  }, 120_000);
});

describe('a llama-cpp judge that cannot run as configured is an input error', () => {
  it('names a model file that does not exist, with its line', async () => {
    const dir = setUp({ model_path: 'models/missing.gguf' });
    const result = await runCli(['run'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/jury\.yaml:\d+:\d+[\s\S]*judge `tiny`: .*models\/missing\.gguf does not exist/);
  });

  it('refuses a file that is not a GGUF model, naming model_path, without a stack trace', async () => {
    const dir = setUp({ model_path: 'jury.yaml' });
    const result = await runCli(['run'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/judge `tiny`: .*jury\.yaml could not be loaded as a GGUF model/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses the local-only settings on an API judge, and model_path missing on a local one', async () => {
    const dir = setUp({ provider: 'openai', model: 'gpt-4.1-mini' });
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/`model_path` applies only to `provider: llama-cpp`/);
    const bare = workspace(config({ model_path: undefined }).replace(/\n\s+model_path: undefined/, ''));
    const missing = await runCli(['validate'], { cwd: bare });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/a llama-cpp judge needs `model_path`/);
  });

  it('fails a request longer than the context instead of letting the model forget its beginning', async () => {
    const dir = setUp({ context_size: 512 });
    (await import('node:fs')).mkdirSync(path.join(dir, 'models'));
    writeTinyGguf(path.join(dir, 'models/tiny.gguf'));
    const result = await runCli(['run', '--no-cache'], { cwd: dir });
    expect(result.code).toBe(3);
    const info = JSON.parse(readFileSync(path.join(dir, 'reports/local/run.json'), 'utf8'));
    expect(info.judges.tiny.failures_by_cause).toEqual({ bad_request: info.planned_verdicts });
    expect(info.errors[0].message).toMatch(/needs about \d+ tokens .* the context holds 512/);
  }, 60_000);
});
