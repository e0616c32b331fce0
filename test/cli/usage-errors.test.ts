import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli, workspace } from '../support/cli.js';

// Mistakes a user makes on the command line: each one exit 2 with what to do, never "internal error".
const noBug = (stderr: string) => expect(stderr).not.toMatch(/internal error|bug in jury|\n\s+at .+:\d+:\d+/);

describe('run labels cannot leave --out', () => {
  for (const label of ['../x', '/tmp/abs', '', '.hidden', 'a/b']) {
    it(`--label ${JSON.stringify(label)} is refused on run and import verdicts`, async () => {
      const dir = workspace();
      for (const args of [['run', '--mock', '--label', label], ['import', 'verdicts', 'v.jsonl', '--label', label]]) {
        const result = await runCli(args, { cwd: dir });
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('--label');
        expect(result.stderr).toContain('expected a label usable as a folder name');
        noBug(result.stderr);
      }
      expect(existsSync(path.join(dir, 'x'))).toBe(false);
    });
  }
});

describe('the run folder', () => {
  it('--out naming a file is a clear error', async () => {
    const dir = workspace();
    writeFileSync(path.join(dir, 'afile'), 'x');
    const result = await runCli(['run', '--mock', '--out', 'afile'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot create the run folder \((ENOTDIR|EEXIST)/);
    expect(result.stderr).toContain('expected: a writable folder for --out');
    noBug(result.stderr);
  });

  it('--out under /proc fails at once instead of spinning (Node\'s recursive mkdir loops there)', async () => {
    const dir = workspace();
    const result = await runCli(['run', '--mock', '--out', '/proc/jury-test-out'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot create the run folder (ENOENT: no such file or directory)');
    noBug(result.stderr);
  });

  it('a second finished run with the same label replaces the first, and says so', async () => {
    const dir = workspace();
    expect((await runCli(['run', '--mock'], { cwd: dir })).code).toBe(0);
    const again = await runCli(['run', '--mock'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/replacing the previous run in \S*reports\/tempo-v1/);
  });
});

describe('keys', () => {
  it('an empty key variable is reported as empty, not as unset', async () => {
    const dir = workspace();
    const result = await runCli(['run'], { cwd: dir, env: cleanEnv({ OPENAI_API_KEY: '', ANTHROPIC_API_KEY: 'x'.repeat(20) }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('needs an API key in the environment variable OPENAI_API_KEY, which is set but empty');
    const unset = await runCli(['run'], { cwd: dir, env: cleanEnv({ ANTHROPIC_API_KEY: 'x'.repeat(20) }) });
    expect(unset.stderr).toContain('OPENAI_API_KEY, which is not set');
  });
});

describe('review export and agreement', () => {
  it('review export refuses an unknown extension instead of writing CSV under it', async () => {
    const dir = workspace();
    const result = await runCli(['review', 'export', 'reports/tempo-v1/report.json', '-o', 'out.txt'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown review file type');
    expect(result.stderr).toContain('.csv, .jsonl, or .json (Label Studio tasks)');
    expect(existsSync(path.join(dir, 'out.txt'))).toBe(false);
  });

  it('agreement --criterion with an unknown criterion lists the criteria of the file', async () => {
    const dir = workspace();
    mkdirSync(path.join(dir, 'l'), { recursive: true });
    writeFileSync(path.join(dir, 'l/labels.csv'), 'item,criterion,annotator,score\na,tone,x,3\na,tone,y,4\nb,coherence,x,2\n');
    const result = await runCli(['agreement', 'l/labels.csv', '--criterion', 'tones'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no label for criterion `tones`');
    expect(result.stderr).toContain('one of the criteria in the file: `coherence`, `tone`');
  });
});

describe('merge of an interrupted shard', () => {
  it('says the merged report is incomplete, and the gate refuses it', async () => {
    const dir = workspace();
    expect((await runCli(['run', '--mock', '--shard', '1/2'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['run', '--mock', '--shard', '2/2'], { cwd: dir })).code).toBe(0);
    // Shard 2 as a kill -9 would leave it: its journal cut after the first ten verdicts.
    const journal = path.join(dir, 'reports/tempo-v1-shard-2of2/verdicts.jsonl');
    writeFileSync(journal, readFileSync(journal, 'utf8').split('\n').slice(0, 11).join('\n') + '\n');
    const merged = await runCli(['merge', 'reports/tempo-v1-shard-1of2', 'reports/tempo-v1-shard-2of2', '--out', 'merged'], { cwd: dir });
    expect(merged.code).toBe(0);
    expect(merged.stderr).toMatch(/the merged report is INCOMPLETE: \d+ verdicts are missing/);
    const gate = await runCli(['gate', 'merged/tempo-v1/report.json', '--min-mean', '1', '--allow-simulated'], { cwd: dir });
    expect(gate.code).toBe(1);
    expect(gate.stdout).toMatch(/FAIL {2}complete +report tempo-v1: \d+ of 1662 verdicts missing/);
  });
});

describe('bad input that costs too much', () => {
  it('a 5 MB transcript line with one wrong field: the frame is a window, and the run of errors is capped per file', async () => {
    const dir = workspace();
    const big = { id: 'big', messages: [{ role: 'user', content: 'x'.repeat(5 * 1024 * 1024) }, { role: 'assistant', content: 42 }] };
    const small = Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: `t${i}`, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: i }] }));
    writeFileSync(path.join(dir, 'big.jsonl'), `${JSON.stringify(big)}\n`);
    writeFileSync(path.join(dir, 'many.jsonl'), `${small.join('\n')}\n`);
    writeFileSync(path.join(dir, 'bad.yaml'), 'datasets: [big.jsonl, many.jsonl]\nrubrics: [rubrics/conversational-quality.yaml]\njudges: [{ id: a, provider: mock, model: m }]\n');
    const result = await runCli(['validate', '-c', 'bad.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/big\.jsonl:1:\d+  transcript\/invalid/);
    expect(result.stderr).toContain('messages[1].content: is a number (read as openai-chat)');
    expect(result.stderr).toContain('many.jsonl: 10 more problems not shown (the first 20 are above)');
    expect(result.stderr).toContain('31 errors found');
    expect(result.stderr.length).toBeLessThan(12_000);
    for (const line of result.stderr.split('\n')) expect(line.length).toBeLessThan(260);
  });
});

describe('never "internal error" for a user\'s input', () => {
  it('--resume naming a file says it wants a run folder', async () => {
    const dir = workspace();
    const result = await runCli(['run', '--mock', '--resume', 'jury.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--resume takes a run folder, and this is a file');
    noBug(result.stderr);
  });

  it('agreement on a 300-rater wide CSV gives a readable summary: pairwise statistics as one row each', async () => {
    const dir = workspace();
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 5;
    const rows = [`item,${Array.from({ length: 300 }, (_, r) => `r${r}`).join(',')}`];
    for (let i = 0; i < 12; i++) rows.push(`i${i},${Array.from({ length: 300 }, () => 1 + next()).join(',')}`);
    writeFileSync(path.join(dir, 'wide.csv'), `${rows.join('\n')}\n`);
    const result = await runCli(['agreement', 'wide.csv'], { cwd: dir });
    noBug(result.stderr);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('12 items, 300 raters (r0, r1, r2, r3, r4, … r299), ordinal level');
    expect(result.stdout).toMatch(/cohen_kappa +weights=quadratic, mean over 44850 pairs +-?\d\.\d{3} +min -?\d\.\d{3}, median -?\d\.\d{3}, max -?\d\.\d{3}; --format json lists each pair/);
    expect(result.stdout.split('\n').length).toBeLessThan(30);
    const json = JSON.parse((await runCli(['agreement', 'wide.csv', '--format', 'json', '--stats', 'spearman_rho'], { cwd: dir })).stdout);
    expect(json.statistics).toHaveLength(44850);
    // The summary row's mean is the mean of the pairs listed in JSON.
    const values = json.statistics.map((s: any) => s.value).filter((v: any) => v !== null);
    const mean = values.reduce((a: number, b: number) => a + b, 0) / values.length;
    const spearman = await runCli(['agreement', 'wide.csv', '--stats', 'spearman_rho'], { cwd: dir });
    expect(spearman.stdout).toContain(`mean over 44850 pairs  ${mean.toFixed(3)}`);
  });
});

describe('a concurrency the judges cannot reach', () => {
  it('validate, --dry-run and run say so', async () => {
    const dir = workspace();
    const config = readFileSync(path.join(dir, 'jury.yaml'), 'utf8').replace(/^concurrency: 14.*$/m, 'concurrency: 64');
    writeFileSync(path.join(dir, 'wide.yaml'), config);
    const note = /concurrency is 64, but the judges' max_concurrency add up to 14 \(gpt 8, claude 4, qwen-local 2\): at most 14 calls will be in flight/;
    const validate = await runCli(['validate', '-c', 'wide.yaml'], { cwd: dir });
    expect(validate.code).toBe(0);
    expect(validate.stdout).toMatch(note);
    const dry = await runCli(['run', '--mock', '--dry-run', '-c', 'wide.yaml'], { cwd: dir });
    expect(dry.stdout).toMatch(note);
    const run = await runCli(['run', '--mock', '-c', 'wide.yaml'], { cwd: dir });
    expect(run.stderr).toMatch(note);
    // Reachable: not a word.
    const fine = await runCli(['validate'], { cwd: dir });
    expect(fine.stdout).not.toContain('note:');
  });
});

describe('leftovers of a killed run', () => {
  it('orphan temporary files of an atomic write are cleaned on the next run into the folder', async () => {
    const dir = workspace();
    expect((await runCli(['run', '--mock'], { cwd: dir })).code).toBe(0);
    const folder = path.join(dir, 'reports/tempo-v1');
    writeFileSync(path.join(folder, '.report.json.999999.tmp'), '{"partial":');
    writeFileSync(path.join(folder, '.run.json.999998.tmp'), '{');
    writeFileSync(path.join(folder, 'notes.tmp'), 'mine');
    expect((await runCli(['run', '--mock'], { cwd: dir })).code).toBe(0);
    expect(existsSync(path.join(folder, '.report.json.999999.tmp'))).toBe(false);
    expect(existsSync(path.join(folder, '.run.json.999998.tmp'))).toBe(false);
    expect(existsSync(path.join(folder, 'notes.tmp'))).toBe(true);
  });
});

describe('the machine\'s state', () => {
  it('a disk that fills up during a run is exit 3 with what happened and what to do, never "internal error"', async (ctx) => {
    // A 200 KB tmpfs: the journal of the example run (about 800 KB) cannot fit. Needs root, as CI and sessions have.
    const tiny = mkdtempSync(path.join(tmpdir(), 'jury-full-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'tmpfs', tiny]);
    if (mounted.status !== 0) {
      console.warn(`skipped: cannot mount a small tmpfs here (${String(mounted.stderr).trim()})`);
      ctx.skip();
      return;
    }
    try {
      const dir = workspace();
      const result = await runCli(['run', '--mock', '--out', tiny], { cwd: dir });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('the machine refused');
      expect(result.stderr).toContain('the disk is full (ENOSPC). Every verdict already journaled is kept: fix this, then finish with jury run --resume <run folder>.');
      noBug(result.stderr);
    } finally {
      spawnSync('umount', [tiny]);
    }
  });
});
