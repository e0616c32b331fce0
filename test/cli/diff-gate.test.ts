import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, workspace } from '../support/cli.js';
import { shippedTranscripts } from '../support/expected.js';

let dir: string;
const v1 = 'reports/tempo-v1/report.json';
const v2 = 'reports/tempo-v2/report.json';

/** The deliberate change per scenario, read from the dataset's own metadata. */
const changeOf = new Map(shippedTranscripts('v2').map((t: any) => [t.id, t.metadata.change as string]));

beforeAll(async () => {
  dir = workspace();
  expect((await runCli(['run', '--mock'], { cwd: dir })).code).toBe(0);
  expect((await runCli(['run', '--mock', '--dataset', 'datasets/music-recs/v2.jsonl', '--label', 'tempo-v2'], { cwd: dir })).code).toBe(0);
});

describe('jury diff on the shipped v1 and v2 agents', () => {
  it('detects the planted regressions as significant and leaves untouched criteria alone', async () => {
    const result = await runCli(['diff', v1, v2, '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    const diff = JSON.parse(result.stdout);
    const change = (criterion: string) => diff.criteria.find((c: any) => c.criterion === criterion).change;
    expect(change('context_retention')).toBe('regressed');
    expect(change('constraint_relevance')).toBe('regressed');
    expect(change('tool_faithfulness')).toBe('regressed');
    expect(change('grounded')).toBe('regressed');
    expect(change('clarifying_questions')).toBe('improved');
    for (const untouched of ['coherence', 'tone', 'intent_understanding', 'diversity_novelty']) expect(change(untouched)).toBe('no significant change');
    expect(diff.items).toEqual({ matched: 30, added: [], removed: [] });
    expect(diff.warnings).toContain('simulated scores: a report was made with the mock judge');
    const regressed = (criterion: string) => new Set(diff.regressions.filter((r: any) => r.criterion === criterion).map((r: any) => r.item));
    // Every scenario whose v2 forgets a constraint is listed for context retention; none that is unchanged is.
    for (const [id, c] of changeOf) if (c === 'forgets_constraint') expect(regressed('context_retention').has(id)).toBe(true);
    for (const r of diff.regressions) expect(changeOf.get(r.item)).not.toBe('unchanged');
    for (const id of regressed('tool_faithfulness')) expect(changeOf.get(id)).toBe('invents_track');
    const drops = diff.regressions.map((r: any) => r.drop);
    expect(drops).toEqual([...drops].sort((a: number, b: number) => b - a));
    expect(diff.regressions[0].reasoning[0]).toMatchObject({ judge: 'claude', base: expect.any(String), candidate: expect.any(String) });
  });

  it('prints a terminal table and Markdown fit for a pull-request comment', async () => {
    const table = await runCli(['diff', v1, v2], { cwd: dir });
    expect(table.stdout).toMatch(/music-recommendation\/context_retention .*▼ regressed/);
    expect(table.stdout).toContain('Wilcoxon signed-rank test, Holm-corrected');
    expect(table.stdout).toContain('Δ mean is the mean of candidate − base over the items scored in both');
    // Each tested row: the shift's interval at its Holm level, excluding 0 exactly when the row is a change.
    const rows = table.stdout.split('\n').filter((l) => /(regressed|improved|no significant change)$/.test(l));
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      const m = row.match(/([[(])([-+]?[\d.]+), ([-+]?[\d.]+)([\])]) (\d+(?:\.\d+)?)%/);
      expect(m, row).not.toBeNull();
      const [, open, lo, hi, close] = m!;
      const holdsZero = (Number(lo) < 0 || (Number(lo) === 0 && open === '[')) && (Number(hi) > 0 || (Number(hi) === 0 && close === ']'));
      expect(holdsZero, row).toBe(row.endsWith('no significant change'));
    }
    const md = await runCli(['diff', v1, v2, '--format', 'md'], { cwd: dir });
    expect(md.stdout).toMatch(/^### jury diff: tempo-v1 → tempo-v2/);
    expect(md.stdout).toMatch(/\| music-recommendation\/tool_faithfulness \| [\d.]+ \| [\d.]+ \| -[\d.]+ \|.*▼ regressed \|/);
  });

  it('flags reports made with different judges loudly, and refuses them with --strict', async () => {
    writeFileSync(path.join(dir, 'two-judges.yaml'), readFileSync(path.join(dir, 'jury.yaml'), 'utf8').replace(/  - id: claude[\s\S]*?max_concurrency: 4\n/, ''));
    expect((await runCli(['run', '--mock', '-c', 'two-judges.yaml', '--label', 'two'], { cwd: dir })).code).toBe(0);
    const loose = await runCli(['diff', v1, 'reports/two/report.json'], { cwd: dir });
    expect(loose.code).toBe(0);
    expect(loose.stdout).toMatch(/WARNING: the judges differ/);
    const strict = await runCli(['diff', v1, 'reports/two/report.json', '--strict'], { cwd: dir });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('report/incomparable');
  });

  it('refuses a file that is not a report', async () => {
    const result = await runCli(['diff', v1, 'jury.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('report/invalid');
  });
});

describe('jury gate', () => {
  it('exits 1 on a significant regression against the baseline, and writes JUnit XML that parses', async () => {
    const result = await runCli(['gate', v2, '--baseline', v1, '--max-regression', '0', '--min-mean', '3', '--junit', 'gate.xml', '--allow-simulated'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}max_regression music-recommendation\/context_retention/);
    const xml = readFileSync(path.join(dir, 'gate.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' || name === 'testsuite' }).parse(xml);
    const gates = parsed.testsuites.testsuite.find((s: any) => s['@_name'] === 'gates').testcase;
    const names = gates.map((t: any) => t['@_name']);
    expect(names).toContain('max_regression music-recommendation/context_retention');
    expect(names).toContain('min_mean music-recommendation/tool_faithfulness');
    const failure = gates.find((t: any) => t['@_name'] === 'max_regression music-recommendation/context_retention').failure;
    expect(failure['@_type']).toBe('max_regression');
    expect(failure['@_message']).toMatch(/^regressed: mean [\d.]+ → [\d.]+ \(Δ -[\d.]+, Holm p /);
    expect(failure['#text']).toBe(failure['@_message']);
    expect(gates.find((t: any) => t['@_name'] === 'max_regression conversational-quality/coherence').failure).toBeUndefined();
    // Binary criteria are not held to a likert threshold given as `*`.
    expect(names).not.toContain('min_mean recommendation-turns/grounded');
  });

  it('exits 0 when every gate passes (simulated scores only when allowed)', async () => {
    const refused = await runCli(['gate', v1, '--min-mean', '1', '--max-error-rate', '0'], { cwd: dir });
    expect(refused.code).toBe(1);
    const result = await runCli(['gate', v1, '--min-mean', '1', '--max-error-rate', '0', '--allow-simulated'], { cwd: dir });
    expect(result.stdout).toContain('gate passed');
    expect(result.code).toBe(0);
  });

  it('on GitHub Actions, appends a Markdown summary and prints ::error annotations', async () => {
    const summary = path.join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const result = await runCli(['gate', v2, '--baseline', v1, '--max-regression', '0', '--allow-simulated'], { cwd: dir, env: cleanEnv({ GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' }) });
    expect(result.code).toBe(1);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n')).toBe(true);
    expect(text).toContain('### jury gate: tempo-v2: ❌ failed');
    expect(text).toContain('| ❌ | max_regression | music-recommendation/tool_faithfulness |');
    expect(result.stdout).toMatch(/^::error title=jury gate max_regression::music-recommendation\/context_retention: regressed/m);
  });

  it('jury run --gate applies the gates of jury.yaml and exits 1 when one fails', async () => {
    const config = `${readFileSync(path.join(dir, 'jury.yaml'), 'utf8').replace('label: tempo-v1', 'label: gated')}\ngates:\n  min_mean:\n    music-recommendation/tool_faithfulness: 4.9\n  max_error_rate: 0\n`;
    writeFileSync(path.join(dir, 'gated.yaml'), config);
    const result = await runCli(['run', '--mock', '-c', 'gated.yaml', '--gate', '--junit', 'run.xml', '--allow-simulated'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}min_mean {7}music-recommendation\/tool_faithfulness: mean [\d.]+ < 4.9/);
    expect(result.stdout).toMatch(/PASS {2}max_error_rate gpt/);
    expect(existsSync(path.join(dir, 'run.xml'))).toBe(true);
  });
});
