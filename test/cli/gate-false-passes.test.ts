import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeJson } from '../../src/report/write.js';
import { cleanEnv, runCli } from '../support/cli.js';
import { syntheticReport } from '../support/synthetic-report.js';

// Every way `jury gate` (and diff, calibrate) could hand CI a false pass, each through the built binary.
let dir: string;
const index = (item: string) => Number(/\d+$/.exec(item)![0]);
const score = (judge: string, item: string, criterion: string) => 1 + ((judge.length + index(item) + criterion.length) % 5);
const complete = () => syntheticReport({ items: 30, criteria: ['c1', 'c2'], judges: ['a', 'b', 'c'], label: 'full', score });

function write(name: string, report: unknown): string {
  const file = path.join(dir, name);
  writeJson(file, report);
  return file;
}

function edited(name: string, edit: (report: any) => void): string {
  const report = JSON.parse(JSON.stringify(complete()));
  edit(report);
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(report, null, 2));
  return file;
}

const cli = (args: string[], env?: Record<string, string>) => runCli(args, { cwd: dir, env: cleanEnv(env) });

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'jury-gate-'));
  write('full.json', complete());
  writeFileSync(path.join(dir, 'labels.csv'), `item,criterion,annotator,score\n${Array.from({ length: 30 }, (_, i) => `item-${String(i).padStart(2, '0')},c1,ann,${1 + (i % 5)}`).join('\n')}\n`);
  // 24 of 180 verdicts missing: judge c never answered for the first 12 items on c1 and c2 (an interrupted run).
  write('partial.json', syntheticReport({ items: 30, criteria: ['c1', 'c2'], judges: ['a', 'b', 'c'], label: 'partial', score, missing: (judge, item) => judge === 'c' && index(item) < 12 }));
  write('mock.json', syntheticReport({ items: 30, criteria: ['c1', 'c2'], judges: ['a', 'b', 'c'], label: 'mock', score, simulated: true }));
  write('other-ids.json', syntheticReport({ items: 30, criteria: ['c1', 'c2'], judges: ['a', 'b', 'c'], label: 'renamed', score, ids: (i) => `conv-${i}` }));
  // 12 of the 30 items are the same; 18 are new.
  write('overlap.json', syntheticReport({ items: 30, criteria: ['c1', 'c2'], judges: ['a', 'b', 'c'], label: 'overlap', score, ids: (i) => (i < 12 ? `item-${String(i).padStart(2, '0')}` : `new-${i}`) }));
});

describe('an incomplete report fails every gate unless --allow-incomplete', () => {
  it('fails with the number of missing verdicts, exit 1', async () => {
    const result = await cli(['gate', 'partial.json', '--min-mean', '1']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}complete +report partial: 24 of 180 verdicts missing/);
    expect(result.stdout).toContain('gate FAILED');
  });

  it('gates it when asked, and max_error_rate counts missing verdicts as errors', async () => {
    const allowed = await cli(['gate', 'partial.json', '--min-mean', '1', '--allow-incomplete']);
    expect(allowed.stdout).toContain('gated anyway (--allow-incomplete)');
    expect(allowed.code).toBe(0);
    // Judge c: 60 planned, 36 present, 0 failed: 24 missing = 40%.
    const rate = await cli(['gate', 'partial.json', '--max-error-rate', '0.39', '--allow-incomplete']);
    expect(rate.code).toBe(1);
    expect(rate.stdout).toMatch(/FAIL {2}max_error_rate c: 0 of 60 verdicts failed, 24 missing \(40%\)/);
    expect(rate.stdout).toMatch(/PASS {2}max_error_rate a: 0 of 60 verdicts failed \(0%\)/);
    const atRate = await cli(['gate', 'partial.json', '--max-error-rate', '0.4', '--allow-incomplete']);
    expect(atRate.code).toBe(0);
  });

  it('an incomplete baseline fails the gate too', async () => {
    const result = await cli(['gate', 'full.json', '--baseline', 'partial.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}complete +baseline partial: 24 of 180 verdicts missing/);
  });
});

describe('a gate with nothing to check', () => {
  it('is a usage error without a baseline (exit 2), and never says "no gates configured"', async () => {
    const result = await cli(['gate', 'full.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no gate to check');
    expect(result.stdout + result.stderr).not.toContain('no gates configured');
    expect(result.stdout).not.toContain('passed');
  });

  it('with a baseline, checks "no significant regression on any criterion" and says so', async () => {
    const result = await cli(['gate', 'full.json', '--baseline', 'full.json']);
    expect(result.stdout).toContain('note: no gate was configured: with a baseline, the default gate is no significant regression on any criterion');
    expect(result.stdout).toMatch(/PASS {2}max_regression r\/c1/);
    expect(result.code).toBe(0);
  });

  it('a regression gate without a baseline fails instead of being skipped', async () => {
    const result = await cli(['gate', 'full.json', '--max-regression', '0.5']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('no baseline was given, so the regression gate could not be checked');
  });

  it('thresholds that apply to no criterion check nothing, and fail', async () => {
    const config = path.join(dir, 'only-missing.yaml');
    writeFileSync(path.join(dir, 'data.jsonl'), '{"id":"t","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n');
    writeFileSync(path.join(dir, 'rubric.yaml'), 'id: other\nversion: 1\ntitle: Other\ncriteria:\n  - id: criterion\n    question: q?\n    scale: { type: binary }\n    anchors: { 0: no, 1: yes }\n');
    writeFileSync(config, 'datasets: [data.jsonl]\nrubrics: [rubric.yaml]\njudges: [{ id: a, provider: mock, model: m }]\ngates:\n  min_mean:\n    other/criterion: 3\n');
    const result = await cli(['gate', 'full.json', '-c', config]);
    expect(result.stdout).toContain('none of the configured gates applies to this report');
    expect(result.code).toBe(1);
  });
});

describe('reports that do not share items', () => {
  it('diff and gate refuse reports with no item id in common, naming both labels and sample ids (exit 2)', async () => {
    const diff = await cli(['diff', 'full.json', 'other-ids.json']);
    expect(diff.code).toBe(2);
    expect(diff.stderr).toContain('no item id is in both reports: base "full"');
    expect(diff.stderr).toContain('"item-00", "item-01"');
    expect(diff.stderr).toContain('candidate "renamed"');
    expect(diff.stderr).toContain('"conv-0", "conv-1"');
    const gate = await cli(['gate', 'other-ids.json', '--baseline', 'full.json', '--max-regression', '0']);
    expect(gate.code).toBe(2);
    expect(gate.stderr).toContain('no item id is in both reports');
  });

  it('states a partial match first, in diff, gate and the step summary', async () => {
    const diff = await cli(['diff', 'full.json', 'overlap.json']);
    expect(diff.code).toBe(0);
    const firstWarning = diff.stdout.split('\n').find((l) => l.startsWith('WARNING'));
    expect(firstWarning).toBe('WARNING: only 12 of 48 items are in both reports (25%): 18 only in the candidate, 18 only in the base; the comparison covers the 12');
    const summary = path.join(dir, 'partial-summary.md');
    writeFileSync(summary, '');
    const gate = await cli(['gate', 'overlap.json', '--baseline', 'full.json'], { GITHUB_STEP_SUMMARY: summary });
    expect(gate.stdout.split('\n')[0]).toContain('WARNING: only 12 of 48 items are in both reports (25%)');
    expect(readFileSync(summary, 'utf8')).toContain('> **Warning:** only 12 of 48 items are in both reports (25%)');
  });
});

describe('simulated scores', () => {
  it('fail the gate unless --allow-simulated, on stdout, JUnit and the step summary', async () => {
    const summary = path.join(dir, 'mock-summary.md');
    writeFileSync(summary, '');
    const result = await cli(['gate', 'mock.json', '--min-mean', '1', '--junit', 'mock.xml'], { GITHUB_STEP_SUMMARY: summary });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^WARNING: SIMULATED/);
    expect(result.stdout).toMatch(/FAIL {2}not_simulated +report mock/);
    expect(readFileSync(summary, 'utf8')).toContain('> **Warning:** SIMULATED');
    const xml = readFileSync(path.join(dir, 'mock.xml'), 'utf8');
    expect(xml).toContain('<property name="simulated" value="true"/>');
    expect(xml).toMatch(/<failure message="SIMULATED scores/);
    const allowed = await cli(['gate', 'mock.json', '--min-mean', '1', '--allow-simulated', '--junit', 'mock-allowed.xml']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/^WARNING: SIMULATED/);
    expect(readFileSync(path.join(dir, 'mock-allowed.xml'), 'utf8')).toContain('WARNING: SIMULATED');
  });

  it('calibrate and calibrate --compare carry the warning (table and json)', async () => {
    const table = await cli(['calibrate', 'mock.json', '--labels', 'labels.csv']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^WARNING: SIMULATED: report mock was made with the mock judge/);
    const json = await cli(['calibrate', 'mock.json', '--labels', 'labels.csv', '--format', 'json']);
    expect(JSON.parse(json.stdout).warnings).toEqual([expect.stringContaining('SIMULATED: report mock')]);
    const compare = await cli(['calibrate', 'full.json', '--labels', 'labels.csv', '--compare', 'mock.json']);
    expect(compare.stdout).toMatch(/^WARNING: SIMULATED: report mock/);
    const real = await cli(['calibrate', 'full.json', '--labels', 'labels.csv']);
    expect(real.stdout).not.toContain('SIMULATED');
  });
});

describe('JUnit', () => {
  it('has a failure iff a check failed; items under min_mean are listed in system-out', async () => {
    const result = await cli(['gate', 'full.json', '--min-mean', '2', '--junit', 'pass.xml']);
    expect(result.code).toBe(0);
    const xml = readFileSync(path.join(dir, 'pass.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' || name === 'testsuite' }).parse(xml);
    expect(parsed.testsuites['@_failures']).toBe('0');
    const suite = parsed.testsuites.testsuite[0];
    expect(suite.testcase.length).toBe(2);
    expect(suite.testcase.every((t: any) => t.failure === undefined)).toBe(true);
    expect(suite['system-out']).toMatch(/\d+ item × criterion panel scores are below their min_mean:\n {2}item-\d\d r\/c\d: [\d.]+ < 2/);
    const failing = await cli(['gate', 'full.json', '--min-mean', '4.5', '--junit', 'fail.xml']);
    expect(failing.code).toBe(1);
    const failed = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(path.join(dir, 'fail.xml'), 'utf8'));
    expect(failed.testsuites['@_failures']).toBe('2');
  });
});

describe('hand-edited or corrupt reports are refused by gate, diff and calibrate (exit 2, naming the field)', () => {
  const cases: [string, (r: any) => void, RegExp][] = [
    ['mean 1e400', (r) => (r.criteria[0].mean = '1e400-placeholder'), /criteria\[0\]\.mean: .*found Infinity/],
    ['mean "NaN"', (r) => (r.criteria[0].mean = 'NaN'), /criteria\[0\]\.mean: .*found "NaN"/],
    ['mean "four"', (r) => (r.criteria[1].mean = 'four'), /criteria\[1\]\.mean: .*found "four"/],
    ['an item score of 99 on a 1–5 scale', (r) => (r.items[3].results[0].verdicts[1].score = 99), /score 99 of judge b is not on the scale of r\/c1 \(1 to 5\) \(at items\[3\]\.results\[0\]\.verdicts\[1\]\.score\)/],
    ['a panel score off the scale', (r) => (r.items[2].results[1].panel.score = 0), /panel score 0 is not on the scale of r\/c2 \(1 to 5\) \(at items\[2\]\.results\[1\]\.panel\.score\)/],
    ['a summary mean that disagrees with its items', (r) => (r.criteria[0].mean = 4.9), /r\/c1 has mean 4\.9 but its items' panel scores average [\d.]+ \(at criteria\[0\]\.mean\)/],
    ['a string where a number belongs', (r) => (r.criteria[0].units = '30'), /criteria\[0\]\.units: /],
    ['a fractional verdict score that no logprob weighting made', (r) => (r.items[3].results[0].verdicts[1].score = 3.5), /score 3\.5 of judge b is not on the scale of r\/c1 \(1 to 5\) \(at items\[3\]\.results\[0\]\.verdicts\[1\]\.score\)/],
    ['a weighted verdict beyond the scale', (r) => Object.assign(r.items[3].results[0].verdicts[1], { score: 5.2, sampled_score: 5, logprob_mass: 0.9 }), /score 5\.2 of judge b is not on the scale of r\/c1/],
    ['a weighted verdict whose written score is not a point', (r) => Object.assign(r.items[3].results[0].verdicts[1], { score: 3.4, sampled_score: 3.5, logprob_mass: 0.9 }), /sampled score 3\.5 of judge b is not on the scale of r\/c1 \(1 to 5\) \(at items\[3\]\.results\[0\]\.verdicts\[1\]\.sampled_score\)/],
  ];
  for (const [name, edit, message] of cases) {
    it(name, async () => {
      const file = edited(`bad-${name.replace(/\W+/g, '-')}.json`, edit);
      if (name === 'mean 1e400') writeFileSync(file, readFileSync(file, 'utf8').replace('"1e400-placeholder"', '1e400'));
      for (const args of [['gate', file, '--min-mean', '1'], ['diff', 'full.json', file], ['calibrate', file, '--labels', 'labels.csv']]) {
        const result = await cli(args);
        expect(result.code, `${args[0]}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toContain('report/invalid');
        expect(result.stderr).toMatch(message);
        expect(result.stderr).not.toContain('internal error');
      }
    });
  }

  it('the unedited report passes the same checks', async () => {
    const file = edited('unedited.json', () => {});
    expect((await cli(['gate', file, '--min-mean', '1'])).code).toBe(0);
  });

  it('a logprob-weighted verdict (a mean over the points, with the point written beside it) passes them', async () => {
    const file = edited('weighted.json', (r) => Object.assign(r.items[3].results[0].verdicts[1], { score: r.items[3].results[0].verdicts[1].score === 5 ? 4.6 : r.items[3].results[0].verdicts[1].score + 0.4, sampled_score: r.items[3].results[0].verdicts[1].score, logprob_mass: 0.93 }));
    const result = await cli(['gate', file, '--min-mean', '1']);
    expect(result.code, result.stderr).toBe(0);
  });
});

describe('numeric flags are validated: exit 2 with the flag and the accepted range', () => {
  const cases: [string[], string, string][] = [
    [['run', '--max-cost', 'abc'], '--max-cost', 'expected a number above 0 (dollars), got "abc"'],
    [['run', '--max-cost', 'NaN'], '--max-cost', 'expected a number above 0 (dollars)'],
    [['run', '--max-cost', ''], '--max-cost', 'got ""'],
    [['run', '--max-cost', '-1'], '--max-cost', 'got "-1"'],
    [['run', '--max-cost', '0'], '--max-cost', 'got "0"'],
    [['run', '--batch-poll', '0'], '--batch-poll', 'expected a number above 0 and at most 86400 (seconds)'],
    [['gate', 'full.json', '--max-error-rate', '1.5'], '--max-error-rate', 'expected a number from 0 to 1'],
    [['gate', 'full.json', '--min-mean', 'x'], '--min-mean', 'expected a number from 0 up'],
    [['gate', 'full.json', '--min-alpha', '2'], '--min-alpha', 'expected a number from 0 to 1'],
    [['review', 'export', 'full.json', '-o', 'x.csv', '--audit', '1.5'], '--audit', 'expected a number from 0 to 1'],
    [['review', 'export', 'full.json', '-o', 'x.csv', '--top', '-1'], '--top', 'expected a whole number from 0 up'],
    [['review', 'export', 'full.json', '-o', 'x.csv', '--top', '2.5'], '--top', 'expected a whole number from 0 up'],
    [['review', 'export', 'full.json', '-o', 'x.csv', '--uncertain', '0'], '--uncertain', 'expected a whole number from 1 up'],
    [['diff', 'full.json', 'full.json', '--significance', '0'], '--significance', 'expected a number above 0 and at most 0.5'],
    [['agreement', 'x.csv', '--resamples', '10'], '--resamples', 'expected a whole number from 100 up'],
  ];
  for (const [args, flag, words] of cases) {
    it(`${args.join(' ')}`, async () => {
      const result = await cli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(flag);
      expect(result.stderr).toContain(words);
    });
  }

  it('the lowest accepted values pass the parser', async () => {
    const result = await cli(['gate', 'full.json', '--max-error-rate', '0', '--min-mean', '0']);
    expect(result.code).toBe(0);
  });
});

describe('calibrate reports the labels it could not use', () => {
  it('a score of 11, an unknown criterion and an id that matches no unit are counted, not dropped silently', async () => {
    writeFileSync(path.join(dir, 'mixed.csv'), `item,criterion,annotator,score\n${Array.from({ length: 30 }, (_, i) => `item-${String(i).padStart(2, '0')},c1,ann,${1 + (i % 5)}`).join('\n')}\nitem-01,c1,bob,11\nitem-02,nope,bob,3\nghost,c1,bob,3\n`);
    const result = await cli(['calibrate', 'full.json', '--labels', 'mixed.csv']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^WARNING: 3 labels were not used: 1 off the scale, 1 for a criterion the report lacks, 1 matching no unit \(e\.g\. item-01 \/ c1: score 11 is not on the scale; item-02 \/ nope: no such criterion in the report; ghost \/ c1: no unit of the report has this item\)/m);
  });
});
