import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLabels } from '../../src/labels/labels.js';
import { parseCsv } from '../../src/ratings/csv.js';
import { krippendorffAlpha } from '../../src/stats/alpha.js';
import { ROOT, runCli, workspace } from '../support/cli.js';

const AB_REDIAL = path.resolve(ROOT, '../shared/datasets/ab-redial/annotated_dialogues.csv');

let dir: string;
beforeAll(async () => {
  dir = workspace();
  expect((await runCli(['run', '--mock', '--dataset', 'datasets/music-recs/v2.jsonl', '--label', 'tempo-v2'], { cwd: dir })).code).toBe(0);
});

describe('jury calibrate on the shipped reference labels', () => {
  it('audits every labelled criterion: judges and panel, the human ceiling, and advice', async () => {
    const result = await runCli(['calibrate', 'reports/tempo-v2/report.json', '--labels', 'datasets/music-recs/labels-v2.csv', '--format', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const calibration = JSON.parse(result.stdout);
    expect(calibration.criteria.map((c: any) => c.criterion).sort()).toEqual(['clarifying_questions', 'constraint_relevance', 'context_retention', 'tool_faithfulness']);
    for (const c of calibration.criteria) {
      // Two annotators: where they differ, the median falls between two points, a tie left out and counted.
      expect(c).toMatchObject({ annotators: 2, level: 'ordinal' });
      expect(c.labelled_units + (c.consensus?.ties ?? 0)).toBe(30);
      // Per vote, every unit counts: each judge against both people's votes, the people against each other.
      for (const r of c.raters.filter((r: any) => r.rater !== 'panel')) expect(r.per_vote.with_ties.pairs).toBe(60);
      expect(c.human_pairs.with_ties.pairs).toBe(30);
      expect(c.raters.map((r: any) => r.rater)).toEqual(['claude', 'gpt', 'qwen-local', 'panel']);
      expect(c.human_alpha.value).toBeGreaterThan(0);
      // Weights for every judge, or none with the reason: never weights the labels cannot support.
      if (c.recommendation.weights === null) expect(c.recommendation.notes).toContain('no weights: no judge agrees with people reliably above chance on these labels');
      else expect(Object.keys(c.recommendation.weights).sort()).toEqual(['claude', 'gpt', 'qwen-local']);
      for (const r of c.raters) expect(r.confusion.counts.flat().reduce((a: number, b: number) => a + b, 0)).toBe(r.units);
    }
    const table = await runCli(['calibrate', 'reports/tempo-v2/report.json', '--labels', 'datasets/music-recs/labels-v2.csv'], { cwd: dir });
    expect(table.stdout).toMatch(/music-recommendation\/context_retention \(ordinal; \d+ labelled units, 2 annotators; human-human alpha/);
    expect(table.stdout).toMatch(/people \(pairs\) +30 /);
    expect(table.stdout).toMatch(/→ weights: claude/);
  });

  it('--compare says which of two reports lands closer to people, with a paired test', async () => {
    // Report b: an "external judge" that scores exactly as annotator dev-a did; report a: the mock panel.
    const rows = readFileSync(path.join(dir, 'datasets/music-recs/labels-v2.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const verdicts = rows.filter((r) => r[2] === 'dev-a').map((r) => JSON.stringify({ item: r[0], criterion: r[1], judge: 'like-dev-a', score: Number(r[3]) }));
    writeFileSync(path.join(dir, 'like-people.jsonl'), `${verdicts.join('\n')}\n`);
    expect((await runCli(['import', 'verdicts', 'like-people.jsonl', '--label', 'like-people'], { cwd: dir })).code).toBe(0);
    const result = await runCli(['calibrate', 'reports/tempo-v2/report.json', '--labels', 'datasets/music-recs/labels-v2.csv', '--compare', 'reports/like-people/report.json', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    const { comparison } = JSON.parse(result.stdout);
    expect(comparison).toMatchObject({ a: 'tempo-v2', b: 'like-people' });
    expect(comparison.rows).toHaveLength(4);
    for (const row of comparison.rows) {
      expect(row.units).toBe(30);
      expect(row.error_b).toBeLessThan(row.error_a);
    }
    expect(comparison.rows.some((r: any) => r.better === 'b')).toBe(true);
    expect(comparison.rows.every((r: any) => r.better !== 'a')).toBe(true);
  });

  it('refuses a run with no labels at all', async () => {
    writeFileSync(path.join(dir, 'empty.csv'), 'item,criterion,annotator,score\n');
    const result = await runCli(['calibrate', 'reports/tempo-v2/report.json', '--labels', 'empty.csv'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no human labels were found');
  });
});

describe('jury review export / import', () => {
  it('exports the most disputed units, the judge–human gaps and a seeded audit sample, in CSV, JSONL and Label Studio JSON', async () => {
    const args = ['review', 'export', 'reports/tempo-v2/report.json', '--dataset', 'datasets/music-recs/v2.jsonl', '--labels', 'datasets/music-recs/labels-v2.csv', '--top', '5', '--audit', '0.05'];
    const csv = await runCli([...args, '-o', 'review.csv'], { cwd: dir });
    expect(csv.code).toBe(0);
    expect(csv.stdout).toMatch(/judge_disagreement: 5, judge_human_disagreement: 5, audit_sample: \d+/);
    const jsonl = await runCli([...args, '-o', 'review.jsonl'], { cwd: dir });
    expect(jsonl.code).toBe(0);
    const rows = readFileSync(path.join(dir, 'review.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const gap = rows.find((r) => r.reasons.includes('judge_human_disagreement'));
    expect(gap.transcript).toContain('[2] user: ');
    expect(gap.anchors).toMatch(/^1: /);
    expect(gap.judges).toMatch(/^claude: \d \(/);
    expect(JSON.parse(gap.scale)).toMatchObject({ type: 'likert' });
    // The audit sample is reproducible from its seed.
    await runCli([...args, '-o', 'again.jsonl'], { cwd: dir });
    expect(readFileSync(path.join(dir, 'again.jsonl'), 'utf8')).toBe(readFileSync(path.join(dir, 'review.jsonl'), 'utf8'));
    const ls = await runCli([...args, '-o', 'tasks.json'], { cwd: dir });
    expect(ls.code).toBe(0);
    const tasks = JSON.parse(readFileSync(path.join(dir, 'tasks.json'), 'utf8'));
    expect(tasks).toHaveLength(rows.length);
    expect(Object.keys(tasks[0].data)).toEqual(expect.arrayContaining(['id', 'item', 'criterion', 'transcript', 'anchors', 'judges']));
  });

  it('imports completed labels: checked against the scale, annotator kept, conflicts refused, nothing half-written', async () => {
    const rows = readFileSync(path.join(dir, 'review.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const done = rows.slice(0, 3).map((r) => ({ ...r, annotator: 'maria', score: r.scale.includes('likert') ? 2 : 1 }));
    writeFileSync(path.join(dir, 'done.jsonl'), done.map((r) => JSON.stringify(r)).join('\n'));
    const labels = path.join(dir, 'human.csv');
    const first = await runCli(['review', 'import', 'done.jsonl', '--labels', 'human.csv'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('3 labels added');
    const parsed = parseLabels(labels, readFileSync(labels, 'utf8'));
    expect(parsed.ok && parsed.value.map((l) => `${l.annotator}:${l.item}:${l.score}`)).toEqual(done.map((r) => `maria:${r.item}:${r.score}`));

    writeFileSync(path.join(dir, 'changed.jsonl'), done.map((r, i) => JSON.stringify({ ...r, score: i === 0 ? 3 : r.score })).join('\n'));
    const before = readFileSync(labels, 'utf8');
    const conflict = await runCli(['review', 'import', 'changed.jsonl', '--labels', 'human.csv'], { cwd: dir });
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toContain('review/conflict');
    expect(conflict.stderr).toMatch(/maria labelled .* as 2 before and 3 now/);
    expect(readFileSync(labels, 'utf8')).toBe(before);

    writeFileSync(path.join(dir, 'off.jsonl'), JSON.stringify({ ...done[0], score: 9 }));
    const off = await runCli(['review', 'import', 'off.jsonl', '--labels', 'human.csv'], { cwd: dir });
    expect(off.code).toBe(2);
    expect(off.stderr).toContain('is not on the scale');

    const over = await runCli(['review', 'import', 'changed.jsonl', '--labels', 'human.csv', '--overwrite'], { cwd: dir });
    expect(over.code).toBe(0);
  });

  it('reads Label Studio exports back (rating values, completed_by as the annotator)', async () => {
    const tasks = JSON.parse(readFileSync(path.join(dir, 'tasks.json'), 'utf8'));
    const exported = tasks.slice(0, 2).map((t: any) => ({ ...t, annotations: [{ completed_by: { email: 'li@example.org' }, result: [{ value: { rating: t.data.scale.includes('likert') ? 4 : 1 } }] }] }));
    writeFileSync(path.join(dir, 'ls-export.json'), JSON.stringify(exported));
    const result = await runCli(['review', 'import', 'ls-export.json', '--labels', 'ls-labels.jsonl'], { cwd: dir });
    expect(result.code).toBe(0);
    const lines = readFileSync(path.join(dir, 'ls-labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.annotator)).toEqual(['li@example.org', 'li@example.org']);
  });
});

describe('external verdicts', () => {
  it('imports judgments made elsewhere as a run, which then reports and calibrates like one', async () => {
    const verdicts = ['study-focus', 'dinner-party', 'sad-breakup', 'punk-energy'].flatMap((item, i) => [
      { item, criterion: 'music-recommendation/context_retention', judge: 'old-pipeline', score: 3 + (i % 2), reasoning: 'kept most constraints' },
      { item, criterion: 'context_retention', judge: 'annotator-model', score: 4 },
    ]);
    writeFileSync(path.join(dir, 'external.jsonl'), verdicts.map((v) => JSON.stringify(v)).join('\n'));
    const result = await runCli(['import', 'verdicts', 'external.jsonl', '--label', 'external'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, 'reports/external/report.json'), 'utf8'));
    expect(report.run.judges.map((j: any) => `${j.id}:${j.provider}`)).toEqual(['annotator-model:external', 'old-pipeline:external']);
    expect(report.items.map((i: any) => i.id)).toEqual(['dinner-party', 'punk-energy', 'sad-breakup', 'study-focus']);
    expect(report.items[0].results[0].panel).toMatchObject({ status: 'scored', score: 4 });
    const calibrated = await runCli(['calibrate', 'reports/external/report.json', '--labels', 'datasets/music-recs/labels-v2.csv'], { cwd: dir });
    expect(calibrated.code).toBe(0);
    expect(calibrated.stdout).toContain('music-recommendation/context_retention (ordinal; 3 labelled units');
    expect(calibrated.stdout).toContain('1 tied unit left out');

    writeFileSync(path.join(dir, 'bad-external.jsonl'), JSON.stringify({ item: 'x', criterion: 'no_such', judge: 'j', score: 2 }));
    const bad = await runCli(['import', 'verdicts', 'bad-external.jsonl'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no rubric has criterion `no_such`');
  });
});

describe('real human ratings: AB-ReDial (../shared/datasets/ab-redial)', () => {
  it.skipIf(!existsSync(AB_REDIAL))('imports 200 dialogues with their crowd ratings; human-human alpha is plausible and stable (skipped when ../shared/datasets/ab-redial is absent)', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'abr-'));
    const imported = await runCli(['import', 'ab-redial', AB_REDIAL, '-o', out], { cwd: out });
    expect(imported.code).toBe(0);
    // SOURCE.md: 640 rows (annotator × dialogue), 200 units, 4 rows with all five ratings empty.
    expect(imported.stdout).toContain('imported 200 dialogues and 3180 labels');
    const labelsFile = path.join(out, 'ab-redial-labels.csv');
    const parsed = parseLabels(labelsFile, readFileSync(labelsFile, 'utf8'));
    if (!parsed.ok) throw new Error('labels did not parse');
    const overall = parsed.value.filter((l) => l.criterion === 'ab-redial/dialogue_overall');
    const byItem = new Map<string, number[]>();
    for (const l of overall) byItem.set(l.item, [...(byItem.get(l.item) ?? []), Number(l.score)]);
    expect(byItem.size).toBe(200);
    const table = [...byItem.values()].map((scores) => [...scores, ...Array<null>(4 - scores.length).fill(null)]);

    const cli = await runCli(['agreement', labelsFile, '--criterion', 'dialogue_overall', '--stats', 'krippendorff_alpha', '--ci', '--format', 'json'], { cwd: out });
    expect(cli.code).toBe(0);
    const alpha = JSON.parse(cli.stdout).statistics[0];
    // Crowd ratings of satisfaction: low to moderate agreement is what such data shows; not noise, not unanimity.
    expect(alpha.value).toBeGreaterThan(0.15);
    expect(alpha.value).toBeLessThan(0.6);
    expect(alpha.ci.high - alpha.ci.low).toBeLessThan(0.3);
    expect(alpha.value).toBeCloseTo(krippendorffAlpha(table, 'ordinal').value!, 10);
    // Stable: the two halves of the items agree with each other within a few hundredths of the whole.
    const half = Math.floor(table.length / 2);
    const first = krippendorffAlpha(table.slice(0, half), 'ordinal').value!;
    const second = krippendorffAlpha(table.slice(half), 'ordinal').value!;
    expect(Math.abs(first - second)).toBeLessThan(0.2);

    // The imported set runs end to end and calibrates against its raters.
    expect((await runCli(['run', '--mock'], { cwd: out })).code).toBe(0);
    const calibrated = await runCli(['calibrate', 'reports/ab-redial/report.json', '--labels', 'ab-redial-labels.csv', '--format', 'json'], { cwd: out });
    expect(calibrated.code).toBe(0);
    const criteria = JSON.parse(calibrated.stdout).criteria;
    expect(criteria).toHaveLength(5);
    expect(criteria.find((c: any) => c.criterion === 'dialogue_overall').human_alpha.value).toBeCloseTo(alpha.value, 6);
  });
});

describe('hostile ids through review export → import → calibrate', () => {
  // Ids as a transcript log might carry them: formulas, a DDE payload, and one that already starts with an apostrophe.
  const HOSTILE = ['=HYPERLINK("http://127.0.0.1/x","y")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(1,2)', "'=already", '\tTabbed', 'plain'];

  it('every CSV jury writes defuses formula cells, and every id comes back exactly, so calibrate matches them all', async () => {
    const work = workspace();
    const transcripts = HOSTILE.map((id, i) => JSON.stringify({ id, messages: [{ role: 'user', content: `I want music number ${i}` }, { role: 'assistant', content: `Here is song ${i}.` }] }));
    writeFileSync(path.join(work, 'hostile.jsonl'), `${transcripts.join('\n')}\n`);
    writeFileSync(path.join(work, 'h.yaml'), 'label: hostile\ndatasets: [hostile.jsonl]\nrubrics: [rubrics/conversational-quality.yaml]\njudges:\n  - { id: a, provider: mock, model: a }\n  - { id: b, provider: mock, model: b }\n');
    expect((await runCli(['run', '--mock', '-c', 'h.yaml'], { cwd: work })).code).toBe(0);
    const exported = await runCli(['review', 'export', 'reports/hostile/report.json', '-c', 'h.yaml', '-o', 'review.csv', '--top', '50', '--audit', '1'], { cwd: work });
    expect(exported.code).toBe(0);
    const csv = readFileSync(path.join(work, 'review.csv'), 'utf8');
    // No field starts like a formula: each one that would is prefixed with an apostrophe.
    expect(csv).not.toMatch(/(^|,)"[=+\-@\t\r]/m);
    expect(csv).toContain('"\'=HYPERLINK(');
    expect(csv).toContain(`"''=already"`);

    // A person fills in the score column, as a spreadsheet would save it.
    const parsed = parseCsv(csv);
    if (!parsed.ok) throw new Error(parsed.message);
    const [header, ...rows] = parsed.rows;
    const at = (name: string) => header!.cells.indexOf(name);
    const filled = rows.map((r) => r.cells.map((c, i) => (i === at('annotator') ? 'ann' : i === at('score') ? (r.cells[at('criterion')]!.endsWith('outcome') ? 'accepted' : '4') : c)));
    const quote = (c: string) => `"${c.replace(/"/g, '""')}"`;
    writeFileSync(path.join(work, 'review.csv'), `${[header!.cells, ...filled].map((cells) => cells.map(quote).join(',')).join('\r\n')}\r\n`);
    const imported = await runCli(['review', 'import', 'review.csv', '--labels', 'labels.csv'], { cwd: work });
    expect(imported.code, imported.stderr).toBe(0);
    const labelsCsv = readFileSync(path.join(work, 'labels.csv'), 'utf8');
    expect(labelsCsv).not.toMatch(/(^|,)"?[=+\-@\t]/m);
    const labels = parseLabels('labels.csv', labelsCsv);
    if (!labels.ok) throw new Error('labels.csv does not parse');
    expect(new Set(labels.value.map((l) => l.item))).toEqual(new Set(HOSTILE));

    const calibrated = await runCli(['calibrate', 'reports/hostile/report.json', '--labels', 'labels.csv', '--format', 'json'], { cwd: work });
    expect(calibrated.code, calibrated.stderr).toBe(0);
    const result = JSON.parse(calibrated.stdout);
    const coherence = result.criteria.find((c: any) => c.criterion === 'coherence');
    expect(coherence.labelled_units).toBe(HOSTILE.length);
  });
});
