import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/ratings/csv.js';
import { ROOT, runCli, workspace } from '../support/cli.js';

const SHARED = path.resolve(ROOT, '../shared/datasets');
const DICES = path.join(SHARED, 'dices');
const MT_BENCH = path.join(SHARED, 'mt-bench-human-judgments/human_votes.csv');
const AB_REDIAL = path.join(SHARED, 'ab-redial/annotated_dialogues.csv');

let dir: string;
beforeAll(async () => {
  dir = workspace();
  expect((await runCli(['run', '--mock', '--dataset', 'datasets/music-recs/v2.jsonl', '--label', 'tempo-v2'], { cwd: dir })).code).toBe(0);
});

describe('jury annotators on the shipped labels', () => {
  it('audits each criterion and, with --report, the judges on the footing of the people', async () => {
    const people = await runCli(['annotators', 'datasets/music-recs/labels-v2.csv', '--resamples', '200', '--format', 'json'], { cwd: dir });
    expect(people.stderr).toBe('');
    expect(people.code).toBe(0);
    const audit = JSON.parse(people.stdout);
    expect(audit.version).toBe(1);
    for (const c of audit.criteria) {
      expect(c.annotator_count).toBe(2);
      expect(c.annotators.map((a: any) => a.units)).toEqual([30, 30]);
      expect(c.items).toHaveLength(30);
    }
    const withJudges = await runCli(['annotators', 'datasets/music-recs/labels-v2.csv', '--report', 'reports/tempo-v2/report.json', '--resamples', '200', '--format', 'json'], { cwd: dir });
    expect(withJudges.code).toBe(0);
    const both = JSON.parse(withJudges.stdout);
    expect(both.judges).toEqual(['judge:claude', 'judge:gpt', 'judge:qwen-local']);
    // The report names the rubric, so the criteria carry it; every criterion now has five annotators.
    for (const c of both.criteria) {
      expect(c.criterion).toMatch(/^[\w-]+\/[\w_]+$/);
      expect(c.annotator_count).toBe(5);
      expect(c.points).toEqual(['1', '2', '3', '4', '5']);
    }
    expect(both.warnings[0]).toContain('SIMULATED');
    const table = await runCli(['annotators', 'datasets/music-recs/labels-v2.csv', '--criterion', 'context_retention', '--resamples', '200'], { cwd: dir });
    expect(table.code).toBe(0);
    // Without a report the scale is the points the labels use (here 2–5); --report gives the rubric's.
    expect(table.stdout).toContain('music-recommendation/context_retention (ordinal: 2, 3, 4, 5): 30 units, 60 votes, 2 annotators');
    expect(table.stdout).toContain('Most contested items');
  });

  it('refuses bad input with exit 2, naming the file, line and field, without a stack trace', async () => {
    writeFileSync(path.join(dir, 'bad-labels.csv'), 'item,criterion,annotator,score,adjudicated\na,c,x,3,perhaps\n');
    const bad = await runCli(['annotators', 'bad-labels.csv'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad-labels.csv:2');
    expect(bad.stderr).toContain('`adjudicated` is "perhaps"');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const missing = await runCli(['annotators', 'datasets/music-recs/labels-v2.csv', '--criterion', 'no_such'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no label is for criterion no_such');
    const range = await runCli(['annotators', 'datasets/music-recs/labels-v2.csv', '--min-gold-accuracy', '1.5'], { cwd: dir });
    expect(range.code).toBe(2);
  });
});

describe('adjudication, end to end', () => {
  it('review export --uncertain → a lead fills in answers → review import --adjudicated → calibrate uses them', async () => {
    const exported = await runCli(['review', 'export', 'reports/tempo-v2/report.json', '--dataset', 'datasets/music-recs/v2.jsonl', '--labels', 'datasets/music-recs/labels-v2.csv', '--uncertain', '3', '--top', '0', '--audit', '0', '-o', 'adjudicate.csv'], { cwd: dir });
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toContain('wrote 3 units to adjudicate.csv (uncertain_consensus: 3)');
    const parsed = parseCsv(readFileSync(path.join(dir, 'adjudicate.csv'), 'utf8'));
    if (!parsed.ok) throw new Error('review file did not parse');
    const [header, ...rows] = parsed.rows;
    const col = (name: string) => header!.cells.indexOf(name);
    // The lead answers 3 on each; the export's own columns come back as they were written.
    const filled = [header!.cells, ...rows.map((r) => r.cells.map((c, i) => (i === col('score') ? '3' : c)))];
    writeFileSync(path.join(dir, 'adjudicate.csv'), `${filled.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n')}\n`);
    writeFileSync(path.join(dir, 'labels-adj.csv'), readFileSync(path.join(dir, 'datasets/music-recs/labels-v2.csv')));
    const imported = await runCli(['review', 'import', 'adjudicate.csv', '--labels', 'labels-adj.csv', '--annotator', 'lead', '--adjudicated'], { cwd: dir });
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain('3 labels added');
    expect(readFileSync(path.join(dir, 'labels-adj.csv'), 'utf8').split('\n')[0]).toBe('item,criterion,turn,annotator,score,note,adjudicated');
    // A second, different answer for the same unit is refused and nothing is written.
    const again = filled.map((r, i) => (i === 0 ? r : r.map((c, j) => (j === col('score') ? '4' : c))));
    writeFileSync(path.join(dir, 'adjudicate-2.csv'), `${again.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n')}\n`);
    const before = readFileSync(path.join(dir, 'labels-adj.csv'), 'utf8');
    const conflict = await runCli(['review', 'import', 'adjudicate-2.csv', '--labels', 'labels-adj.csv', '--annotator', 'chief', '--adjudicated'], { cwd: dir });
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toContain('was adjudicated as 3 (by lead) before and 4 (by chief) now');
    expect(readFileSync(path.join(dir, 'labels-adj.csv'), 'utf8')).toBe(before);
    const calibrated = await runCli(['calibrate', 'reports/tempo-v2/report.json', '--labels', 'labels-adj.csv', '--consensus', 'dawid-skene', '--format', 'json'], { cwd: dir });
    expect(calibrated.code).toBe(0);
    const criteria = JSON.parse(calibrated.stdout).criteria;
    expect(criteria.reduce((s: number, c: any) => s + c.consensus.adjudicated, 0)).toBe(3);
    for (const c of criteria) expect(c.consensus.method).toBe('dawid-skene');
    const table = await runCli(['calibrate', 'reports/tempo-v2/report.json', '--labels', 'labels-adj.csv', '--consensus', 'majority'], { cwd: dir });
    expect(table.stdout).toMatch(/human reference: majority; \d+ tied units? left out; \d adjudicated/);
  });
});

describe('real crowds (../shared/datasets)', () => {
  it.skipIf(!existsSync(DICES))('DICES: 123 raters against the experts, majority and Dawid–Skene against the expert label as they come out (skipped when ../shared/datasets/dices is absent)', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'dices-'));
    const anonymous = await runCli(['import', 'dices', path.join(DICES, 'dices_350_crowdsourced.json'), '--expert', path.join(DICES, 'dices_350_expert.json'), '-o', out], { cwd: out });
    expect(anonymous.code).toBe(0);
    expect(anonymous.stdout).toContain('imported 43050 labels and 350 gold labels (positions marked anonymous)');
    const refused = JSON.parse((await runCli(['annotators', 'dices-labels.csv', '--gold', 'dices-gold.csv', '--format', 'json'], { cwd: out })).stdout).criteria[0];
    expect(refused).toMatchObject({ anonymous: true, annotators: null, model: null });
    expect(refused.consensus_vs_gold.dawid_skene).toBeUndefined();

    expect((await runCli(['import', 'dices', path.join(DICES, 'dices_350_crowdsourced.json'), '--expert', path.join(DICES, 'dices_350_expert.json'), '--positions-are-raters', '-o', out], { cwd: out })).code).toBe(0);
    const result = await runCli(['annotators', 'dices-labels.csv', '--gold', 'dices-gold.csv', '--resamples', '200', '--format', 'json'], { cwd: out });
    expect(result.code).toBe(0);
    const c = JSON.parse(result.stdout).criteria[0];
    expect(c).toMatchObject({ criterion: 'dices/unsafe', units: 350, votes: 43050, annotator_count: 123, points: ['No', 'Unsure', 'Yes'] });
    expect(c.annotators.every((a: any) => a.gold.units === 350)).toBe(true);
    // The majority's accuracy recomputed from the raw files, independently of jury's tables.
    const crowd = JSON.parse(readFileSync(path.join(DICES, 'dices_350_crowdsourced.json'), 'utf8')).instances;
    const expert = new Map<string, string>(JSON.parse(readFileSync(path.join(DICES, 'dices_350_expert.json'), 'utf8')).instances.map((i: any) => [String(i.id), i.annotations.safety.individual_human_scores[0]]));
    let decided = 0;
    let correct = 0;
    for (const instance of crowd) {
      const counts = new Map<string, number>();
      for (const s of instance.annotations.safety.individual_human_scores) counts.set(s, (counts.get(s) ?? 0) + 1);
      const top = Math.max(...counts.values());
      const leaders = [...counts].filter(([, n]) => n === top);
      if (leaders.length > 1) continue;
      decided++;
      if (leaders[0]![0] === expert.get(String(instance.id))) correct++;
    }
    expect(c.consensus_vs_gold.majority).toMatchObject({ units: 350, decided, correct, ties: 350 - decided });
    // Reported as they come out (docs/statistics.md records the figures): both are plausible accuracies.
    expect(c.consensus_vs_gold.dawid_skene.units).toBe(350);
    for (const a of [c.consensus_vs_gold.majority, c.consensus_vs_gold.dawid_skene]) {
      expect(a.accuracy).toBeGreaterThan(0.5);
      expect(a.accuracy).toBeLessThan(0.9);
    }
    expect(c.model.converged).toBe(true);
    // Flags carry their reason; an annotator whose CI lies below the pool is flagged for it.
    for (const a of c.annotators) {
      if (a.alpha.ci && a.alpha.ci.high < c.pool_alpha) expect(a.flags.some((f: string) => f.startsWith('agrees with the others less than the pool'))).toBe(true);
      else expect(a.flags.some((f: string) => f.startsWith('agrees with the others'))).toBe(false);
    }
  });

  it.skipIf(!existsSync(MT_BENCH))('MT-Bench: pairwise votes by named experts, each with intervals (skipped when ../shared/datasets/mt-bench-human-judgments is absent)', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'mtb-'));
    const parsed = parseCsv(readFileSync(MT_BENCH, 'utf8'));
    if (!parsed.ok) throw new Error('votes did not parse');
    const [, ...rows] = parsed.rows;
    // One unit per question, model pair (in name order) and turn; the winner said relative to that order.
    const lines = ['item,criterion,turn,annotator,score'];
    for (const { cells: [q, a, b, winner, judge, turn] } of rows) {
      const flipped = a! > b!;
      const pair = flipped ? `${b}~${a}` : `${a}~${b}`;
      const score = winner === 'tie' ? 'tie' : (winner === 'model_a') !== flipped ? 'first' : 'second';
      lines.push([`${q}:${pair}`, 'mt-bench/preference', turn, judge, score].join(','));
    }
    writeFileSync(path.join(out, 'votes.csv'), `${lines.join('\n')}\n`);
    const result = await runCli(['annotators', 'votes.csv', '--resamples', '200', '--format', 'json'], { cwd: out });
    expect(result.code).toBe(0);
    const c = JSON.parse(result.stdout).criteria[0];
    expect(c.votes).toBe(3355);
    expect(c.annotator_count).toBe(new Set(rows.map((r) => r.cells[4])).size);
    expect(c.points).toEqual(['first', 'second', 'tie']);
    // Every expert has a row; where agreement is defined it comes with an interval, and where not, a reason.
    for (const a of c.annotators) {
      if (a.alpha.value === null) expect(a.alpha.reason).toMatch(/\w/);
      else expect(a.alpha.ci === null || a.alpha.ci.low <= a.alpha.value).toBe(true);
    }
    expect(c.annotators.filter((a: any) => a.alpha.ci !== null).length).toBeGreaterThan(20);
  });

  it.skipIf(!existsSync(AB_REDIAL))('AB-ReDial: positional raters are refused per-annotator figures, items still ranked (skipped when ../shared/datasets/ab-redial is absent)', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'abr-'));
    expect((await runCli(['import', 'ab-redial', AB_REDIAL, '-o', out], { cwd: out })).code).toBe(0);
    expect(readFileSync(path.join(out, 'ab-redial-labels.csv'), 'utf8').split('\n')[1]).toMatch(/,true$/);
    const result = await runCli(['annotators', 'ab-redial-labels.csv', '--criterion', 'dialogue_overall'], { cwd: out });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No per-annotator figures: the annotator ids of these labels are positions in a list');
    expect(result.stdout).toContain('Dawid–Skene: not fitted (the annotators are anonymous positions');
    expect(result.stdout).toContain('Most contested items (10 of 200');
  });
});
