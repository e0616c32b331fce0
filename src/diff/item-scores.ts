import { combine } from '../aggregate/panel.js';
import type { Report, UnitResult } from '../report/report.js';
import type { Scale } from '../rubric/rubric.js';

/**
 * Per item, the mean of its scored panel scores on a criterion (several on per-turn rubrics). Each panel score
 * is recomputed from the unit's verdicts, since report.json keeps panel scores to 4 decimals and two equal
 * changes of 1/3 point must stay equal for the ranks of a signed-rank test; the stored score is used where the
 * verdicts do not give it back (within rounding).
 */
export function itemScores(report: Report): Map<string, Map<string, { score: number; units: UnitResult[] }>> {
  const out = new Map<string, Map<string, { score: number; units: UnitResult[] }>>();
  const scales = new Map(report.criteria.map((c) => [`${c.rubric}/${c.criterion}`, c.scale]));
  const method = report.run.aggregation.method;
  for (const item of report.items) {
    const byCriterion = new Map<string, UnitResult[]>();
    for (const unit of item.results) {
      const key = `${unit.rubric}/${unit.criterion}`;
      const list = byCriterion.get(key);
      if (list) list.push(unit);
      else byCriterion.set(key, [unit]);
    }
    for (const [key, units] of byCriterion) {
      const scale = scales.get(key);
      const scored = units.flatMap((u) => (u.panel.status === 'scored' && typeof u.panel.score === 'number' ? [scale ? exactPanelScore(u, u.panel.score, method, scale) : u.panel.score] : []));
      if (scored.length === 0) continue;
      const entry = out.get(key) ?? new Map();
      entry.set(item.id, { score: scored.reduce((a, b) => a + b, 0) / scored.length, units });
      out.set(key, entry);
    }
  }
  return out;
}

/** The panel score as the run computed it (each judge's samples combined, then the judges), before rounding. */
export function exactPanelScore(unit: UnitResult, stored: number, method: Report['run']['aggregation']['method'], scale: Scale): number {
  const byJudge = new Map<string, number[]>();
  for (const v of unit.verdicts) {
    if (v.status !== 'scored' || typeof v.score !== 'number') continue;
    const list = byJudge.get(v.judge);
    if (list) list.push(v.score);
    else byJudge.set(v.judge, [v.score]);
  }
  if (byJudge.size === 0) return stored;
  const exact = Number(combine([...byJudge.values()].map((samples) => combine(samples, method, scale)), method, scale));
  return Math.abs(exact - stored) <= 5e-5 ? exact : stored;
}
