import { levelOf } from '../aggregate/criterion-agreement.js';
import type { HumanLabel } from '../labels/labels.js';
import type { Report } from '../report/report.js';
import { scalePoints } from '../rubric/rubric.js';
import { majority, median } from './consensus.js';
import type { LabelScale } from './table.js';

/** Each criterion's scale from the report's rubrics, keyed `rubric/criterion`. */
export function reportScales(report: Report): Map<string, LabelScale> {
  return new Map(report.criteria.map((c) => [`${c.rubric}/${c.criterion}`, { level: levelOf(c.scale) === 'ordinal' ? 'ordinal' : 'nominal', points: scalePoints(c.scale) }]));
}

/** Labels that name a bare criterion get the report's `rubric/criterion` name, so people and judges meet. */
export function withReportCriteria(labels: readonly HumanLabel[], report: Report): HumanLabel[] {
  const full = new Map<string, string>();
  for (const c of report.criteria) {
    full.set(`${c.rubric}/${c.criterion}`, `${c.rubric}/${c.criterion}`);
    // A bare name shared by two rubrics stays as it is: it could mean either.
    full.set(c.criterion, full.has(c.criterion) ? c.criterion : `${c.rubric}/${c.criterion}`);
  }
  return labels.map((l) => ({ ...l, criterion: full.get(l.criterion) ?? l.criterion }));
}

/**
 * The report's judges as annotators, one label per judge and labelled unit: a judge's samples become one score
 * (the majority on categorical scales, a tie leaving the unit out; the median, rounded to the nearest point
 * and a half point down, otherwise), so a judge is audited on
 * exactly the footing of a person. Only units people labelled: a judge's thousand other units would swamp them.
 */
export function judgeLabels(report: Report, people: readonly HumanLabel[]): HumanLabel[] {
  const labelled = new Set(people.map((l) => `${l.item}\u0000${l.criterion}\u0000${l.turn ?? ''}`));
  const scales = new Map(report.criteria.map((c) => [`${c.rubric}/${c.criterion}`, c.scale]));
  const out: HumanLabel[] = [];
  for (const item of report.items) {
    for (const unit of item.results) {
      const criterion = `${unit.rubric}/${unit.criterion}`;
      if (!labelled.has(`${item.id}\u0000${criterion}\u0000${unit.turn ?? ''}`)) continue;
      const points = scalePoints(scales.get(criterion)!);
      for (const judge of report.run.judges) {
        const scores = unit.verdicts.flatMap((v) => (v.judge === judge.id && v.status === 'scored' ? [v.score] : []));
        const score = samplesToOne(scores, points);
        if (score === null) continue;
        out.push({ item: item.id, criterion, ...(unit.turn === undefined ? {} : { turn: unit.turn }), annotator: `judge:${judge.id}`, score });
      }
    }
  }
  return out;
}

function samplesToOne(scores: readonly (number | string)[], points: readonly (number | string)[]): number | string | null {
  if (scores.length === 0) return null;
  if (!scores.every((s) => typeof s === 'number')) {
    const m = majority(scores.map((s) => points.indexOf(s)));
    return m === null ? null : points[m]!;
  }
  const mid = median(scores as number[])!;
  // The nearest point, a half point going down (the same rule calibrate uses to round a score to the scale).
  return (points as number[]).reduce((best, p) => (Math.abs(p - mid) < Math.abs(best - mid) ? p : best), points[0] as number);
}
