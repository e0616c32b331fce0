import { levelOf } from '../aggregate/criterion-agreement.js';
import type { HumanLabel } from '../labels/labels.js';
import { labelMatches } from '../labels/labels.js';
import type { Report } from '../report/report.js';
import type { Scale, Score } from '../rubric/rubric.js';
import { scalePoints } from '../rubric/rubric.js';
import { krippendorffAlpha } from '../stats/alpha.js';
import { bootstrapInterval } from '../stats/bootstrap.js';
import { spearman } from '../stats/correlation.js';
import { cohenKappa } from '../stats/kappa.js';
import { seededRng } from '../stats/rng.js';
import type { Estimate, Level } from '../stats/types.js';
import { consensus, nearestPoint } from './consensus.js';

export interface Stat {
  value: number | null;
  ci: { low: number; high: number } | null;
  reason?: string;
}

export interface RaterCalibration {
  /** A judge id, or `panel`. */
  rater: string;
  units: number;
  alpha: Stat;
  kappa: Stat & { weights: 'quadratic' | 'none' };
  spearman?: Stat;
  exact: Stat;
  within_one?: Stat;
  /** Rater mean minus human mean over the same units: above zero is lenient, below is harsh. */
  bias?: Stat;
  /** Rows: human consensus; columns: the rater (rounded to the scale). */
  confusion: { points: string[]; counts: number[][] };
}

export interface CriterionCalibration {
  rubric: string;
  criterion: string;
  level: Level;
  labelled_units: number;
  annotators: number;
  /** Agreement among the people themselves: the ceiling a judge can be expected to reach. */
  human_alpha: Stat | null;
  raters: RaterCalibration[];
  recommendation: { weights: Record<string, number>; drop: { judge: string; why: string }[]; notes: string[] };
}

export interface Calibration {
  label: string;
  criteria: CriterionCalibration[];
}

/** A judge whose alpha with the human consensus is below this agrees too little with people to keep. */
export const DROP_BELOW_ALPHA = 0.3;
const BIAS_NOTE = 0.5;

interface Pair {
  rater: Score;
  human: Score;
  humanMean: number;
}

function withCi(n: number, f: (sel: ArrayLike<number>) => Estimate, seed: number, resamples: number): Stat {
  const all = Array.from({ length: n }, (_, i) => i);
  const point = f(all);
  if (point.value === null) return { value: null, ci: null, reason: point.reason };
  const interval = bootstrapInterval(n, f, seededRng(seed), { resamples });
  return { value: point.value, ci: interval.low === null ? null : { low: interval.low, high: interval.high } };
}

function pick<T>(items: readonly T[], sel: ArrayLike<number>): T[] {
  return Array.from(sel as ArrayLike<number>, (i) => items[i]!);
}

function raterCalibration(rater: string, pairs: Pair[], scale: Scale, seed: number, resamples: number): RaterCalibration {
  const level = levelOf(scale);
  const numeric = scale.type !== 'categorical';
  const weights = level === 'ordinal' ? 'quadratic' : 'none';
  const rounded = pairs.map((p) => ({ ...p, rater: nearestPoint(p.rater, scale) }));
  const points = scalePoints(scale);
  const counts = points.map(() => points.map(() => 0));
  for (const p of rounded) {
    const row = points.indexOf(nearestPoint(p.human, scale));
    const col = points.indexOf(p.rater);
    if (row >= 0 && col >= 0) counts[row]![col]!++;
  }
  const share = (sel: ArrayLike<number>, ok: (p: Pair) => boolean): Estimate => {
    const chosen = pick(rounded, sel);
    return chosen.length ? { value: chosen.filter(ok).length / chosen.length } : { value: null, reason: 'no labelled unit' };
  };
  const out: RaterCalibration = {
    rater,
    units: pairs.length,
    alpha: withCi(pairs.length, (sel) => krippendorffAlpha(pick(pairs, sel).map((p) => [p.rater, p.human]), level), seed, resamples),
    kappa: { ...withCi(pairs.length, (sel) => { const c = pick(rounded, sel); return cohenKappa(c.map((p) => p.rater), c.map((p) => nearestPoint(p.human, scale)), weights); }, seed, resamples), weights },
    exact: withCi(pairs.length, (sel) => share(sel, (p) => p.rater === nearestPoint(p.human, scale)), seed, resamples),
    confusion: { points: points.map(String), counts },
  };
  if (numeric) {
    out.spearman = withCi(pairs.length, (sel) => { const c = pick(pairs, sel); return spearman(c.map((p) => p.rater), c.map((p) => p.human)); }, seed, resamples);
    out.bias = withCi(pairs.length, (sel) => {
      const c = pick(pairs, sel);
      return c.length ? { value: c.reduce((s, p) => s + Number(p.rater) - p.humanMean, 0) / c.length } : { value: null, reason: 'no labelled unit' };
    }, seed, resamples);
  }
  if (level === 'ordinal') out.within_one = withCi(pairs.length, (sel) => share(sel, (p) => Math.abs(Number(p.rater) - Number(nearestPoint(p.human, scale))) <= 1), seed, resamples);
  return out;
}

/**
 * Judges against people: per criterion, each judge and the panel compared with the human consensus of the
 * labelled units; the human-human agreement as the ceiling; and a recommendation (weights ∝ alpha with
 * people, judges below alpha 0.3 dropped, bias noted). Pure; CIs are seeded bootstraps over units.
 */
export function calibrate(report: Report, labels: readonly HumanLabel[], options: { seed?: number; resamples?: number } = {}): Calibration {
  const seed = options.seed ?? 1;
  const resamples = options.resamples ?? 1000;
  const judges = report.run.judges.map((j) => j.id);
  const criteria: CriterionCalibration[] = [];
  for (const summary of report.criteria) {
    const scale = summary.scale;
    const level = levelOf(scale);
    const perRater = new Map<string, Pair[]>([...judges, 'panel'].map((r) => [r, []]));
    const humanTable: Score[][] = [];
    const annotators = new Set<string>();
    for (const item of report.items) {
      for (const unit of item.results) {
        if (unit.rubric !== summary.rubric || unit.criterion !== summary.criterion) continue;
        const mine = labels.filter((l) => labelMatches(l, item.id, unit.rubric, unit.criterion, unit.turn) && scalePoints(scale).some((p) => p === l.score));
        if (mine.length === 0) continue;
        mine.forEach((l) => annotators.add(l.annotator));
        const human = consensus(mine.map((l) => l.score), scale)!;
        const humanMean = scale.type === 'categorical' ? 0 : mine.reduce((s, l) => s + Number(l.score), 0) / mine.length;
        humanTable.push(mine.map((l) => l.score));
        if (unit.panel.status === 'scored') perRater.get('panel')!.push({ rater: unit.panel.score, human, humanMean });
        for (const judge of judges) {
          const scores = unit.verdicts.flatMap((v) => (v.judge === judge && v.status === 'scored' ? [v.score] : []));
          if (scores.length === 0) continue;
          const score = scale.type === 'categorical' ? consensus(scores, scale)! : scores.reduce<number>((s, x) => s + Number(x), 0) / scores.length;
          perRater.get(judge)!.push({ rater: score, human, humanMean });
        }
      }
    }
    if (humanTable.length === 0) continue;
    const width = Math.max(...humanTable.map((r) => r.length));
    const padded = humanTable.map((r) => [...r, ...Array<null>(width - r.length).fill(null)]);
    const human_alpha = width >= 2 ? withCi(padded.length, (sel) => krippendorffAlpha(pick(padded, sel), level), seed, resamples) : null;
    const raters = [...perRater].map(([rater, pairs]) => raterCalibration(rater, pairs, scale, seed, resamples));
    criteria.push({ rubric: summary.rubric, criterion: summary.criterion, level, labelled_units: humanTable.length, annotators: annotators.size, human_alpha, raters, recommendation: recommend(raters, human_alpha) });
  }
  return { label: report.run.label, criteria };
}

function recommend(raters: RaterCalibration[], human: Stat | null): CriterionCalibration['recommendation'] {
  const judges = raters.filter((r) => r.rater !== 'panel');
  const drop = judges.flatMap((r) =>
    r.alpha.value === null
      ? [{ judge: r.rater, why: `its agreement with people is undefined (${r.alpha.reason})` }]
      : r.alpha.value < DROP_BELOW_ALPHA
        ? [{ judge: r.rater, why: `alpha with the human consensus is ${r.alpha.value.toFixed(2)}, below ${DROP_BELOW_ALPHA}` }]
        : [],
  );
  const kept = judges.filter((r) => !drop.some((d) => d.judge === r.rater));
  const total = kept.reduce((s, r) => s + Math.max(0, r.alpha.value ?? 0), 0);
  const weights = Object.fromEntries(judges.map((r) => [r.rater, kept.includes(r) && total > 0 ? Math.max(0, r.alpha.value ?? 0) / total : 0]));
  const notes: string[] = [];
  for (const r of judges) {
    const b = r.bias?.value;
    if (b !== undefined && b !== null && Math.abs(b) >= BIAS_NOTE) notes.push(`${r.rater} is ${b > 0 ? 'lenient' : 'harsh'}: ${b > 0 ? '+' : ''}${b.toFixed(2)} points against people on average`);
  }
  const panel = raters.find((r) => r.rater === 'panel');
  const best = judges.reduce<RaterCalibration | undefined>((a, r) => ((r.alpha.value ?? -Infinity) > (a?.alpha.value ?? -Infinity) ? r : a), undefined);
  if (panel?.alpha.value != null && best?.alpha.value != null) {
    notes.push(panel.alpha.value >= best.alpha.value ? 'the panel agrees with people at least as well as its best judge' : `${best.rater} alone agrees with people better than the panel`);
  }
  if (human?.value != null && best?.alpha.value != null && best.alpha.value > human.value) notes.push(`${best.rater} agrees with the consensus more than people agree with each other (alpha ${human.value.toFixed(2)}): the ceiling is the people, not the judge`);
  return { weights, drop, notes };
}
