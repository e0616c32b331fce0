import type { HumanLabel } from '../labels/labels.js';
import { labelMatches } from '../labels/labels.js';
import type { Report } from '../report/report.js';
import { holm, wilcoxonSignedRank } from '../stats/paired.js';
import { humanReference } from './consensus.js';

export interface VersionComparison {
  rubric: string;
  criterion: string;
  units: number;
  /** Mean absolute distance of the panel score from the human consensus, per report. */
  error_a: number | null;
  error_b: number | null;
  p_value: number | null;
  p_holm: number | null;
  better: 'a' | 'b' | 'neither';
}

/**
 * Rubric iteration: two reports over the same labelled items (say, rubric v1 and v2) — which one's panel
 * lands closer to people? Per criterion, the paired absolute errors |panel − consensus| are compared with a
 * Wilcoxon signed-rank test, Holm-corrected across criteria.
 */
export function compareAgainstPeople(a: Report, b: Report, labels: readonly HumanLabel[], significance = 0.05): VersionComparison[] {
  const out: VersionComparison[] = [];
  for (const summary of a.criteria) {
    if (summary.scale.type === 'categorical') continue;
    if (!b.criteria.some((c) => c.rubric === summary.rubric && c.criterion === summary.criterion)) continue;
    const errorsA: number[] = [];
    const errorsB: number[] = [];
    for (const itemA of a.items) {
      const itemB = b.items.find((i) => i.id === itemA.id);
      if (!itemB) continue;
      for (const unitA of itemA.results) {
        if (unitA.rubric !== summary.rubric || unitA.criterion !== summary.criterion || unitA.panel.status !== 'scored') continue;
        const unitB = itemB.results.find((u) => u.rubric === unitA.rubric && u.criterion === unitA.criterion && u.turn === unitA.turn);
        if (!unitB || unitB.panel.status !== 'scored') continue;
        const mine = labels.filter((l) => labelMatches(l, itemA.id, unitA.rubric, unitA.criterion, unitA.turn) && typeof l.score === 'number');
        const human = humanReference(mine, summary.scale);
        if (human === undefined) continue;
        errorsA.push(Math.abs(Number(unitA.panel.score) - Number(human)));
        errorsB.push(Math.abs(Number(unitB.panel.score) - Number(human)));
      }
    }
    if (errorsA.length === 0) continue; // no labelled unit scored in both reports
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const test = wilcoxonSignedRank(errorsA.map((e, i) => e - errorsB[i]!));
    out.push({ rubric: summary.rubric, criterion: summary.criterion, units: errorsA.length, error_a: mean(errorsA), error_b: mean(errorsB), p_value: test.p_value, p_holm: null, better: 'neither' });
  }
  // Every row has a test (it has at least one unit), so every row takes part in Holm.
  const adjusted = holm(out.map((c) => c.p_value!));
  out.forEach((c, i) => {
    c.p_holm = adjusted[i]!;
    if (c.p_holm < significance && c.error_a !== c.error_b) c.better = c.error_a! < c.error_b! ? 'a' : 'b';
  });
  return out;
}
