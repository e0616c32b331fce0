import { ratingsKey, REPORT_RESAMPLES, REPORT_SEED } from '../aggregate/criterion-agreement.js';
import type { Plan } from '../plan/plan.js';
import { isNumericScale, type Criterion, type Score } from '../rubric/rubric.js';
import { unitCoincidences } from '../stats/alpha.js';
import { seededDraws } from '../stats/bootstrap.js';
import { CoincidenceTally, Multiplicities, SumTally } from '../stats/resample-tally.js';
import { criteriaByKey, sortedJudges, unitScores, type ReportInput, type ReportJudge } from './build.js';

interface CriterionTally {
  criterion: Criterion;
  alpha: CoincidenceTally;
  mean?: SumTally;
}

/**
 * The criteria summaries' bootstraps, added up while the run judges (issue 21: the end of a 12,000-verdict run
 * spent a quarter of a second resampling). Each unit, once its last planned verdict is journaled, adds its ratings
 * row (alpha) and its panel score (the mean) to its criterion's tallies at its row in the report's table. The
 * summaries use a tally only when it holds exactly the final table's rows (a failed, missing or replaced verdict
 * makes them resample as before), so the report is the same either way. Criteria whose units are the turns of a
 * conversation are resampled by conversation at the end, as before: no tally.
 */
export class SummaryTally {
  private readonly byCriterion = new Map<string, CriterionTally>();
  /** Per unit: its criterion's tally (undefined: none) and its row in that criterion's table. */
  private readonly tallyOf: (CriterionTally | undefined)[];
  private readonly rowOf: Int32Array;
  /** Per unit: planned verdicts not journaled yet; −1 once fed. */
  private missing?: Int32Array;
  private readonly judges: ReportJudge[];
  private readonly resamples: number;

  constructor(
    private readonly input: ReportInput,
    private readonly plan: Plan,
    private readonly journaled: (slot: number) => boolean,
  ) {
    this.judges = sortedJudges(input);
    const criteria = criteriaByKey(input.rubrics);
    const rows = new Map<string, { items: Set<string>; nested: boolean; count: number }>();
    this.rowOf = Int32Array.from(plan.units, (unit) => {
      const key = `${unit.rubric}/${unit.criterion}`;
      const seen = rows.get(key) ?? { items: new Set<string>(), nested: false, count: 0 };
      rows.set(key, seen);
      if (seen.items.has(unit.item)) seen.nested = true;
      seen.items.add(unit.item);
      return seen.count++;
    });
    const resamples = (this.resamples = input.aggregation.resamples ?? REPORT_RESAMPLES);
    const draws = new Map<number, Multiplicities | undefined>();
    for (const [key, { nested, count }] of rows) {
      const criterion = criteria.get(key);
      if (!criterion || nested) continue;
      if (!draws.has(count)) draws.set(count, Multiplicities.of(count, resamples, REPORT_SEED));
      const drawn = draws.get(count);
      if (drawn) this.byCriterion.set(key, { criterion, alpha: new CoincidenceTally(drawn), ...(isNumericScale(criterion.scale) ? { mean: new SumTally(drawn) } : {}) });
    }
    this.tallyOf = plan.units.map((unit) => this.byCriterion.get(`${unit.rubric}/${unit.criterion}`));
  }

  /** The tallies of one criterion, for reportHead. */
  of(rubric: string, criterion: string): { alpha?: CoincidenceTally; mean?: SumTally } | undefined {
    return this.byCriterion.get(`${rubric}/${criterion}`);
  }

  /**
   * A record was journaled at `slot`, and `journaled(slot)` now says so (a replaced one changes nothing here: the
   * summaries' check catches it).
   */
  note(slot: number, replaced: boolean): void {
    if (replaced || this.byCriterion.size === 0) return;
    // Counted on the first record, not when the run starts: the first calls are not held up, and a resumed run's
    // units already complete are tallied here too. That count includes this record.
    if (!this.missing) return this.start();
    const unit = Math.floor(slot / this.plan.perUnit);
    if (this.missing[unit]! > 0 && --this.missing[unit]! === 0) this.feed(unit);
  }

  private start(): void {
    const { perUnit } = this.plan;
    const missing = new Int32Array(this.plan.units.length);
    for (let unit = 0; unit < missing.length; unit++) {
      for (let slot = unit * perUnit; slot < (unit + 1) * perUnit; slot++) if (!this.journaled(slot)) missing[unit]!++;
    }
    this.missing = missing;
    // The kept draws the means resample with at the end (seededBootstrapInterval's), made now instead.
    for (const { alpha } of this.byCriterion.values()) seededDraws(alpha.units, REPORT_SEED, this.resamples);
    for (let unit = 0; unit < missing.length; unit++) if (missing[unit] === 0) this.feed(unit);
  }

  private feed(unit: number): void {
    this.missing![unit] = -1;
    const tally = this.tallyOf[unit];
    if (!tally) return;
    const row = this.rowOf[unit]!;
    const { perJudge, panel } = unitScores(this.input, this.judges, tally.criterion, unit);
    const ratings = perJudge.map((j) => j.rating);
    // A row without two ratings drops out of alpha, and a unit without a panel score out of the mean: either way the
    // table no longer has one row per planned unit, and the summaries resample.
    const present = ratings.filter((r): r is Score => r !== null);
    if (present.length >= 2) tally.alpha.add(row, ratingsKey(ratings), unitCoincidences(present));
    if (tally.mean && panel.status === 'scored') tally.mean.add(row, Number(panel.score));
  }
}
