import type { Report } from '../report/report.js';
import type { Scale } from '../rubric/rubric.js';
import { compareIds } from '../format/compare-ids.js';
import { hodgesLehmann } from '../stats/hodges-lehmann.js';
import { itemsNeeded, judgeResampling, minimalDetectableEffect, resampledDifferences, type Detectable, type ItemsNeeded, type NoiseModel } from '../stats/power.js';
import { itemScores } from './item-scores.js';
import { namesCriterion } from '../format/criterion-name.js';

/** The most items `jury power` looks for before saying "more than". */
export const MAX_ITEMS = 5000;
export const DEFAULT_POWER = 0.8;

export interface PowerSettings {
  significance: number;
  /** Tests in the Holm family: a lone regression among m criteria is tested at significance / m. */
  family: number;
  power?: number;
  simulations?: number;
  seed?: number;
}

export interface CriterionPower {
  rubric: string;
  criterion: string;
  /** Items the report (or the pair of reports) has for this criterion. */
  items: number;
  /** `judges`: two reruns of the panel on the same transcripts; `paired differences`: the observed differences, centred. */
  noise: 'judges' | 'paired differences';
  /** The level the test would use: significance / family. */
  alpha: number;
  /** The smallest drop detected with the wanted power by this many items. */
  detectable: Detectable;
  /** Items needed for the chosen effect, when one was given. */
  needed?: ItemsNeeded & { effect: number };
}

export interface PowerReport {
  label: string;
  baseline_label?: string;
  significance: number;
  family: number;
  power: number;
  simulations: number;
  seed: number;
  criteria: CriterionPower[];
}

/** How large a drop can be on a scale: its range. */
export function scaleRange(scale: Scale): number {
  return scale.type === 'likert' ? scale.max - scale.min : 1;
}

/**
 * Power per numeric criterion of a report: from its own judges (each item's judge scores resampled into two
 * reruns of the panel), or, with a baseline, from the paired differences of the two reports, centred on their
 * Hodges–Lehmann shift (what two runs differ by when nothing changed, as far as these runs show). Pure.
 */
export function reportPower(report: Report, settings: PowerSettings, options: { baseline?: Report; effect?: number; criteria?: readonly string[] } = {}): PowerReport {
  const power = settings.power ?? DEFAULT_POWER;
  const simulations = settings.simulations ?? 400;
  const seed = settings.seed ?? 1;
  const alpha = settings.significance / settings.family;
  const candidateScores = itemScores(report);
  const baseScores = options.baseline ? itemScores(options.baseline) : undefined;
  const criteria: CriterionPower[] = [];
  for (const summary of report.criteria) {
    if (summary.scale.type === 'categorical') continue;
    const key = `${summary.rubric}/${summary.criterion}`;
    if (options.criteria?.length && !options.criteria.some((name) => namesCriterion(name, summary.rubric, summary.criterion))) continue;
    let noise: NoiseModel;
    let items: number;
    if (baseScores) {
      const base = baseScores.get(key);
      const cand = candidateScores.get(key);
      const ids = cand && base ? [...cand.keys()].filter((id) => base.has(id)).sort(compareIds) : [];
      const differences = ids.map((id) => cand!.get(id)!.score - base!.get(id)!.score);
      items = differences.length;
      noise = resampledDifferences(differences, hodgesLehmann(differences) ?? 0);
    } else {
      const perItem = judgeScoresByItem(report, summary.rubric, summary.criterion);
      items = perItem.length;
      noise = judgeResampling(perItem);
    }
    const options_ = { alpha, power, simulations, seed };
    const range = scaleRange(summary.scale);
    const row: CriterionPower = {
      rubric: summary.rubric, criterion: summary.criterion, items, noise: baseScores ? 'paired differences' : 'judges', alpha,
      detectable: items ? minimalDetectableEffect(noise, items, range, options_) : { effect: null, reason: 'no scored item' },
    };
    if (options.effect !== undefined) row.needed = { ...(items ? itemsNeeded(noise, options.effect, MAX_ITEMS, options_) : { items: null, reason: 'no scored item to learn the noise from' }), effect: options.effect };
    criteria.push(row);
  }
  return { label: report.run.label, ...(options.baseline ? { baseline_label: options.baseline.run.label } : {}), significance: settings.significance, family: settings.family, power, simulations, seed, criteria };
}

/**
 * Per item, each judge's score on the criterion (its samples averaged; per-turn criteria: the judge's mean over
 * the item's turns), for the judges that scored it.
 */
export function judgeScoresByItem(report: Report, rubric: string, criterion: string): number[][] {
  const out: number[][] = [];
  for (const item of report.items) {
    const byJudge = new Map<string, number[]>();
    for (const unit of item.results) {
      if (unit.rubric !== rubric || unit.criterion !== criterion || unit.panel.status !== 'scored') continue;
      const perUnit = new Map<string, number[]>();
      for (const v of unit.verdicts) {
        if (v.status !== 'scored' || typeof v.score !== 'number') continue;
        const list = perUnit.get(v.judge);
        if (list) list.push(v.score);
        else perUnit.set(v.judge, [v.score]);
      }
      for (const [judge, samples] of perUnit) {
        const list = byJudge.get(judge) ?? [];
        list.push(samples.reduce((a, b) => a + b, 0) / samples.length);
        byJudge.set(judge, list);
      }
    }
    const scores = [...byJudge.values()].map((turns) => turns.reduce((a, b) => a + b, 0) / turns.length);
    if (scores.length) out.push(scores);
  }
  return out;
}

/**
 * The drop a diff's criterion could have detected, from its own paired differences (for "no significant change"):
 * 200 studies, to 1/128 of the scale's range (0.03 on 1–5), so that a diff of ten criteria stays under a second.
 */
export function detectableInDiff(differences: readonly number[], scale: Scale, alpha: number, settings: { power?: number; simulations?: number; seed?: number } = {}): Detectable {
  const noise = resampledDifferences(differences, hodgesLehmann(differences) ?? 0);
  return minimalDetectableEffect(noise, differences.length, scaleRange(scale), { alpha, power: settings.power ?? DEFAULT_POWER, simulations: settings.simulations ?? 200, seed: settings.seed ?? 1, resolution: 1 / 128 });
}
