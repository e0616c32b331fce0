import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, workspace } from '../support/cli.js';

let dir: string;
const shardDirs = ['reports/tempo-v1-shard-1of3', 'reports/tempo-v1-shard-2of3', 'reports/tempo-v1-shard-3of3'];

beforeAll(async () => {
  dir = workspace();
  for (let i = 1; i <= 3; i++) expect((await runCli(['run', '--mock', '--shard', `${i}/3`], { cwd: dir })).code).toBe(0);
});

describe('shards', () => {
  it('partition the items: every item in exactly one shard', () => {
    const items = shardDirs.map((d) => JSON.parse(readFileSync(path.join(dir, d, 'report.json'), 'utf8')).items.map((i: any) => i.id) as string[]);
    const all = items.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(readFileSync(path.join(dir, 'datasets/music-recs/v1.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).id).sort());
    expect(items.every((list) => list.length > 0)).toBe(true);
  });

  it('merge into a report byte-identical to the unsharded run', async () => {
    const merged = await runCli(['merge', ...shardDirs, '--out', 'merged'], { cwd: dir });
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    expect((await runCli(['run', '--mock', '--out', 'whole'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(path.join(dir, 'merged/tempo-v1/report.json')).equals(readFileSync(path.join(dir, 'whole/tempo-v1/report.json')))).toBe(true);
  });

  it('refuse shards of different configurations, missing shards and repeated shards', async () => {
    const missing = await runCli(['merge', shardDirs[0]!, shardDirs[2]!], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('shard(s) 2/3 missing');
    const twice = await runCli(['merge', shardDirs[0]!, shardDirs[0]!, shardDirs[1]!], { cwd: dir });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('shard 1/3 is given twice');
    const rubric = path.join(dir, 'rubrics/conversational-quality.yaml');
    writeFileSync(rubric, readFileSync(rubric, 'utf8').replace('version: 1.0.0', 'version: 1.1.0'));
    expect((await runCli(['run', '--mock', '--shard', '2/3', '--label', 'other'], { cwd: dir })).code).toBe(0);
    const mixed = await runCli(['merge', shardDirs[0]!, 'reports/other-shard-2of3', shardDirs[2]!], { cwd: dir });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('this shard was judged under another configuration');
  });

  it('refuse a malformed --shard', async () => {
    const result = await runCli(['run', '--mock', '--shard', '4/3'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected i/n with 1 ≤ i ≤ n');
  });
});
