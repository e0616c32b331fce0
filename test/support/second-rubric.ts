import type { Report } from '../../src/report/report.js';

/**
 * A copy of every criterion of `report` under a second rubric id whose criteria have the same names: the case
 * where code that matches units by criterion name alone goes wrong. Its panel scores are shifted by `shift`
 * (kept on the 1–5 scale) and its summary mean by `meanShift`, so a unit or summary taken from the wrong
 * rubric shows.
 */
export function withSecondRubric(report: Report, rubric: string, shift: number, meanShift = 100): Report {
  const clamp = (x: number) => Math.max(1, Math.min(5, x));
  return {
    ...report,
    criteria: [...report.criteria, ...report.criteria.map((c) => ({ ...c, rubric, mean: c.mean === null ? null : c.mean + meanShift }))],
    items: report.items.map((item) => ({
      ...item,
      results: [...item.results, ...item.results.map((u) => ({ ...u, rubric, panel: u.panel.status === 'scored' ? { ...u.panel, score: clamp(Number(u.panel.score) + shift) } : u.panel }))],
    })),
  };
}
