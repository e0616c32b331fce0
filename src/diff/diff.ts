import { bootstrapInterval } from '../stats/bootstrap.js';
import { holm, wilcoxonSignedRank, type PairedTest } from '../stats/paired.js';
import { seededRng } from '../stats/rng.js';
import type { Report, UnitResult } from '../report/report.js';
import { compareIds } from '../format/compare-ids.js';
import type { SliceDiffFamily } from './slices.js';

export type Change = 'improved' | 'regressed' | 'no significant change' | 'not tested';

export interface CriterionDiff {
  rubric: string;
  criterion: string;
  /** Items scored in both reports. */
  pairs: number;
  base_mean: number | null;
  candidate_mean: number | null;
  /** Mean of candidate − base over paired items, with a 95% bootstrap CI over items. */
  difference: number | null;
  ci: { low: number; high: number } | null;
  test: (PairedTest & { p_holm: number }) | null;
  change: Change;
  note?: string;
}

export interface ItemRegression {
  item: string;
  rubric: string;
  criterion: string;
  base: number;
  candidate: number;
  drop: number;
  /** Each judge's reasoning in both runs (conversation-level criteria). */
  reasoning: { judge: string; base?: string; candidate?: string }[];
}

export interface Diff {
  base_label: string;
  candidate_label: string;
  /** Why the numbers may not be comparable (rubric versions, judge models, simulated scores). */
  warnings: string[];
  comparable: boolean;
  /** `coverage` says how partial the match is, when some items are in one report only. */
  items: { matched: number; added: string[]; removed: string[]; coverage?: string };
  criteria: CriterionDiff[];
  regressions: ItemRegression[];
  significance: number;
  /** The comparison cut by metadata (`--by`), one Holm family per key. */
  slices?: SliceDiffFamily[];
}

export interface DiffOptions {
  /** An item regresses on a criterion when its panel score drops by at least this much. Default 1. */
  minDrop?: number;
  /** Family-wise significance level after Holm's correction. Default 0.05. */
  significance?: number;
  seed?: number;
  resamples?: number;
}

/** Per item, the mean of its scored panel scores on a criterion (several on per-turn rubrics). */
export function itemScores(report: Report): Map<string, Map<string, { score: number; units: UnitResult[] }>> {
  const out = new Map<string, Map<string, { score: number; units: UnitResult[] }>>();
  for (const item of report.items) {
    const byCriterion = new Map<string, UnitResult[]>();
    for (const unit of item.results) byCriterion.set(`${unit.rubric}/${unit.criterion}`, [...(byCriterion.get(`${unit.rubric}/${unit.criterion}`) ?? []), unit]);
    for (const [key, units] of byCriterion) {
      const scored = units.flatMap((u) => (u.panel.status === 'scored' && typeof u.panel.score === 'number' ? [u.panel.score] : []));
      if (scored.length === 0) continue;
      const entry = out.get(key) ?? new Map();
      entry.set(item.id, { score: scored.reduce((a, b) => a + b, 0) / scored.length, units });
      out.set(key, entry);
    }
  }
  return out;
}

/**
 * Compares two reports of the same scenarios: items matched by id; per criterion the paired mean difference
 * with a bootstrap CI and a Wilcoxon signed-rank test, Holm-corrected across criteria; per item the drops of
 * at least `minDrop`, largest first. Pure.
 */
export function diffReports(base: Report, candidate: Report, options: DiffOptions = {}): Diff {
  const minDrop = options.minDrop ?? 1;
  const significance = options.significance ?? 0.05;
  const incomparable = comparabilityWarnings(base, candidate);
  const warnings = [...incomparable];
  if (base.simulated || candidate.simulated) warnings.push('simulated scores: a report was made with the mock judge');
  for (const [role, report] of [['base', base], ['candidate', candidate]] as const) {
    if (report.incomplete) warnings.push(`the ${role} report is incomplete: ${report.incomplete.missing_verdicts} verdicts missing`);
  }
  const baseIds = new Set(base.items.map((i) => i.id));
  const candidateIds = new Set(candidate.items.map((i) => i.id));
  const baseScores = itemScores(base);
  const candidateScores = itemScores(candidate);

  const criteria: CriterionDiff[] = [];
  const regressions: ItemRegression[] = [];
  for (const summary of candidate.criteria) {
    const key = `${summary.rubric}/${summary.criterion}`;
    const inBase = base.criteria.find((c) => c.rubric === summary.rubric && c.criterion === summary.criterion);
    const entry: CriterionDiff = { rubric: summary.rubric, criterion: summary.criterion, pairs: 0, base_mean: inBase?.mean ?? null, candidate_mean: summary.mean, difference: null, ci: null, test: null, change: 'not tested' };
    criteria.push(entry);
    if (!inBase) {
      entry.note = 'criterion not in the base report';
      continue;
    }
    if (summary.scale.type === 'categorical') {
      entry.note = 'categorical scale: no mean to compare';
      continue;
    }
    const b = baseScores.get(key) ?? new Map<string, { score: number; units: UnitResult[] }>();
    const c = candidateScores.get(key) ?? new Map<string, { score: number; units: UnitResult[] }>();
    const ids = [...c.keys()].filter((id) => b.has(id)).sort();
    const differences = ids.map((id) => c.get(id)!.score - b.get(id)!.score);
    entry.pairs = ids.length;
    if (ids.length === 0) {
      entry.note = 'no item scored in both reports';
      continue;
    }
    Object.assign(entry, pairedDifference(differences, options));
    ids.forEach((id, i) => {
      if (-differences[i]! < minDrop) return;
      const baseUnits = b.get(id)!.units;
      const candidateUnits = c.get(id)!.units;
      const judges = [...new Set([...baseUnits, ...candidateUnits].flatMap((u) => u.verdicts.map((v) => v.judge)))].sort();
      const reasonOf = (units: UnitResult[], judge: string) => {
        if (units.length !== 1) return undefined;
        const v = units[0]!.verdicts.find((x) => x.judge === judge && x.status === 'scored');
        return v && v.status === 'scored' ? `${v.score}: ${v.reasoning}` : undefined;
      };
      regressions.push({
        item: id, rubric: summary.rubric, criterion: summary.criterion, base: b.get(id)!.score, candidate: c.get(id)!.score, drop: -differences[i]!,
        reasoning: judges.map((judge) => ({ judge, base: reasonOf(baseUnits, judge), candidate: reasonOf(candidateUnits, judge) })),
      });
    });
  }
  decideFamily(criteria, significance);
  regressions.sort((x, y) => y.drop - x.drop || compareIds(x.item, y.item) || compareIds(x.criterion, y.criterion) || compareIds(x.rubric, y.rubric));
  const matched = [...candidateIds].filter((id) => baseIds.has(id)).length;
  const added = [...candidateIds].filter((id) => !baseIds.has(id)).sort();
  const removed = [...baseIds].filter((id) => !candidateIds.has(id)).sort();
  const coverage = matched > 0 && (added.length || removed.length) ? matchCoverage(matched, added.length, removed.length) : undefined;
  if (coverage) warnings.unshift(coverage);
  return {
    base_label: base.run.label,
    candidate_label: candidate.run.label,
    warnings,
    comparable: incomparable.length === 0,
    items: { matched, added, removed, ...(coverage ? { coverage } : {}) },
    criteria,
    regressions,
    significance,
  };
}

/** The mean paired difference with a bootstrap CI over items and a Wilcoxon signed-rank test (Holm p set later). */
export function pairedDifference(differences: readonly number[], options: Pick<DiffOptions, 'seed' | 'resamples'>): Pick<CriterionDiff, 'difference' | 'ci' | 'test'> {
  const interval = bootstrapInterval(differences.length, (sel) => {
    let sum = 0;
    for (let i = 0; i < sel.length; i++) sum += differences[sel[i]!]!;
    return { value: sum / sel.length };
  }, seededRng(options.seed ?? 1), { resamples: options.resamples ?? 2000 });
  return {
    difference: differences.reduce((x, y) => x + y, 0) / differences.length,
    ci: interval.low === null ? null : { low: interval.low, high: interval.high },
    test: { ...wilcoxonSignedRank(differences), p_holm: 1 },
  };
}

/**
 * Holm's correction over one family of tests, then each one's verdict. A comparison on which no item changed
 * cannot reject anything; it is left out of the family rather than inflating the correction for the others.
 */
export function decideFamily(family: Pick<CriterionDiff, 'test' | 'difference' | 'change'>[], significance: number): void {
  for (const c of family) if (c.test && c.test.n === 0) c.change = 'no significant change';
  const tested = family.filter((c) => c.test && c.test.n > 0);
  const adjusted = holm(tested.map((c) => c.test!.p_value));
  tested.forEach((c, i) => {
    c.test!.p_holm = adjusted[i]!;
    c.change = c.test!.p_holm < significance && c.difference !== 0 ? (c.difference! < 0 ? 'regressed' : 'improved') : 'no significant change';
  });
}

/** "only 12 of 30 items matched (40%)…": a partial match is said first, as it changes what every number means. */
export function matchCoverage(matched: number, onlyCandidate: number, onlyBase: number): string {
  const all = matched + onlyCandidate + onlyBase;
  const percent = Math.floor((matched / all) * 100);
  return `only ${matched} of ${all} items are in both reports (${percent}%): ${onlyCandidate} only in the candidate, ${onlyBase} only in the base; the comparison covers the ${matched}`;
}

/** Differences that make two reports' numbers incomparable: rubric versions, judge models, the panel. */
export function comparabilityWarnings(base: Report, candidate: Report): string[] {
  const warnings: string[] = [];
  for (const rubric of candidate.run.rubrics) {
    const other = base.run.rubrics.find((r) => r.id === rubric.id);
    if (other && other.version !== rubric.version) warnings.push(`rubric ${rubric.id} is version ${other.version} in the base and ${rubric.version} in the candidate`);
  }
  const panel = (r: Report) => r.run.judges.map((j) => `${j.id}=${j.provider}:${j.model}`).join(', ');
  if (panel(base) !== panel(candidate)) warnings.push(`the judges differ: base [${panel(base)}], candidate [${panel(candidate)}]`);
  return warnings;
}
