import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/cli.js';

// MT-Bench's published GPT-4 pairwise verdicts, imported as a pairwise run and calibrated against the experts'
// votes (Zheng et al. 2023). The data are public and read by path from ../shared; without it the test is skipped.
const MTBENCH = path.resolve(ROOT, '../shared/datasets/mt-bench-human-judgments');
const HAVE = existsSync(path.join(MTBENCH, 'gpt4_pair_votes.csv'));
if (!HAVE) console.warn('pairwise-mtbench.test.ts: ../shared/datasets/mt-bench-human-judgments is absent; the MT-Bench calibration test is skipped');

type Row = { question_id: string; model_a: string; model_b: string; winner: string; judge: string; turn: string };
function csv(file: string): Row[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const keys = header!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], v])) as Row);
}

describe('pairwise verdicts from elsewhere (jury import verdicts --pairwise)', () => {
  it.skipIf(!HAVE)('MT-Bench: GPT-4\'s verdicts against the experts\' votes, per vote with and without ties, beside expert against expert', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jury-mtbench-'));
    const gpt4 = csv(path.join(MTBENCH, 'gpt4_pair_votes.csv'));
    const experts = csv(path.join(MTBENCH, 'human_votes.csv')).filter((r) => r.judge.startsWith('expert_'));
    // One item per question, turn and pair of models, oriented as the GPT-4 file orients it (model_a the base side).
    const orientation = new Map<string, { a: string; item: string; side: string }>();
    const key = (r: Row) => `${r.question_id}|${r.turn}|${[r.model_a, r.model_b].sort().join('|')}`;
    const sideOf = (r: Row, a: string) => (r.winner === 'tie' || r.winner.startsWith('tie') ? 'tie' : (r.winner === 'model_a' ? r.model_a : r.model_b) === a ? 'base' : 'candidate');
    for (const r of gpt4) orientation.set(key(r), { a: r.model_a, item: `q${r.question_id}-t${r.turn}-${r.model_a}-vs-${r.model_b}`, side: sideOf(r, r.model_a) });
    writeFileSync(path.join(dir, 'gpt4.jsonl'), gpt4.map((r) => JSON.stringify({ item: orientation.get(key(r))!.item, criterion: 'mt-bench/preference', judge: 'gpt4_pair', winner: sideOf(r, r.model_a) })).join('\n') + '\n');
    const votes = experts.map((r) => ({ ...orientation.get(key(r))!, annotator: r.judge, vote: sideOf(r, orientation.get(key(r))!.a) }));
    writeFileSync(path.join(dir, 'experts.csv'), ['item,criterion,annotator,score', ...votes.map((v) => `${v.item},mt-bench/preference,${v.annotator},${v.vote}`)].join('\n') + '\n');
    writeFileSync(path.join(dir, 'rubric.yaml'), 'id: mt-bench\nversion: 1\ntitle: MT-Bench\ncriteria:\n  - id: preference\n    question: Which answer follows the instructions and answers the question better?\n    scale: { type: binary }\n    anchors: { 0: worse, 1: better }\n');
    writeFileSync(path.join(dir, 'none.jsonl'), '{"id":"x","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n');
    writeFileSync(path.join(dir, 'jury.yaml'), 'datasets: [none.jsonl]\nrubrics: [rubric.yaml]\njudges:\n  - { id: gpt4_pair, provider: mock, model: gpt-4 }\n');

    const imported = await runCli(['import', 'verdicts', 'gpt4.jsonl', '--pairwise'], { cwd: dir });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('verdicts imported already combined (the order shown is not known)');
    const report = JSON.parse(readFileSync(path.join(dir, 'reports/gpt4/report.json'), 'utf8'));
    // SOURCE.md's counts: model_b 1,610, model_a 190, tie 220 + tie (inconsistent) 380.
    expect(report.pairwise.criteria[0]).toMatchObject({ pairs: 2400, wins: 1610, losses: 190, ties: 600 });
    expect(report.pairwise.position[0].first_preference.reason).toContain('imported already combined');

    const result = await runCli(['calibrate', 'reports/gpt4/report.json', '--labels', 'experts.csv', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    const c = JSON.parse(result.stdout).criteria[0];
    const judge = c.raters.find((r: any) => r.rater === 'gpt4_pair').per_vote;
    // Recomputed here from the two files: each expert vote against GPT-4's verdict on the same comparison.
    const withTies = votes.filter((v) => v.vote === v.side).length / votes.length;
    const decisive = votes.filter((v) => v.vote !== 'tie' && v.side !== 'tie');
    expect(judge.with_ties.pairs).toBe(2668);
    expect(judge.with_ties.value).toBeCloseTo(withTies, 12);
    expect(judge.without_ties.pairs).toBe(decisive.length);
    expect(judge.without_ties.value).toBeCloseTo(decisive.filter((v) => v.vote === v.side).length / decisive.length, 12);
    // The paper's figures (Table 2, both turns): GPT-4 against experts 66% with ties over 1,343 + 1,325 votes, 85%
    // without over 859 + 864; expert against expert over 721 + 707 pairs with ties, 479 + 474 without.
    expect(Math.round(judge.with_ties.value * 100)).toBe(66);
    expect(judge.without_ties.pairs).toBe(859 + 864);
    expect(Math.round(judge.without_ties.value * 100)).toBe(85);
    expect(c.human_pairs.with_ties.pairs).toBe(721 + 707);
    expect(c.human_pairs.without_ties.pairs).toBe(479 + 474);
    const byItem = new Map<string, string[]>();
    for (const v of votes) byItem.set(v.item, [...(byItem.get(v.item) ?? []), v.vote]);
    let same = 0;
    let pairs = 0;
    for (const list of byItem.values()) for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) { pairs++; if (list[i] === list[j]) same++; }
    expect(c.human_pairs.with_ties.pairs).toBe(pairs);
    expect(c.human_pairs.with_ties.value).toBeCloseTo(same / pairs, 12);
  }, 60_000);

  it('refuses a file that mixes the two forms, and sides it cannot name', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jury-pairimport-'));
    writeFileSync(path.join(dir, 'rubric.yaml'), 'id: r\nversion: 1\ntitle: R\ncriteria:\n  - id: c\n    question: q?\n    scale: { type: binary }\n    anchors: { 0: no, 1: yes }\n');
    writeFileSync(path.join(dir, 'none.jsonl'), '{"id":"x","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n');
    writeFileSync(path.join(dir, 'jury.yaml'), 'datasets: [none.jsonl]\nrubrics: [rubric.yaml]\njudges:\n  - { id: j, provider: mock, model: m }\n');
    writeFileSync(path.join(dir, 'mixed.jsonl'), '{"item":"p1","criterion":"c","judge":"j","order":"ab","score":"A"}\n{"item":"p1","criterion":"c","judge":"k","winner":"base"}\n{"item":"p2","criterion":"c","judge":"j","order":"ba","score":"A>B"}\n');
    const mixed = await runCli(['import', 'verdicts', 'mixed.jsonl', '--pairwise'], { cwd: dir });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/mixed\.jsonl:2 .*[\s\S]*this line gives a combined `winner`, earlier lines the other form/);
    expect(mixed.stderr).toMatch(/mixed\.jsonl:3 .*[\s\S]*score "A>B" is not one of the labels "A", "B", "tie"/);
    writeFileSync(path.join(dir, 'named.jsonl'), '{"item":"p1","criterion":"c","judge":"j","winner":"v2"}\n{"item":"p2","criterion":"c","judge":"j","winner":"v3"}\n');
    const named = await runCli(['import', 'verdicts', 'named.jsonl', '--pairwise', '--names', 'v1,v2'], { cwd: dir });
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('winner "v3" names no side');
    writeFileSync(path.join(dir, 'shown.jsonl'), '{"item":"p1","criterion":"c","judge":"j","order":"ab","score":"B"}\n{"item":"p1","criterion":"c","judge":"j","order":"ba","score":"A"}\n');
    const shown = await runCli(['import', 'verdicts', 'shown.jsonl', '--pairwise', '--names', 'v1,v2'], { cwd: dir });
    expect(shown.code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, 'reports/shown/report.json'), 'utf8'));
    expect(report.pairwise).toMatchObject({ base: 'v1', candidate: 'v2', orders: 'both' });
    expect(report.pairwise.criteria[0]).toMatchObject({ wins: 1, ties: 0, losses: 0 });
    expect(report.pairwise.position[0].consistency).toMatchObject({ value: 1, pairs: 1 });
  });
});
