import { describe, expect, it } from 'vitest';
import { clusterIndex, clustersOf } from '../../src/stats/bootstrap.js';
import { directBca } from '../support/bca.js';
import { seededRng } from '../../src/stats/rng.js';
import { withCi } from '../../src/stats/stat.js';
import { criterionAgreement, meanWithInterval } from '../../src/aggregate/criterion-agreement.js';
import { krippendorffAlpha } from '../../src/stats/alpha.js';
import { syntheticReport } from '../support/synthetic-report.js';

describe('clusters', () => {
  it('numbers clusters by first appearance and expands a draw into their units, in draw order', () => {
    const index = clusterIndex(['b', 'b', 'a', 'c', 'a']);
    expect([...index]).toEqual([0, 0, 1, 2, 1]);
    const clusters = clustersOf(index);
    expect(clusters.count).toBe(3);
    expect(clusters.singletons).toBe(false);
    expect([...clusters.expand([1, 0, 1])]).toEqual([2, 4, 0, 1, 2, 4]);
    expect([...clusters.expand([])]).toEqual([]);
    expect(clustersOf(clusterIndex(['x', 'y', 'z'])).singletons).toBe(true);
  });
});

describe('per-turn criteria: intervals resample conversations, not turns', () => {
  // 12 conversations of 4 turns; a conversation's turns share its level (strongly nested).
  const level = (item: string) => 1 + (Number(item.slice(-2)) % 5);
  const report = syntheticReport({ items: 12, turns: 4, criteria: ['c1'], judges: ['a', 'b'], score: (_j, item, _c, turn) => Math.min(5, level(item) + ((turn! / 2 - 1) % 2)) });
  const summary = report.criteria[0]!;

  it('the mean\'s interval is a direct resampling of whole conversations (the report\'s seed, 1,000 resamples, BCa)', () => {
    const conversations: number[][] = [];
    const seen = new Map<string, number>();
    for (const item of report.items) {
      for (const unit of item.results) {
        if (unit.panel.status !== 'scored') continue;
        if (!seen.has(item.id)) seen.set(item.id, conversations.push([]) - 1);
        conversations[seen.get(item.id)!]!.push(Number(unit.panel.score));
      }
    }
    expect(conversations).toHaveLength(12);
    expect(conversations.every((c) => c.length === 4)).toBe(true);
    const rng = seededRng(1);
    const means: number[] = [];
    for (let b = 0; b < 1000; b++) {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < 12; i++) {
        const c = conversations[rng.int(12)]!;
        for (const x of c) sum += x;
        n += c.length;
      }
      means.push(sum / n);
    }
    // BCa over those draws; the jackknife leaves out a whole conversation at a time.
    const all = conversations.flat();
    const total = all.reduce((a, b) => a + b, 0);
    const jackknife = conversations.map((c) => (total - c.reduce((a, b) => a + b, 0)) / (all.length - c.length));
    const bca = directBca(means, total / all.length, jackknife);
    expect(summary.mean_ci!.low).toBeCloseTo(bca.low, 12);
    expect(summary.mean_ci!.high).toBeCloseTo(bca.high, 12);
  });

  it('is wider than treating the 48 turns as independent, as nesting demands', () => {
    const width = summary.mean_ci!.high - summary.mean_ci!.low;
    // The same scores with each turn its own conversation.
    const flat = syntheticReport({ items: 48, criteria: ['c1'], judges: ['a', 'b'], score: (_j, item) => { const i = Number(item.slice(-2)); return Math.min(5, level(`item-${String(Math.floor(i / 4)).padStart(2, '0')}`) + (i % 4) % 2); } });
    expect(flat.criteria[0]!.mean).toBeCloseTo(summary.mean!, 12);
    expect(width).toBeGreaterThan(1.3 * (flat.criteria[0]!.mean_ci!.high - flat.criteria[0]!.mean_ci!.low));
    expect(summary.agreement.alpha.ci).not.toBeNull();
  });

  it('calibrate resamples conversations too: withCi with conversations is the same cluster draw', () => {
    const values = [1, 1, 2, 2, 5, 5, 3, 3];
    const items = ['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd'];
    const mean = (sel: ArrayLike<number>) => ({ value: Array.from(sel).reduce((s, i) => s + values[i]!, 0) / sel.length });
    const stat = withCi(8, mean, 3, 500, items);
    const rng = seededRng(3);
    const direct: number[] = [];
    for (let b = 0; b < 500; b++) {
      let sum = 0;
      for (let i = 0; i < 4; i++) sum += 2 * values[2 * rng.int(4)]!;
      direct.push(sum / 8);
    }
    const jackknife = [0, 1, 2, 3].map((c) => (values.reduce((a, b) => a + b, 0) - 2 * values[2 * c]!) / 6);
    const bca = directBca(direct, values.reduce((a, b) => a + b, 0) / 8, jackknife);
    expect(stat.ci!.low).toBeCloseTo(bca.low, 12);
    expect(stat.ci!.high).toBeCloseTo(bca.high, 12);
    // One unit per conversation: the plain bootstrap, unchanged.
    expect(withCi(8, mean, 3, 500, items.map((_, i) => String(i)))).toEqual(withCi(8, mean, 3, 500));
  });

  it('conversation-level criteria keep their intervals exactly (one unit per conversation)', () => {
    const scores = Array.from({ length: 20 }, (_, i) => 1 + ((i * 7) % 5));
    const ids = scores.map((_, i) => `c${i}`);
    expect(meanWithInterval(scores, ids)).toEqual(meanWithInterval(scores));
    const table = scores.map((s, i) => [s, 1 + ((s + i) % 5)]);
    const likert = { type: 'likert' as const, min: 1, max: 5 };
    expect(criterionAgreement(table, ['a', 'b'], likert, ids)).toEqual(criterionAgreement(table, ['a', 'b'], likert));
    // …and nesting changes them.
    const nested = ids.map((_, i) => `c${Math.floor(i / 4)}`);
    expect(meanWithInterval(scores, nested).ci).not.toEqual(meanWithInterval(scores).ci);
    expect(criterionAgreement(table, ['a', 'b'], likert, nested).alpha.ci).not.toEqual(criterionAgreement(table, ['a', 'b'], likert).alpha.ci);
  });
});

describe('per-turn alpha with a turn that only one judge rated', () => {
  it('resamples the conversations of the pairable turns only: a direct cluster bootstrap of alpha, BCa', () => {
    // 15 conversations of 3 turns, three judges; turn 4 (conversation 1) has one rating and drops out of alpha.
    const rng = seededRng(11);
    const rows = Array.from({ length: 45 }, (_, u) => {
      const base = 1 + ((Math.floor(u / 3) * 2 + u) % 5);
      return [base, Math.min(5, base + rng.int(2)), Math.max(1, base - rng.int(2))] as (number | null)[];
    });
    rows[4] = [3, null, null];
    const conversations = rows.map((_, u) => `conv-${Math.floor(u / 3)}`);
    const got = criterionAgreement(rows, ['a', 'b', 'c'], { type: 'likert', min: 1, max: 5 }, conversations).alpha;
    // By hand: the pairable turns grouped by conversation (conversation 1 keeps two turns), whole conversations drawn.
    const pairable = rows.map((row, u) => ({ row, conv: conversations[u]! })).filter(({ row }) => row.filter((v) => v !== null).length >= 2);
    const groups = [...new Set(pairable.map((p) => p.conv))].map((conv) => pairable.filter((p) => p.conv === conv).map((p) => p.row));
    expect(groups).toHaveLength(15);
    expect(groups[1]).toHaveLength(2);
    const draw = seededRng(1);
    const replicates: number[] = [];
    for (let b = 0; b < 1000; b++) {
      const table = Array.from({ length: 15 }, () => groups[draw.int(15)]!).flat();
      replicates.push(krippendorffAlpha(table, 'ordinal').value!);
    }
    const jackknife = groups.map((_, c) => krippendorffAlpha(groups.filter((__, k) => k !== c).flat(), 'ordinal').value!);
    const bca = directBca(replicates, krippendorffAlpha(groups.flat(), 'ordinal').value!, jackknife);
    expect(got.value).toBeCloseTo(krippendorffAlpha(rows, 'ordinal').value!, 12);
    expect(got.ci!.low).toBeCloseTo(bca.low, 10);
    expect(got.ci!.high).toBeCloseTo(bca.high, 10);
  });
});
