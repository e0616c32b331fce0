import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, workspace, type CliResult } from '../support/cli.js';

// `jury run --pairwise` with the mock judges on the shipped example: v2 against v1, the same 30 scenarios.
const V1 = 'datasets/music-recs/v1.jsonl';
const V2 = 'datasets/music-recs/v2.jsonl';
const PAIRWISE = ['--pairwise', V1, V2];
let dir: string;
let first: CliResult;

const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
const report = (sub = 'reports/v1-vs-v2') => JSON.parse(read(`${sub}/report.json`));
const journal = (sub = 'reports/v1-vs-v2') => read(`${sub}/verdicts.jsonl`).trim().split('\n').map((l) => JSON.parse(l));

beforeAll(async () => {
  dir = workspace();
  first = await runCli(['run', '--mock', ...PAIRWISE], { cwd: dir });
});

describe('jury run --pairwise (mock judges)', () => {
  it('judges every matched pair on every conversation criterion in both orders, and says what it left out', () => {
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('rubric recommendation-turns judges single assistant turns');
    const r = report();
    expect(r.pairwise.base).toBe('v1');
    expect(r.pairwise.candidate).toBe('v2');
    expect(r.pairwise.orders).toBe('both');
    // 3 criteria of conversational-quality and 7 of music-recommendation.
    expect(r.pairwise.criteria).toHaveLength(10);
    expect(r.pairwise.criteria.every((c: any) => c.pairs + c.unscored === 30)).toBe(true);
    expect(r.pairwise.criteria.every((c: any) => c.wins + c.ties + c.losses === c.pairs)).toBe(true);
    const records = journal().slice(1);
    // 30 pairs × 10 criteria × 2 orders × 3 judges.
    expect(records).toHaveLength(1800);
    expect(records.filter((x: any) => x.order === 'ab')).toHaveLength(900);
    expect(records.filter((x: any) => x.order === 'ba')).toHaveLength(900);
    expect(records.every((x: any) => ['A', 'B', 'tie'].includes(x.verdict.score))).toBe(true);
    const item = r.items[0];
    expect(item.lengths.base.messages).toBeGreaterThan(0);
    expect(item.lengths.candidate.assistant_chars).toBeGreaterThan(0);
    expect(item.results.map((u: any) => u.order).slice(0, 2)).toEqual(['ab', 'ba']);
    expect(r.pairwise.position.map((p: any) => p.judge)).toEqual(['claude', 'gpt', 'qwen-local']);
    expect(r.pairwise.position.every((p: any) => p.consistency.pairs === 300)).toBe(true);
    // The mock cites the last turn of the prompt: the last message of the conversation shown second, in its own numbering.
    const loss = r.pairwise.criteria.flatMap((c: any) => c.largest_losses)[0];
    const lengths = r.items.find((i: any) => i.id === loss.item).lengths;
    for (const v of loss.verdicts) expect(v.cited).toEqual(v.order === 'ab' ? { base: [], candidate: [lengths.candidate.messages] } : { base: [lengths.base.messages], candidate: [] });
    // Pairwise reports are format v2 (a jury that predates them refuses them); pointwise ones stay v1.
    expect([r.format, r.version]).toEqual(['jury.report', 2]);
  });

  it('refuses a report of a newer format than it reads', async () => {
    const newer = { ...report(), version: 3 };
    writeFileSync(path.join(dir, 'newer.json'), JSON.stringify(newer));
    const result = await runCli(['gate', 'newer.json', '--min-win-rate', '0.1'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('report format v3 is newer than this jury reads (v2)');
  });

  it('prints the head-to-head table and the position audit', () => {
    expect(first.stdout).toContain('v2 (candidate) against v1 (base), each pair judged in both orders');
    expect(first.stdout).toMatch(/criterion\s+pairs\s+v2 wins\s+ties\s+losses\s+win rate\s+95% CI\s+p \(Holm\)/);
    expect(first.stdout).toContain('Position: how often each judge gave the same verdict in both orders');
    expect(first.stdout).toContain('SIMULATED');
  });

  it('the table agrees with the report: a win rate is (wins + ties / 2) / pairs', () => {
    // report.json keeps four decimals.
    for (const c of report().pairwise.criteria) expect(c.win_rate.value).toBeCloseTo((c.wins + c.ties / 2) / c.pairs, 4);
  });

  it('resumes a run cut half-way to the same report, asking only what is missing', async () => {
    const whole = read('reports/v1-vs-v2/report.json');
    const file = path.join(dir, 'reports/v1-vs-v2/verdicts.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    const keep = lines.slice(0, 901).join('\n').length + 1;
    truncateSync(file, keep);
    const resumed = await runCli(['run', '--mock', ...PAIRWISE, '--resume', 'reports/v1-vs-v2'], { cwd: dir });
    expect(resumed.code).toBe(0);
    expect(read('reports/v1-vs-v2/report.json')).toBe(whole);
    const run = JSON.parse(read('reports/v1-vs-v2/run.json'));
    expect(run.resumed_verdicts).toBe(900);
    expect(run.planned_verdicts).toBe(1800);
  });

  it('refuses to resume a pairwise journal as a pointwise run, or with the sides swapped', async () => {
    const pointwise = await runCli(['run', '--mock', '--resume', 'reports/v1-vs-v2'], { cwd: dir });
    expect(pointwise.code).toBe(2);
    expect(pointwise.stderr).toContain('this journal was written for another configuration');
    const swapped = await runCli(['run', '--mock', '--pairwise', V2, V1, '--resume', 'reports/v1-vs-v2'], { cwd: dir });
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toContain('this journal was written for another configuration');
  });

  it('shards merge into the report of the whole run, byte for byte', async () => {
    for (const i of [1, 2]) expect((await runCli(['run', '--mock', ...PAIRWISE, '--shard', `${i}/2`], { cwd: dir })).code).toBe(0);
    const merged = await runCli(['merge', 'reports/v1-vs-v2-shard-1of2', 'reports/v1-vs-v2-shard-2of2', '--pairwise', V1, V2, '--out', 'merged'], { cwd: dir });
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    expect(read('merged/v1-vs-v2/report.json')).toBe(read('reports/v1-vs-v2/report.json'));
    // Without the pairwise datasets, the config is another one: refused, with the hint.
    const plain = await runCli(['merge', 'reports/v1-vs-v2-shard-1of2', 'reports/v1-vs-v2-shard-2of2', '--out', 'merged2'], { cwd: dir });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('--pairwise datasets');
  });

  it('--dry-run counts both orders of every pair', async () => {
    const result = await runCli(['run', '--mock', ...PAIRWISE, '--dry-run'], { cwd: dir });
    expect(result.code).toBe(0);
    // 30 pairs × 10 criteria × 2 orders per judge.
    expect(result.stdout).toMatch(/gpt\s+\S+\s+600\b/);
  });

  it('gates on the win rate and on significant losses', async () => {
    const strict = await runCli(['gate', 'reports/v1-vs-v2/report.json', '--min-win-rate', '0.9', '--allow-simulated'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/FAIL\s+min_win_rate\s+conversational-quality\/coherence: v2 win rate [\d.]+ \(95% CI [\d.]+–[\d.]+\) is below 0.9/);
    const lenient = await runCli(['gate', 'reports/v1-vs-v2/report.json', '--min-win-rate', '0.3', '--allow-simulated'], { cwd: dir });
    expect(lenient.code).toBe(0);
    // v2 loses three criteria by the sign test (the mock's planted regressions, as jury diff finds them pointwise).
    const losses = await runCli(['gate', 'reports/v1-vs-v2/report.json', '--fail-on-significant-loss', '--allow-simulated'], { cwd: dir });
    expect(losses.code).toBe(1);
    expect(losses.stdout.match(/FAIL\s+no_significant_loss [^\n]*: v1 is significantly better/g)).toHaveLength(3);
    expect(losses.stdout).toMatch(/FAIL\s+no_significant_loss music-recommendation\/context_retention: 0 wins, 22 ties, 8 losses for v2; sign test Holm p 0.039: v1 is significantly better/);
    // No threshold: a pairwise report is gated on no significant loss, and says so.
    const defaulted = await runCli(['gate', 'reports/v1-vs-v2/report.json', '--allow-simulated'], { cwd: dir });
    expect(defaulted.code).toBe(1);
    expect(defaulted.stdout).toContain('the default gate is no significant loss on any criterion');
    expect(defaulted.stdout.match(/PASS\s+no_significant_loss/g)).toHaveLength(7);
    expect(defaulted.stdout.match(/FAIL\s+no_significant_loss/g)).toHaveLength(3);
    const withBaseline = await runCli(['gate', 'reports/v1-vs-v2/report.json', '--baseline', 'reports/v1-vs-v2/report.json', '--allow-simulated'], { cwd: dir });
    expect(withBaseline.code).toBe(2);
    expect(withBaseline.stderr).toContain('it is gated on its own comparison, not against a baseline');
    // A pointwise report cannot answer a pairwise gate: it fails, saying why.
    expect((await runCli(['run', '--mock', '--label', 'plain'], { cwd: dir })).code).toBe(0);
    expect(report('reports/plain').version).toBe(1);
    const plain = await runCli(['gate', 'reports/plain/report.json', '--min-win-rate', '0.3', '--allow-simulated'], { cwd: dir });
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('this report scores one dataset');
  });
});

describe('pairwise reports read by other commands', () => {
  it('jury rank takes pairwise reports: one battle per pair and criterion, resampled by pair', async () => {
    const r = report();
    const battles = r.pairwise.criteria.reduce((n: number, c: any) => n + c.pairs, 0);
    const all = await runCli(['rank', 'reports/v1-vs-v2/report.json', '--format', 'json'], { cwd: dir });
    expect(all.code).toBe(0);
    const ranked = JSON.parse(all.stdout);
    expect(ranked.files).toEqual([{ file: 'reports/v1-vs-v2/report.json', votes: battles }]);
    expect(ranked.bootstrap.cluster).toBe('pair');
    expect(ranked.bootstrap.clusters).toBe(30);
    const wins = r.pairwise.criteria.reduce((n: number, c: any) => n + c.wins, 0);
    expect(ranked.systems.find((x: any) => x.system === 'v2').wins).toBe(wins);
    const one = JSON.parse((await runCli(['rank', 'reports/v1-vs-v2/report.json', '--criterion', 'conversational-quality/tone', '--format', 'json'], { cwd: dir })).stdout);
    const tone = r.pairwise.criteria.find((c: any) => c.criterion === 'tone');
    expect(one.files[0].votes).toBe(tone.pairs);
    expect(one.criterion).toBe('conversational-quality/tone');
    expect(one.systems.find((x: any) => x.system === 'v1').losses).toBe(tone.wins);
    const unknown = await runCli(['rank', 'reports/v1-vs-v2/report.json', '--criterion', 'nope'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no pairwise criterion `nope` in this report');
    const pointwise = await runCli(['rank', 'reports/plain/report.json'], { cwd: dir });
    expect(pointwise.code).toBe(2);
    expect(pointwise.stderr).toContain('this report scores one dataset; it holds no pairwise verdicts');
  });

  it('jury bias audits position and length on a pairwise report', async () => {
    const text = await runCli(['bias', 'reports/v1-vs-v2/report.json'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Position and length (v2 against v1)');
    expect(text.stdout).toMatch(/judge\s+same verdict both orders \[95% CI\]\s+first shown picked \[95% CI\]\s+longer picked \[95% CI\]/);
    const json = JSON.parse((await runCli(['bias', 'reports/v1-vs-v2/report.json', '--format', 'json'], { cwd: dir })).stdout);
    expect(json.pairwise.position).toEqual(report().pairwise.position);
    expect(json.pairwise.length.map((l: any) => l.judge)).toEqual(['claude', 'gpt', 'qwen-local']);
    expect(json.pairwise.length.every((l: any) => l.longer_preferred.decisive > 0)).toBe(true);
  });

  it('jury calibrate reads pairwise votes by side, whatever order they saw, against each judge and the panel', async () => {
    const r = report();
    const criterion = 'music-recommendation/context_retention';
    const names: Record<string, string> = { base: 'v1', candidate: 'v2', tie: 'tie' };
    // p1 votes the panel's winner; p2 always the candidate; p3 the base on even items, a tie on odd ones.
    const rows = ['item,criterion,annotator,score'];
    const units: { item: string; winner: string; votes: string[]; sides: Record<string, string> }[] = [];
    r.items.forEach((item: any, i: number) => {
      const pref = item.preferences.find((p: any) => `${p.rubric}/${p.criterion}` === criterion);
      const votes = [pref.winner, 'candidate', i % 2 === 0 ? 'base' : 'tie'];
      votes.forEach((v, k) => rows.push(`${item.id},${criterion},p${k + 1},${names[v]}`));
      // Each judge's side by MT-Bench's rule, recomputed here from the positional verdicts.
      const sides: Record<string, string> = {};
      for (const judge of ['claude', 'gpt', 'qwen-local']) {
        const seen = item.results.filter((u: any) => `${u.rubric}/${u.criterion}` === criterion).map((u: any) => {
          const label = u.verdicts.find((v: any) => v.judge === judge).score;
          return label === 'tie' ? 'tie' : (label === 'A') === (u.order === 'ab') ? 'base' : 'candidate';
        });
        sides[judge] = seen[0] === seen[1] ? seen[0] : 'tie';
      }
      units.push({ item: item.id, winner: pref.winner, votes, sides });
    });
    writeFileSync(path.join(dir, 'votes.csv'), `${rows.join('\n')}\n`);
    const result = await runCli(['calibrate', 'reports/v1-vs-v2/report.json', '--labels', 'votes.csv', '--format', 'json'], { cwd: dir });
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(0);
    const c = JSON.parse(result.stdout).criteria.find((x: any) => `${x.rubric}/${x.criterion}` === criterion);
    expect(c.level).toBe('nominal');
    // The majority exists where two votes agree; the panel's winner is then always in it (p1 voted it).
    const majority = units.filter((u) => new Set(u.votes).size < 3);
    const panel = c.raters.find((x: any) => x.rater === 'panel');
    expect(panel.units).toBe(majority.length);
    expect(panel.exact.value).toBe(1);
    // Per vote: each judge's side against each of the three votes.
    for (const judge of ['claude', 'gpt', 'qwen-local']) {
      const matches = units.reduce((n, u) => n + u.votes.filter((v) => v === u.sides[judge]).length, 0);
      expect(c.raters.find((x: any) => x.rater === judge).per_vote.with_ties.value).toBeCloseTo(matches / (3 * units.length), 12);
    }
    // People against each other: three pairs of votes per pair of conversations.
    const agree = units.reduce((n, u) => n + Number(u.votes[0] === u.votes[1]) + Number(u.votes[0] === u.votes[2]) + Number(u.votes[1] === u.votes[2]), 0);
    expect(c.human_pairs.with_ties.value).toBeCloseTo(agree / (3 * units.length), 12);
    expect(c.human_pairs.with_ties.pairs).toBe(3 * units.length);
  });

  it('jury calibrate refuses pairwise votes that name a position', async () => {
    writeFileSync(path.join(dir, 'positional.csv'), 'item,criterion,annotator,score\nstudy-focus,music-recommendation/efficiency,p1,A\n');
    const result = await runCli(['calibrate', 'reports/v1-vs-v2/report.json', '--labels', 'positional.csv'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('1 vote(s) say A or B (e.g. item study-focus, p1): a position');
    expect(result.stderr).toContain('expected: the side the person preferred: v1 or v2 (or base / candidate), or tie');
  });

  it('jury diff refuses a pairwise report, pointing to rank', async () => {
    const result = await runCli(['diff', 'reports/plain/report.json', 'reports/v1-vs-v2/report.json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('this is a pairwise report (v2 against v1): it already compares two versions');
    expect(result.stderr).toContain('jury rank <reports...>');
  });

  it('a hand-edited win count or win rate is refused, never gated', async () => {
    const tampered = report();
    tampered.pairwise.criteria[0].losses += 1;
    tampered.pairwise.criteria[1].win_rate.value = 0.99;
    writeFileSync(path.join(dir, 'tampered.json'), JSON.stringify(tampered));
    const result = await runCli(['gate', 'tampered.json', '--min-win-rate', '0.1', '--allow-simulated'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/conversational-quality\/coherence counts \d+ losses, its items hold \d+/);
    expect(result.stderr).toMatch(/conversational-quality\/outcome has win rate 0.99, its items give/);
  });
});

describe('pairwise settings and bad input', () => {
  it('reads pairwise: from jury.yaml (names, one seeded order per pair, five levels where a rubric asks)', async () => {
    const d = workspace(`label: h2h
pairwise:
  base: [${V1}]
  candidate: [${V2}]
  names: { base: tempo-1, candidate: tempo-2 }
  orders: one
  seed: 7
rubrics: [rubrics/five.yaml]
judges:
  - { id: a, provider: mock, model: a }
  - { id: b, provider: mock, model: b }
`);
    writeFileSync(path.join(d, 'rubrics/five.yaml'), readFileSync(path.join(d, 'rubrics/conversational-quality.yaml'), 'utf8').replace('scope: conversation', 'scope: conversation\npairwise_levels: 5'));
    const result = await runCli(['run'], { cwd: d });
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(0);
    const r = JSON.parse(readFileSync(path.join(d, 'reports/h2h/report.json'), 'utf8'));
    expect([r.pairwise.base, r.pairwise.candidate, r.pairwise.orders, r.pairwise.seed]).toEqual(['tempo-1', 'tempo-2', 'one', 7]);
    expect(r.pairwise.criteria.every((c: any) => c.levels === 5)).toBe(true);
    const records = readFileSync(path.join(d, 'reports/h2h/verdicts.jsonl'), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l));
    // One order per pair: 30 × 3 criteria × 2 judges, both orders used across pairs.
    expect(records).toHaveLength(180);
    expect(new Set(records.map((x: any) => x.order))).toEqual(new Set(['ab', 'ba']));
    expect(records.every((x: any) => ['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A'].includes(x.verdict.score))).toBe(true);
    expect(r.pairwise.position.every((p: any) => p.consistency.value === null && p.consistency.pairs === 0)).toBe(true);
  });

  it('refuses --pairwise with one dataset, with --dataset, and sides with no id in common', async () => {
    const d = workspace();
    const one = await runCli(['run', '--mock', '--pairwise', V1], { cwd: d });
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('--pairwise takes two datasets, got 1');
    const both = await runCli(['run', '--mock', ...PAIRWISE, '--dataset', V1], { cwd: d });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--pairwise names the datasets itself');
    writeFileSync(path.join(d, 'other.jsonl'), `${JSON.stringify({ id: 'elsewhere', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] })}\n`);
    const disjoint = await runCli(['run', '--mock', '--pairwise', V1, 'other.jsonl'], { cwd: d });
    expect(disjoint.code).toBe(2);
    expect(disjoint.stderr).toMatch(/no transcript id of the base .* is also in the candidate/);
    expect(disjoint.stderr).not.toContain('internal error');
    const missing = await runCli(['run', '--mock', '--pairwise', V1, 'nowhere.jsonl'], { cwd: d });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('`nowhere.jsonl` matches no file');
  });

  it('checks the context budget on the request that carries both conversations', async () => {
    const d = workspace();
    writeFileSync(path.join(d, 'jury.yaml'), readFileSync(path.join(d, 'jury.yaml'), 'utf8').replace('    max_concurrency: 8\n', '    max_concurrency: 8\n    max_input_tokens: 1500\n'));
    // Each conversation fits 1,500 tokens alone; two of them with the comparison do not, for some scenarios.
    expect((await runCli(['run', '--mock', '--dry-run'], { cwd: d })).code).toBe(0);
    const pair = await runCli(['run', '--mock', '--dry-run', ...PAIRWISE], { cwd: d });
    expect(pair.code).toBe(2);
    expect(pair.stderr).toMatch(/transcript\/too-long[\s\S]*the pair `[^`]+` \(both conversations in one request\) needs about \d+ input tokens; judge `gpt` takes at most 1500/);
  });

  it('jury validate checks both sides of a pairwise run and says what it would ask', async () => {
    const d = workspace();
    const result = await runCli(['validate', ...PAIRWISE], { cwd: d });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ok: 30 pairs (v1: 30 transcripts, v2: 30), 2 rubrics asked pairwise (10 criteria), 3 judges');
    expect(result.stdout).toContain('plan: 600 units to judge (each criterion of each pair in each order shown), 1800 verdicts to ask for');
    expect(result.stdout).toContain('note: rubric recommendation-turns judges single assistant turns');
    writeFileSync(path.join(d, 'broken.jsonl'), '{"id": "study-focus", "messages": [{"role": "robot", "content": "x"}]}\n');
    const broken = await runCli(['validate', '--pairwise', V1, 'broken.jsonl'], { cwd: d });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('broken.jsonl:1');
  });

  it('names the ids only one side has, and judges the rest', async () => {
    const d = workspace();
    const lines = readFileSync(path.join(d, V2), 'utf8').trim().split('\n');
    writeFileSync(path.join(d, 'v2-part.jsonl'), `${lines.slice(0, 20).join('\n')}\n`);
    const result = await runCli(['run', '--mock', '--pairwise', V1, 'v2-part.jsonl'], { cwd: d });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/10 transcript\(s\) only in the base v1 \(.*, …\) have no counterpart in the candidate: not judged/);
    const r = JSON.parse(readFileSync(path.join(d, 'reports/v1-vs-v2-part/report.json'), 'utf8'));
    expect(r.pairwise.criteria[0].pairs + r.pairwise.criteria[0].unscored).toBe(20);
  });
});
