import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runCli, workspace, type CliResult } from '../support/cli.js';
import { assistantTextTurns, shippedTranscripts } from '../support/expected.js';
import { krippendorffAlpha } from '../../src/stats/alpha.js';
import { cohenKappa } from '../../src/stats/kappa.js';

interface RubricFile {
  id: string;
  scope?: string;
  criteria: { id: string }[];
}

// The rubrics the shipped jury.yaml lists (the library in rubrics/ holds more, for `jury init`).
const rubrics = (parse(readFileSync(path.join(ROOT, 'jury.yaml'), 'utf8')) as { rubrics: string[] }).rubrics
  .map((f) => parse(readFileSync(path.join(ROOT, f), 'utf8')) as RubricFile);
const judges = ['claude', 'gpt', 'qwen-local'];

function readReport(dir: string): any {
  return JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
}

describe('jury run --mock on the shipped example', () => {
  let dir: string;
  let first: CliResult;

  beforeAll(async () => {
    dir = workspace();
    first = await runCli(['run', '--mock', '--out', 'out-a'], { cwd: dir });
  });

  it('exits 0, prints a summary table and says the scores are simulated', () => {
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/SIMULATED/);
    // No judge needed set-up: no set-up lines between the cost and the report's path.
    expect(first.stdout).toMatch(/\ncost: [^\n]*\n\nreport: /);
    expect(first.stdout).toMatch(/music-recommendation\/context_retention/);
    const report = readReport(path.join(dir, 'out-a/tempo-v1'));
    expect(report.simulated).toBe(true);
    expect(report.notice).toMatch(/SIMULATED/);
    expect(report.run.judges.map((j: any) => j.simulated)).toEqual([true, true, true]);
  });

  it('has a verdict from every judge for every item × criterion, and one per assistant turn on per-turn rubrics', () => {
    const report = readReport(path.join(dir, 'out-a/tempo-v1'));
    const transcripts = shippedTranscripts('v1');
    expect(report.items.map((i: any) => i.id)).toEqual(transcripts.map((t) => t.id).sort());
    for (const transcript of transcripts) {
      const item = report.items.find((i: any) => i.id === transcript.id);
      const expected: string[] = [];
      for (const rubric of rubrics) {
        const turns = rubric.scope === 'assistant_turn' ? assistantTextTurns(transcript) : [undefined];
        for (const turn of turns) for (const c of rubric.criteria) expected.push(`${rubric.id}/${c.id}${turn ? `@${turn}` : ''}`);
      }
      const got = item.results.map((r: any) => `${r.rubric}/${r.criterion}${r.turn ? `@${r.turn}` : ''}`);
      expect(got.sort()).toEqual(expected.sort());
      for (const result of item.results) {
        expect(result.verdicts.map((v: any) => v.judge)).toEqual(judges);
        expect(result.verdicts.every((v: any) => v.status === 'scored' && typeof v.reasoning === 'string')).toBe(true);
        expect(result.panel.status).toBe('scored');
      }
    }
  });

  it('gives byte-identical report.json on a second run', async () => {
    const second = await runCli(['run', '--mock', '--out', 'out-b', '--no-cache'], { cwd: dir });
    expect(second.code).toBe(0);
    const a = readFileSync(path.join(dir, 'out-a/tempo-v1/report.json'));
    const b = readFileSync(path.join(dir, 'out-b/tempo-v1/report.json'));
    expect(b.equals(a)).toBe(true);
  });

  it('keeps volatile facts out of report.json and in run.json', () => {
    const text = readFileSync(path.join(dir, 'out-a/tempo-v1/report.json'), 'utf8');
    expect(text).not.toMatch(/latency|tokens|_at"|duration/);
    const run = JSON.parse(readFileSync(path.join(dir, 'out-a/tempo-v1/run.json'), 'utf8'));
    expect(run.format).toBe('jury.run');
    expect(run.judges.gpt.verdicts).toBeGreaterThan(0);
    expect(run.judges.gpt.tokens.input).toBeGreaterThan(0);
    expect(typeof run.duration_ms).toBe('number');
  });

  it('states per criterion the panel agreement at the scale level, the judge matrix and the reliability flag', () => {
    const report = readReport(path.join(dir, 'out-a/tempo-v1'));
    for (const c of report.criteria) {
      // Rebuild the units × judges table from the report's own verdicts, apart from the code that built it.
      const table: (number | string | null)[][] = [];
      for (const item of report.items) {
        for (const r of item.results.filter((u: any) => u.rubric === c.rubric && u.criterion === c.criterion)) {
          table.push(judges.map((j) => r.verdicts.find((v: any) => v.judge === j && v.status === 'scored')?.score ?? null));
        }
      }
      const level = c.scale.type === 'likert' ? 'ordinal' : 'nominal';
      expect(c.agreement.level).toBe(level);
      expect(c.agreement.alpha.value).toBeCloseTo(krippendorffAlpha(table, level).value!, 4);
      expect(c.agreement.reliable).toBe(c.agreement.alpha.value >= 0.667);
      expect(c.agreement.alpha.ci.low).toBeLessThanOrEqual(c.agreement.alpha.value);
      expect(c.agreement.alpha.ci.high).toBeGreaterThanOrEqual(c.agreement.alpha.value);
      expect(c.agreement.pairwise.map((p: any) => p.judges.join('~'))).toEqual(['claude~gpt', 'claude~qwen-local', 'gpt~qwen-local']);
      const weights = level === 'ordinal' ? 'quadratic' : 'none';
      expect(c.agreement.pairwise[0].value).toBeCloseTo(cohenKappa(table.map((r) => r[0]!), table.map((r) => r[1]!), weights).value!, 4);
      if (c.mean !== null) expect(c.mean_ci.low <= c.mean && c.mean <= c.mean_ci.high).toBe(true);
      const spreads = c.most_disputed.map((d: any) => d.spread);
      expect(spreads).toEqual([...spreads].sort((a: number, b: number) => b - a));
    }
    expect(report.criteria.some((c: any) => c.agreement.reliable === false)).toBe(true);
  });

  it('writes sorted keys and items ordered by id', () => {
    const report = readReport(path.join(dir, 'out-a/tempo-v1'));
    const ids = report.items.map((i: any) => i.id);
    expect(ids).toEqual([...ids].sort());
    const keys = Object.keys(report);
    expect(keys).toEqual([...keys].sort());
  });
});

describe('quorum', () => {
  const config = (failing: string[]) => `
label: quorum
datasets: [datasets/music-recs/v1.jsonl]
rubrics: [rubrics/music-recommendation.yaml]
judges:
${['a', 'b', 'c'].map((id) => `  - { id: ${id}, provider: mock, model: m-${id}${failing.includes(id) ? ', options: { failure_rate: 1 }' : ''} }`).join('\n')}
retries: { max_attempts: 2, base_delay_ms: 0 }
`;

  it('scores a unit when a majority of the panel returned a verdict, and records the failed judge', async () => {
    const dir = workspace(config(['c']));
    const result = await runCli(['run'], { cwd: dir });
    expect(result.code).toBe(0);
    const report = readReport(path.join(dir, 'reports/quorum'));
    for (const item of report.items) {
      for (const r of item.results) {
        expect(r.panel).toMatchObject({ status: 'scored', judges: 2 });
        expect(r.verdicts.find((v: any) => v.judge === 'c')).toEqual({ judge: 'c', sample: 0, status: 'failed', cause: 'transient' });
      }
    }
    const run = JSON.parse(readFileSync(path.join(dir, 'reports/quorum/run.json'), 'utf8'));
    expect(run.judges.c.failed).toBe(run.judges.c.verdicts);
    expect(run.judges.c.failures_by_cause).toEqual({ transient: run.judges.c.verdicts });
    // Two attempts per verdict: the first failure is retried once, as configured.
    expect(run.judges.c.provider_calls).toBe(2 * run.judges.c.verdicts);
  });

  it('leaves a unit unscored below quorum, never filled in', async () => {
    const dir = workspace(config(['b', 'c']));
    const result = await runCli(['run'], { cwd: dir });
    expect(result.code).toBe(0);
    const report = readReport(path.join(dir, 'reports/quorum'));
    for (const item of report.items) {
      for (const r of item.results) {
        expect(r.panel.status).toBe('unscored');
        expect(r.panel.score).toBeUndefined();
        expect(r.panel.reason).toMatch(/1 of 3 judges.*quorum is 2/);
      }
    }
    for (const c of report.criteria) {
      expect(c.mean).toBeNull();
      expect(c.unscored).toBe(30);
    }
  });
});

describe('samples and transcript formats', () => {
  it('asks a judge k times with `samples: k` and keeps every sample', async () => {
    const dir = workspace(`
label: samples
datasets: [datasets/music-recs/v1.jsonl]
rubrics: [rubrics/music-recommendation.yaml]
judges:
  - { id: a, provider: mock, model: m, samples: 3 }
  - { id: b, provider: mock, model: n }
`);
    const result = await runCli(['run'], { cwd: dir });
    expect(result.code).toBe(0);
    const report = readReport(path.join(dir, 'reports/samples'));
    for (const item of report.items) {
      for (const r of item.results) expect(r.verdicts.map((v: any) => `${v.judge}${v.sample}`)).toEqual(['a0', 'a1', 'a2', 'b0']);
    }
    const run = JSON.parse(readFileSync(path.join(dir, 'reports/samples/run.json'), 'utf8'));
    expect(run.judges.a.verdicts).toBe(3 * run.judges.b.verdicts);
  });

  it('reads .json and .yaml transcripts, with a byte-order mark and CRLF line ends', async () => {
    const dir = workspace(`
datasets: [data/*]
rubrics: [rubrics/conversational-quality.yaml]
judges: [{ id: a, provider: mock, model: m }]
`);
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(path.join(dir, 'data'));
    const messages = [{ role: 'user', content: 'something upbeat' }, { role: 'assistant', content: 'Try "Dog Days Are Over".' }];
    writeFileSync(path.join(dir, 'data/one.json'), `\uFEFF${JSON.stringify({ id: 'one', messages }, null, 2).replace(/\n/g, '\r\n')}`);
    writeFileSync(path.join(dir, 'data/two.yaml'), '\uFEFFid: two\r\nmessages:\r\n  - role: user\r\n    content: calm please\r\n  - role: assistant\r\n    content: Try Weightless.\r\n');
    writeFileSync(path.join(dir, 'data/three.jsonl'), `${JSON.stringify({ id: 'three', messages })}\r\n${JSON.stringify({ id: 'four', messages })}\r\n`);
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('ok: 4 transcripts');
  });
});
