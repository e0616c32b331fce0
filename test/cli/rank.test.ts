import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/cli.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/votes');
const CRS = path.join(ROOT, '../shared/datasets/crsarena-dial');
const MT_BENCH = path.join(ROOT, '../shared/datasets/mt-bench-human-judgments');
const rank = (args: string[], cwd = FIXTURES) => runCli(['rank', ...args], { cwd });

interface RankJson {
  version: number;
  files: { file: string; votes: number }[];
  battles: number;
  model: { name: string; tie: number | null; log_likelihood: number | null; prior: number; reason?: string };
  bootstrap: { resamples: number; seed: number; level: number; skipped: number; cluster: string | null; clusters: number | null; reason?: string };
  elo: { initial: number; k: number; scale: number; base: number; order: string };
  head_to_head: { a: string; b: string; battles: number; a_wins: number; ties: number; b_wins: number; p: number | null; p_holm: number | null }[];
  systems: { system: string; rank: number | null; rating: number | null; ci: { low: number; high: number; method: string } | null; rank_ci: { best: number; worst: number } | null; elo: number; elo_rank: number; battles: number; wins: number; ties: number; losses: number }[];
}
const json = async (args: string[], cwd = FIXTURES): Promise<RankJson> => {
  const result = await rank([...args, '--format', 'json'], cwd);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as RankJson;
};

/** FastChat's compute_elo (as the CRS Arena notebook copies it), written out again from the rows of a CSV. */
function referenceElo(rows: { a: string; b: string; vote: string }[], k: number): Map<string, number> {
  const ratings = new Map<string, number>();
  for (const { a, b, vote } of rows) {
    const ra = ratings.get(a) ?? 1000;
    const rb = ratings.get(b) ?? 1000;
    const ea = 1 / (1 + 10 ** ((rb - ra) / 400));
    const eb = 1 / (1 + 10 ** ((ra - rb) / 400));
    const sa = vote === a ? 1 : vote === b ? 0 : 0.5;
    ratings.set(a, ra + k * (sa - ea));
    ratings.set(b, rb + k * (1 - sa - eb));
  }
  return ratings;
}

describe('jury rank', () => {
  it('reads CSV and JSONL layouts alike (a/b/winner with names, model_a/model_b/winner with model_a|model_b|tie)', async () => {
    const csv = await json(['small.csv']);
    const jsonl = await json(['small.jsonl']);
    expect(jsonl.systems).toEqual(csv.systems);
    expect(csv.version).toBe(1);
    expect(csv.files).toEqual([{ file: 'small.csv', votes: 6 }]);
    expect(csv.battles).toBe(6);
    expect(csv.model).toMatchObject({ name: 'davidson', prior: 0 });
    expect(csv.bootstrap).toMatchObject({ resamples: 1000, seed: 1, level: 0.95 });
    expect(csv.elo).toEqual({ initial: 1000, k: 16, scale: 400, base: 10, order: 'file' });
    const x = csv.systems.find((s) => s.system === 'x')!;
    expect(x).toMatchObject({ battles: 4, wins: 1, ties: 1, losses: 2 });
    expect(csv.head_to_head.map((h) => [h.a, h.b, h.a_wins, h.ties, h.b_wins].join(' ')).sort()).toEqual(['y x 1 0 1', 'y z 1 1 0', 'z x 1 1 0']);
  });

  it('takes the Elo settings and the order from flags; the shuffle follows the seed', async () => {
    const rows = readFileSync(path.join(FIXTURES, 'small.csv'), 'utf8').trim().split('\n').slice(1).map((l) => {
      const [a, b, vote] = l.split(',');
      return { a: a!, b: b!, vote: vote! };
    });
    const k32 = await json(['small.csv', '--elo-k', '32', '--elo-initial', '1500']);
    const expected = referenceElo(rows, 32);
    for (const s of k32.systems) expect(s.elo).toBeCloseTo(expected.get(s.system)! + 500, 9);
    const shuffled = await json(['small.csv', '--elo-order', 'shuffled', '--seed', '3']);
    expect(shuffled.elo.order).toBe('shuffled');
    expect(shuffled.systems.map((s) => s.elo)).not.toEqual((await json(['small.csv', '--seed', '3'])).systems.map((s) => s.elo));
    expect(shuffled).toEqual(await json(['small.csv', '--elo-order', 'shuffled', '--seed', '3']));
  });

  it('--columns names another layout', async () => {
    const result = await json(['other-columns.csv', '--columns', 'first,second,verdict', '--prior', '0.5']);
    expect(result.systems.map((s) => s.system).sort()).toEqual(['x', 'y']);
    expect(result.model.prior).toBe(0.5);
  });

  it.each([
    [['bad-winner.csv'], 'bad-winner.csv:3', '`winner` is `somebody`, which names neither system'],
    [['other-columns.csv'], 'other-columns.csv:1', 'the header (first, second, verdict) names no known vote layout'],
    [['other-columns.csv', '--columns', 'first,second,judge'], 'other-columns.csv:1', 'no column `judge` in the header'],
    [['self.csv'], 'self.csv:2', 'a battle of `x` against itself'],
    [['missing.csv'], 'missing.csv', ''],
    [['small.csv', '--columns', 'a,b'], 'three different column names', ''],
    [['small.csv', '--prior', '-1'], "option '--prior <n>' argument '-1' is invalid", ''],
    [['small.csv', '--cluster', 'question'], 'small.csv:1', 'no column `question` in the header'],
  ])('refuses %j clearly, exit 2', async (args, first, second) => {
    const result = await rank(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(first);
    expect(result.stderr).toContain(second);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('prints a table best first, with the model, the bootstrap and the Elo settings in words', async () => {
    const result = await rank(['small.csv', '--resamples', '200', '--prior', '0.5']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^rank\s+system\s+rating\s+95% CI\s+rank range\s+Elo \(K=16\)\s+battles\s+won\s+tied\s+lost$/);
    expect(result.stdout).toContain('Bradley–Terry with ties (Davidson 1970) fitted to all 6 battles at once');
    expect(result.stdout).toContain('bootstrap over the battles (200 resamples, seed 1)');
    expect(result.stdout).toContain('Elo: online, from 1000, K = 16, battles in file order');
    expect(result.stdout).toContain('With 0.5 pseudo-wins and as many pseudo-losses per system');
    expect(result.stdout).toMatch(/^y vs z\s+2\s+1\s+1\s+0\s+0\.75 \[/m);
    expect(result.stdout).toContain('Head to head: a tie counts half a win');
    // Six battles between three systems: too few resamples keep every system linked for an interval.
    const plain = await rank(['small.csv', '--resamples', '200']);
    expect(plain.stdout).toMatch(/No intervals: the model has no fit in \d+ of 200 resamples/);
  });

  const published = {
    // CRS Arena's DataAnalysis.md (iai-group/crsarena-dial): Elo from 1000, K = 16, votes in file order.
    open: { chatgpt_opendialkg: 1056, barcor_redial: 1052, chatgpt_redial: 1036, kbrd_redial: 1027, unicrs_redial: 991, unicrs_opendialkg: 974, barcor_opendialkg: 968, kbrd_opendialkg: 966, crbcrs_redial: 930 },
    closed: { chatgpt_redial: 1085, chatgpt_opendialkg: 1066, barcor_redial: 1044, barcor_opendialkg: 1008, kbrd_redial: 985, crbcrs_redial: 964, unicrs_opendialkg: 953, unicrs_redial: 952, kbrd_opendialkg: 942 },
    // "Global": the open votes, then the closed ones.
    both: { chatgpt_opendialkg: 1102, chatgpt_redial: 1102, barcor_redial: 1077, kbrd_redial: 994, barcor_opendialkg: 988, unicrs_redial: 950, unicrs_opendialkg: 937, crbcrs_redial: 930, kbrd_opendialkg: 920 },
  };

  it.skipIf(!existsSync(CRS))('CRSArena-Dial: the authors\' Elo ratings for each setting and both together, to the point (skipped when ../shared/datasets/crsarena-dial is absent)', async () => {
    const settings = { open: ['votes_open.csv'], closed: ['votes_closed.csv'], both: ['votes_open.csv', 'votes_closed.csv'] } as const;
    for (const [setting, files] of Object.entries(settings) as [keyof typeof settings, readonly string[]][]) {
      const result = await json([...files, '--resamples', '200'], CRS);
      expect(Object.fromEntries(result.systems.map((s) => [s.system, Math.round(s.elo)]))).toEqual(published[setting]);
      // Their table ranks equal whole ratings together (two systems share first place in the global table).
      const ranks = Object.fromEntries(result.systems.map((s) => [s.system, s.elo_rank]));
      if (setting === 'both') expect([ranks.chatgpt_opendialkg, ranks.chatgpt_redial, ranks.barcor_redial]).toEqual([1, 1, 3]);
      const rows = files.flatMap((f) => readFileSync(path.join(CRS, f), 'utf8').trim().split('\n').slice(1).map((l) => {
        const [, , a, b, vote] = l.split(',');
        return { a: a!, b: b!, vote: vote! };
      }));
      const reference = referenceElo(rows, 16);
      for (const s of result.systems) expect(s.elo).toBeCloseTo(reference.get(s.system)!, 9);
      expect(result.battles).toBe(rows.length);
    }
  });

  it.skipIf(!existsSync(CRS))('CRSArena-Dial: Bradley–Terry ranks with intervals where the votes allow a fit, and says why not where they do not (skipped when ../shared/datasets/crsarena-dial is absent)', async () => {
    const closed = await json(['votes_closed.csv'], CRS);
    expect(closed.model.reason).toBeUndefined();
    expect(closed.systems.every((s) => s.ci !== null && s.rank_ci !== null && s.ci.low <= s.rating! && s.rating! <= s.ci.high)).toBe(true);
    // ChatGPT-based systems on top, as in the authors' Elo table; the KBRD trained on OpenDialKG last.
    expect(closed.systems.slice(0, 2).map((s) => s.system).sort()).toEqual(['chatgpt_opendialkg', 'chatgpt_redial']);
    expect(closed.systems.at(-1)!.system).toBe('kbrd_opendialkg');
    // In the open setting the two KBRDs only ever lost to the others: no maximum-likelihood fit, Elo still given.
    const open = await json(['votes_open.csv'], CRS);
    expect(open.model.reason).toBe('kbrd_redial, kbrd_opendialkg never beat or tied any of the other systems, so how far below them they stand has no finite estimate');
    expect(open.systems.every((s) => s.rating === null)).toBe(true);
    const withPrior = await json(['votes_open.csv', '--prior', '0.5'], CRS);
    expect(withPrior.systems.every((s) => s.rating !== null && s.ci !== null)).toBe(true);
  });

  it.skipIf(!existsSync(MT_BENCH))('MT-Bench: GPT-4\'s pairwise verdicts, `tie (inconsistent)` counted as a tie as its authors count it (skipped when ../shared/datasets/mt-bench-human-judgments is absent)', async () => {
    const gpt4 = await json(['gpt4_pair_votes.csv', '--resamples', '200'], MT_BENCH);
    // 2,400 verdicts: 220 consistent ties and 380 inconsistent ones, each tie counted for both systems.
    expect(gpt4.battles).toBe(2400);
    expect(gpt4.systems.reduce((sum, s) => sum + s.ties, 0)).toBe(2 * (220 + 380));
    expect(gpt4.systems.map((s) => s.system)).toEqual(['gpt-4', 'claude-v1', 'gpt-3.5-turbo', 'vicuna-13b-v1.2', 'alpaca-13b', 'llama-13b']);
    // The experts order the six the same way at the ends (model_a/model_b/winner layout, read without --columns).
    const people = await json(['human_votes.csv', '--resamples', '200'], MT_BENCH);
    expect(people.battles).toBe(3355);
    expect([people.systems[0]!.system, people.systems.at(-1)!.system]).toEqual(['gpt-4', 'llama-13b']);
    // Votes on one question move together: resampling the 80 questions whole widens every interval.
    const grouped = await json(['human_votes.csv', '--resamples', '200', '--cluster', 'question_id'], MT_BENCH);
    expect(grouped.bootstrap).toMatchObject({ cluster: 'question_id', clusters: 80 });
    const width = (r: RankJson, name: string) => {
      const ci = r.systems.find((s) => s.system === name)!.ci!;
      return ci.high - ci.low;
    };
    for (const name of ['gpt-4', 'claude-v1', 'llama-13b']) expect(width(grouped, name)).toBeGreaterThan(width(people, name));
    expect(grouped.systems.map((s) => s.rating)).toEqual(people.systems.map((s) => s.rating));
  });

  it.skipIf(!existsSync(CRS))("reads the pairs file `jury import crsarena-dial` writes (system_a, system_b, winner a|b|tie), one battle per pair (skipped when ../shared/datasets/crsarena-dial is absent)", async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'jury-rank-'));
    const imported = await runCli(['import', 'crsarena-dial', CRS, '-o', out], { cwd: ROOT });
    expect(imported.code, imported.stderr).toBe(0);
    const pairs = readFileSync(path.join(out, 'crsarena-dial-pairs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { system_a: string; system_b: string; winner: string });
    const result = await json([path.join(out, 'crsarena-dial-pairs.jsonl'), '--resamples', '200', '--cluster', 'user']);
    expect(result.battles).toBe(pairs.length);
    expect(result.bootstrap.cluster).toBe('user');
    // Wins read from a/b in the pairs' own terms: chatgpt_redial's record recounted from the file.
    const mine = pairs.filter((p) => p.system_a === 'chatgpt_redial' || p.system_b === 'chatgpt_redial');
    const won = mine.filter((p) => (p.winner === 'a' && p.system_a === 'chatgpt_redial') || (p.winner === 'b' && p.system_b === 'chatgpt_redial')).length;
    expect(result.systems.find((s) => s.system === 'chatgpt_redial')).toMatchObject({ battles: mine.length, wins: won, ties: mine.filter((p) => p.winner === 'tie').length });
  });
});
