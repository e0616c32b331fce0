import { hodgesLehmann, shiftInterval } from '../stats/hodges-lehmann.js';
import { holm, wilcoxonSignedRank, type PairedTest } from '../stats/paired.js';
import type { Report, UnitResult } from '../report/report.js';
import { compareIds } from '../format/compare-ids.js';
import type { SliceDiffFamily } from './slices.js';
import { itemScores } from './item-scores.js';
import { detectableInDiff } from './power.js';
import type { Detectable } from '../stats/power.js';
import { namesCriterion } from '../format/criterion-name.js';

export { exactPanelScore, itemScores } from './item-scores.js';

export type Change = 'improved' | 'regressed' | 'no significant change' | 'not tested';

export interface CriterionDiff {
  rubric: string;
  criterion: string;
  /** Items scored in both reports. */
  pairs: number;
  base_mean: number | null;
  candidate_mean: number | null;
  /** Mean of candidate − base over paired items (descriptive). */
  difference: number | null;
  /** The Hodges–Lehmann shift of candidate − base: the quantity the signed-rank test is about. */
  shift: number | null;
  /**
   * The shift's signed-rank interval at the level Holm tested this criterion at (`level`), so that it holds 0
   * exactly when the verdict is "no significant change". An open end (`low_open`) excludes its own value.
   */
  ci: { low: number; high: number; level: number; low_open?: true; high_open?: true } | null;
  ci_reason?: string;
  test: (PairedTest & { p_holm: number }) | null;
  change: Change;
  note?: string;
  /** A lower score is the better one: a negative shift is an improvement, a positive one a regression. */
  better?: 'lower';
  /** With primary criteria configured: which Holm family this criterion was tested in. */
  family?: 'primary' | 'secondary';
  /**
   * Beside "no significant change": the smallest drop these items would have detected with 80% power at the
   * family's level (a lone regression among m tests is tested at significance / m), from their own differences.
   */
  detectable?: Detectable & { alpha: number };
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
  /** Criteria tested in their own, smaller Holm family (`primary`); the rest form a second family. */
  primary?: string[];
  /** The comparison cut by metadata (`--by`), one Holm family per key. */
  slices?: SliceDiffFamily[];
}

export interface DiffOptions {
  /** An item regresses on a criterion when its panel score drops by at least this much. Default 1. */
  minDrop?: number;
  /** Family-wise significance level after Holm's correction. Default 0.05. */
  significance?: number;
  /**
   * Criteria (`rubric/criterion` or an id) tested as their own Holm family: a smaller family is more sensitive.
   * The others form a second family, so the chance of a false alarm anywhere is at most twice the significance.
   */
  primary?: readonly string[];
  /** Leave out the minimal detectable effect (it is simulated: ~0.1 s a criterion). */
  skipDetectable?: boolean;
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
  const paired = new Map<object, readonly number[]>();
  const regressions: ItemRegression[] = [];
  for (const summary of candidate.criteria) {
    const key = `${summary.rubric}/${summary.criterion}`;
    const inBase = base.criteria.find((c) => c.rubric === summary.rubric && c.criterion === summary.criterion);
    const entry: CriterionDiff = { rubric: summary.rubric, criterion: summary.criterion, pairs: 0, base_mean: inBase?.mean ?? null, candidate_mean: summary.mean, difference: null, shift: null, ci: null, test: null, change: 'not tested' };
    if (summary.better === 'lower') entry.better = 'lower';
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
    Object.assign(entry, pairedDifference(differences));
    paired.set(entry, differences);
    // What counts as a drop: a lower score, or a higher one where lower is better.
    const worse = summary.better === 'lower' ? -1 : 1;
    ids.forEach((id, i) => {
      // Read at 1e-9 like the test: 13/3 − 10/3 is a hair under 1 in binary, and it is a drop of one point.
      if (-worse * differences[i]! < minDrop - 1e-9) return;
      const baseUnits = b.get(id)!.units;
      const candidateUnits = c.get(id)!.units;
      const judges = [...new Set([...baseUnits, ...candidateUnits].flatMap((u) => u.verdicts.map((v) => v.judge)))].sort();
      const reasonOf = (units: UnitResult[], judge: string) => {
        if (units.length !== 1) return undefined;
        const v = units[0]!.verdicts.find((x) => x.judge === judge && x.status === 'scored');
        return v && v.status === 'scored' ? `${v.score}: ${v.reasoning}` : undefined;
      };
      regressions.push({
        item: id, rubric: summary.rubric, criterion: summary.criterion, base: b.get(id)!.score, candidate: c.get(id)!.score, drop: -worse * differences[i]!,
        reasoning: judges.map((judge) => ({ judge, base: reasonOf(baseUnits, judge), candidate: reasonOf(candidateUnits, judge) })),
      });
    });
  }
  const primary = options.primary?.length ? options.primary : undefined;
  if (primary) {
    const isPrimary = (c: CriterionDiff) => primary.some((name) => namesCriterion(name, c.rubric, c.criterion));
    for (const name of primary) if (!candidate.criteria.some((c) => namesCriterion(name, c.rubric, c.criterion))) warnings.push(`primary criterion ${name} is not a criterion of the candidate report`);
    for (const c of criteria) c.family = isPrimary(c) ? 'primary' : 'secondary';
    decideFamily(criteria.filter(isPrimary), significance, paired);
    decideFamily(criteria.filter((c) => !isPrimary(c)), significance, paired);
  } else decideFamily(criteria, significance, paired);
  if (!options.skipDetectable) {
    for (const family of primary ? ['primary', 'secondary'] : [undefined]) {
      const members = criteria.filter((c) => c.family === family);
      const m = members.filter((c) => c.test && c.test.n > 0).length;
      for (const c of members) {
        if (c.change !== 'no significant change' || !c.test || c.test.n === 0) continue;
        const summary = candidate.criteria.find((x) => x.rubric === c.rubric && x.criterion === c.criterion)!;
        const alpha = significance / m;
        c.detectable = { ...detectableInDiff(paired.get(c)!, summary.scale, alpha), alpha };
      }
    }
  }
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
    ...(primary ? { primary: [...primary] } : {}),
  };
}

/** The mean paired difference, the Hodges–Lehmann shift and the Wilcoxon signed-rank test (Holm p and interval set later). */
export function pairedDifference(differences: readonly number[]): Pick<CriterionDiff, 'difference' | 'shift' | 'ci' | 'test'> {
  return {
    difference: differences.reduce((x, y) => x + y, 0) / differences.length,
    shift: hodgesLehmann(differences),
    ci: null,
    test: { ...wilcoxonSignedRank(differences), p_holm: 1 },
  };
}

/**
 * Holm's correction over one family of tests, then each one's verdict and interval. A comparison on which no
 * item changed cannot reject anything; it is left out of the family rather than inflating the correction for
 * the others. The interval of each tested shift is taken at the level Holm tested it at: the i-th smallest p
 * at α/(m − i + 1) while rejections go on, and every criterion from the first one kept at that step's level.
 * So an interval excludes 0 exactly when its verdict is a change (the test at 0 and the interval are one
 * inversion of the same signed-rank test).
 */
export function decideFamily(family: Pick<CriterionDiff, 'test' | 'difference' | 'shift' | 'change' | 'ci' | 'ci_reason' | 'better'>[], significance: number, differences: ReadonlyMap<object, readonly number[]> = new Map()): void {
  for (const c of family) if (c.test && c.test.n === 0) c.change = 'no significant change';
  const tested = family.filter((c) => c.test && c.test.n > 0);
  const m = tested.length;
  const adjusted = holm(tested.map((c) => c.test!.p_value));
  const levels = new Map<object, number>();
  // Holm's order: ascending p, ties in input order (holm() sorts the same way).
  const order = tested.map((c, i) => [c, i] as const).sort((a, b) => a[0].test!.p_value - b[0].test!.p_value || a[1] - b[1]);
  let stopped: number | undefined;
  order.forEach(([c, i], rank) => {
    if (stopped === undefined && !(adjusted[i]! < significance)) stopped = rank;
    levels.set(c, significance / (m - (stopped ?? rank)));
  });
  tested.forEach((c, i) => {
    c.test!.p_holm = adjusted[i]!;
    const direction = Math.sign(c.shift || c.difference || 0) * (c.better === 'lower' ? -1 : 1);
    c.change = c.test!.p_holm < significance && direction !== 0 ? (direction < 0 ? 'regressed' : 'improved') : 'no significant change';
  });
  for (const c of family) {
    const d = differences.get(c);
    if (!d || d.length === 0) continue;
    const interval = shiftInterval(d, levels.get(c) ?? significance);
    if (interval.low === null) {
      c.ci = null;
      c.ci_reason = interval.reason;
    } else c.ci = interval;
  }
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
