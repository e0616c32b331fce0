import { humanReference } from '../calibrate/consensus.js';
import type { HumanLabel } from '../labels/labels.js';
import { labelMatches } from '../labels/labels.js';
import type { Report, UnitResult } from '../report/report.js';
import type { Scale } from '../rubric/rubric.js';
import { seededRng } from '../stats/rng.js';
import { compareIds } from '../format/compare-ids.js';
import { labelTables } from '../annotators/table.js';
import { fitModel } from '../annotators/consensus.js';
import { reportScales, withReportCriteria } from '../annotators/judges.js';

export type ReviewReason = 'judge_disagreement' | 'judge_human_disagreement' | 'uncertain_consensus' | 'audit_sample';

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
  /** How many of the units whose Dawid–Skene consensus is least certain (adjudicated units excepted). */
  uncertain?: number;
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
    const human = humanReference(labels.filter((l) => labelMatches(l, u.item, u.unit.rubric, u.unit.criterion, u.unit.turn)), u.scale);
    return typeof human === 'number' && human !== u.unit.panel.score ? [{ u, gap: Math.abs(u.unit.panel.score - human) }] : [];
  });
  gaps.sort((a, b) => b.gap - a.gap || byKey(a.u, b.u));
  for (const { u, gap } of gaps.slice(0, top)) add(u, 'judge_human_disagreement', gap);

  if (options.uncertain) {
    const byUnit = new Map(all.map((u) => [key(u), u]));
    const doubtful = leastCertain(report, labels).flatMap(({ key: k, doubt }) => (byUnit.has(k) ? [{ u: byUnit.get(k)!, doubt }] : []));
    for (const { u, doubt } of doubtful.slice(0, options.uncertain)) add(u, 'uncertain_consensus', doubt);
  }

  if (audit > 0) {
    const rng = seededRng(options.seed ?? 1);
    const strata = new Map<string, typeof all>();
    // Pushed, not spread: a copy per unit made this quadratic (100,000 units of one criterion: 5e9 copies).
    for (const u of [...all].sort(byKey)) {
      const stratum = `${u.unit.rubric}/${u.unit.criterion}`;
      const list = strata.get(stratum);
      if (list) list.push(u);
      else strata.set(stratum, [u]);
    }
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

/**
 * Labelled units by how unsure Dawid–Skene is of their consensus (1 − the largest posterior), most unsure first,
 * keyed like selectForReview's units; units already adjudicated, and criteria whose annotators are anonymous or
 * one person, are left out (no model to ask).
 */
export function leastCertain(report: Report, labels: readonly HumanLabel[]): { key: string; doubt: number }[] {
  const out: { key: string; doubt: number }[] = [];
  for (const table of labelTables(withReportCriteria(labels, report), { scales: reportScales(report) })) {
    if (table.anonymous || table.annotators.length < 2) continue;
    const { fit } = fitModel(table);
    const K = table.scale.points.length;
    const voted = new Set(table.unit);
    table.units.forEach((_, u) => {
      if (!voted.has(u) || table.gold.has(u)) return;
      const doubt = 1 - Math.max(...fit.posterior.subarray(u * K, (u + 1) * K));
      if (doubt > 0) out.push({ key: `${table.items[u]}|${table.criterion}|${table.turns[u] ?? ''}`, doubt });
    });
  }
  return out.sort((a, b) => b.doubt - a.doubt || compareIds(a.key, b.key));
}
