import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeLlmServer } from '../support/fake-llm-server.js';
import { runCli, workspace } from '../support/cli.js';

// `jury run --workers n`: n shard processes with their own journals, each taking 1/n of the limits, merged into
// the report one process writes, byte for byte.

let server: FakeLlmServer;
beforeAll(async () => {
  server = await new FakeLlmServer({ latencyMs: 20 }).start();
});
afterAll(async () => server.close());

const config = (url: string) => `label: w
datasets: [datasets/music-recs/v1.jsonl]
rubrics: [rubrics/music-recommendation.yaml]
judges:
  - { id: a, provider: openai, model: model-a, base_url: ${url}/v1, api_key_env: null, structured_output: json_schema, max_concurrency: 6 }
  - { id: b, provider: openai, model: model-b, base_url: ${url}/v1, api_key_env: null, structured_output: json_schema, max_concurrency: 6 }
concurrency: 8
cache: cache
`;

describe('jury run --workers', () => {
  it('with the mock: the same report bytes as one process, each worker a shard with its own journal', async () => {
    const dir = workspace();
    expect((await runCli(['run', '--mock', '--out', 'one'], { cwd: dir })).code).toBe(0);
    const run = await runCli(['run', '--mock', '--out', 'many', '--workers', '3'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('3 workers: tempo-v1-shard-1of3, tempo-v1-shard-2of3, tempo-v1-shard-3of3 (each with its own journal)');
    expect(readFileSync(path.join(dir, 'many/tempo-v1/report.json')).equals(readFileSync(path.join(dir, 'one/tempo-v1/report.json')))).toBe(true);
    for (const i of [1, 2, 3]) expect(existsSync(path.join(dir, `many/tempo-v1-shard-${i}of3/verdicts.jsonl`))).toBe(true);
  });

  it('through the real SDK: together the workers keep within concurrency and each judge\'s max_concurrency, and rerun resumes', async () => {
    const dir = workspace(config(server.url));
    server.reset({ latencyMs: 20 });
    expect((await runCli(['run', '--out', 'one', '--no-cache'], { cwd: dir })).code).toBe(0);
    const single = server.calls.length;
    server.reset({ latencyMs: 20 });
    const run = await runCli(['run', '--out', 'many', '--no-cache', '--workers', '2'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(server.calls).toHaveLength(single);
    // Each worker takes half: 4 of concurrency 8, 3 of each judge's 6.
    expect(server.maxInFlight).toBeLessThanOrEqual(8);
    for (const model of ['model-a', 'model-b']) expect(server.maxInFlightByModel.get(model)!).toBeLessThanOrEqual(6);
    expect(readFileSync(path.join(dir, 'many/w/report.json')).equals(readFileSync(path.join(dir, 'one/w/report.json')))).toBe(true);
    // The same command again resumes both shard folders: nothing is asked twice, the report is the same.
    server.reset({ latencyMs: 20 });
    const again = await runCli(['run', '--out', 'many', '--no-cache', '--workers', '2'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(server.calls).toHaveLength(0);
    expect(readFileSync(path.join(dir, 'many/w/report.json')).equals(readFileSync(path.join(dir, 'one/w/report.json')))).toBe(true);
  });

  it('refuses what it cannot split, and fewer than two workers, before any call (exit 2)', async () => {
    const dir = workspace(config(server.url));
    server.reset({ latencyMs: 20 });
    for (const args of [['--workers', '2', '--resume', 'x'], ['--workers', '2', '--shard', '1/2'], ['--workers', '1'], ['--workers', 'two']]) {
      const run = await runCli(['run', ...args], { cwd: dir });
      expect([args.join(' '), run.code]).toEqual([args.join(' '), 2]);
    }
    expect(server.calls).toHaveLength(0);
    writeFileSync(path.join(dir, 'jury.yaml'), config('not a url'));
    const bad = await runCli(['run', '--workers', '2'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('jury.yaml');
  });
});
