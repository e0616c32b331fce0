import { outcomeOf, pairPreference } from '../aggregate/pairwise-rule.js';
import type { HumanLabel as Label } from '../labels/labels.js';
import type { PairOrder } from '../plan/plan.js';
import type { CriterionSummary, Report, ReportVerdict, UnitResult } from '../report/report.js';
import type { Scale } from '../rubric/rubric.js';

// A pairwise report seen the way people label pairs: one unit per pair and criterion, each judge's verdict the
// side it preferred over both orders (base, tie, candidate), the panel's the pair's winner. Calibration, per-vote
// agreement and the human–human ceiling then read it as they read any categorical criterion with a tie.

export const SIDE_SCALE: Extract<Scale, { type: 'categorical' }> = { type: 'categorical', labels: ['base', 'tie', 'candidate'], tie: 'tie' };

export function combinedReport(report: Report): Report {
  const pw = report.pairwise!;
  const levels = new Map(pw.criteria.map((c) => [`${c.rubric}/${c.criterion}`, c.levels]));
  const items = report.items.map((item) => {
    const byCriterion = new Map<string, UnitResult[]>();
    for (const unit of item.results) {
      if (!unit.order) continue;
      const key = `${unit.rubric}/${unit.criterion}`;
      byCriterion.set(key, [...(byCriterion.get(key) ?? []), unit]);
    }
    const results: UnitResult[] = [...byCriterion].map(([key, units]) => {
      const [rubric, criterion] = key.split('/') as [string, string];
      const verdicts: ReportVerdict[] = [];
      for (const judge of report.run.judges) {
        for (let sample = 0; sample < judge.samples; sample++) {
          const seen: { label: string; order: PairOrder; reasoning: string }[] = [];
          for (const u of units) {
            const v = u.verdicts.find((x) => x.judge === judge.id && x.sample === sample);
            if (v?.status === 'scored') seen.push({ label: String(v.score), order: u.order!, reasoning: v.reasoning });
          }
          if (seen.length < units.length) continue;
          const preference = pairPreference(seen, levels.get(key) ?? 3);
          if (preference === null) continue;
          verdicts.push({ judge: judge.id, sample, status: 'scored', score: outcomeOf(preference), reasoning: seen.map((s) => `[${s.order}] ${s.reasoning}`).join('\n'), cited_turns: [] });
        }
      }
      const winner = item.preferences?.find((p) => p.rubric === rubric && p.criterion === criterion)?.winner ?? null;
      const judges = new Set(verdicts.map((v) => v.judge)).size;
      const panel: UnitResult['panel'] = winner === null ? { status: 'unscored', reason: 'no quorum of judges with both orders judged', judges } : { status: 'scored', score: winner, spread: 0, judges };
      return { rubric, criterion, panel, verdicts };
    });
    return { ...item, results };
  });
  const criteria: CriterionSummary[] = pw.criteria.map((c) => {
    const original = report.criteria.find((s) => s.rubric === c.rubric && s.criterion === c.criterion)!;
    return { ...original, scale: SIDE_SCALE, units: c.pairs + c.unscored, scored: c.pairs, unscored: c.unscored };
  });
  return { ...report, criteria, items };
}

/**
 * People's pairwise votes name a side: `base`, `candidate`, `tie`, or the sides' names (e.g. v1, v2), whatever
 * order anyone saw the pair in. Returns the labels with sides named `base` / `candidate`, and the labels that say
 * A or B (a position, which depends on an order jury cannot know).
 */
export function sideLabels(labels: readonly Label[], names: { base: string; candidate: string }): { labels: Label[]; positional: Label[] } {
  const positional: Label[] = [];
  const out = labels.map((label) => {
    const score = typeof label.score === 'string' ? label.score.trim() : label.score;
    if (score === 'A' || score === 'B') positional.push(label);
    if (score === names.base) return { ...label, score: 'base' };
    if (score === names.candidate) return { ...label, score: 'candidate' };
    if (typeof score === 'string' && /^(tie|draw|equal)$/i.test(score)) return { ...label, score: 'tie' };
    return label;
  });
  return { labels: out, positional };
}
