import { consensus } from '../calibrate/consensus.js';
import type { HumanLabel } from '../labels/labels.js';
import { labelMatches } from '../labels/labels.js';
import type { Report, UnitResult } from '../report/report.js';
import type { Scale } from '../rubric/rubric.js';
import { seededRng } from '../stats/rng.js';
import { compareIds } from '../format/compare-ids.js';

export type ReviewReason = 'judge_disagreement' | 'judge_human_disagreement' | 'audit_sample';

export interface ReviewUnit {
  item: string;
  unit: UnitResult;
  scale: Scale;
  reasons: ReviewReason[];
  /** Panel spread, or |panel − human consensus|: how much this unit is worth a person's time. */
  priority: number;
}

export interface SelectOptions {
  /** How many of the most disputed units (judges among themselves), and of the largest judge–human gaps. */
  top?: number;
  /** Share of all units drawn at random as an audit sample, stratified by criterion. */
  audit?: number;
  seed?: number;
}

/**
 * The units most worth a person's time: the widest panel spreads, the largest gaps between the panel and the
 * human consensus, and a seeded random audit sample stratified by criterion (so that quiet criteria are
 * checked too). A unit chosen for several reasons appears once with all of them. Pure.
 */
export function selectForReview(report: Report, labels: readonly HumanLabel[], options: SelectOptions = {}): ReviewUnit[] {
  const top = options.top ?? 20;
  const audit = options.audit ?? 0.05;
  const scales = new Map(report.criteria.map((c) => [`${c.rubric}/${c.criterion}`, c.scale]));
  const all = report.items.flatMap((item) => item.results.map((unit) => ({ item: item.id, unit, scale: scales.get(`${unit.rubric}/${unit.criterion}`)! })));
  const key = (u: { item: string; unit: UnitResult }) => `${u.item}|${u.unit.rubric}/${u.unit.criterion}|${u.unit.turn ?? ''}`;
  const chosen = new Map<string, ReviewUnit>();
  const add = (u: { item: string; unit: UnitResult; scale: Scale }, reason: ReviewReason, priority: number) => {
    const existing = chosen.get(key(u));
    if (existing) {
      existing.reasons.push(reason);
      existing.priority = Math.max(existing.priority, priority);
    } else chosen.set(key(u), { ...u, reasons: [reason], priority });
  };
  const byKey = (a: { item: string; unit: UnitResult }, b: { item: string; unit: UnitResult }) => compareIds(key(a), key(b));

  const disputed = all.flatMap((u) => (u.unit.panel.status === 'scored' && u.unit.panel.spread > 0 ? [{ u, spread: u.unit.panel.spread }] : []));
  disputed.sort((a, b) => b.spread - a.spread || byKey(a.u, b.u));
  for (const { u, spread } of disputed.slice(0, top)) add(u, 'judge_disagreement', spread);

  const gaps = all.flatMap((u) => {
    if (u.unit.panel.status !== 'scored' || typeof u.unit.panel.score !== 'number') return [];
    const human = consensus(labels.filter((l) => labelMatches(l, u.item, u.unit.rubric, u.unit.criterion, u.unit.turn)).map((l) => l.score), u.scale);
    return typeof human === 'number' && human !== u.unit.panel.score ? [{ u, gap: Math.abs(u.unit.panel.score - human) }] : [];
  });
  gaps.sort((a, b) => b.gap - a.gap || byKey(a.u, b.u));
  for (const { u, gap } of gaps.slice(0, top)) add(u, 'judge_human_disagreement', gap);

  if (audit > 0) {
    const rng = seededRng(options.seed ?? 1);
    const strata = new Map<string, typeof all>();
    for (const u of [...all].sort(byKey)) strata.set(`${u.unit.rubric}/${u.unit.criterion}`, [...(strata.get(`${u.unit.rubric}/${u.unit.criterion}`) ?? []), u]);
    for (const stratum of [...strata.keys()].sort()) {
      const units = strata.get(stratum)!;
      const take = Math.max(1, Math.round(units.length * audit));
      // Partial Fisher–Yates: the first `take` of a seeded shuffle.
      for (let i = 0; i < take && i < units.length; i++) {
        const j = i + rng.int(units.length - i);
        [units[i], units[j]] = [units[j]!, units[i]!];
        add(units[i]!, 'audit_sample', 0);
      }
    }
  }
  return [...chosen.values()].sort((a, b) => b.priority - a.priority || byKey(a, b));
}
