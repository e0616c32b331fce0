import type { Verdict, VerdictOutcome, VerdictSource } from '../judges/verdict.js';
import { judgeOffsets, slotFinder, type Plan } from '../plan/plan.js';
import type { Score } from '../rubric/rubric.js';
import type { JournalRecord } from './journal.js';
import { WindowReader } from './window-reader.js';

const MISSING = 0;
const SCORED = 1;
const FAILED = 2;

/**
 * Which of a plan's verdicts a journal holds, and where: per planned call a status, a score and the line's
 * position, in flat arrays (a few bytes a verdict). The report reads scores from here and the reasoning back
 * from the file, item by item, so a run's memory does not grow with the text of its verdicts.
 */
export class JournalIndex implements VerdictSource {
  private readonly status: Uint8Array;
  private readonly offsets: Float64Array;
  private readonly lengths: Uint32Array;
  private readonly scores: (Score | undefined)[];
  /** Category labels, kept once each (JSON.parse makes a new string per line). */
  private readonly labels = new Map<string, string>();
  private readonly slotOf: ReturnType<typeof slotFinder>;
  private readonly offsetOf: Map<string, number>;
  private count = 0;
  /** Lines are read back through windows of the file: the report asks for them in nearly journal order. */
  private readonly reader: WindowReader;

  constructor(
    file: string,
    private readonly plan: Plan,
  ) {
    this.status = new Uint8Array(plan.size);
    this.offsets = new Float64Array(plan.size);
    this.lengths = new Uint32Array(plan.size);
    this.scores = new Array<Score | undefined>(plan.size);
    this.slotOf = slotFinder(plan);
    this.offsetOf = judgeOffsets(plan);
    this.reader = new WindowReader(file);
  }

  /** Notes a record written at `offset`: its slot, and whether it replaces one noted before; undefined when the plan does not ask for it. */
  add(record: JournalRecord, offset: number, length: number): { slot: number; replaced: boolean } | undefined {
    const slot = this.slotOf(record);
    if (slot === undefined) return undefined;
    const replaced = this.status[slot] !== MISSING;
    if (!replaced) this.count++;
    const v = record.verdict;
    this.status[slot] = v.status === 'scored' ? SCORED : FAILED;
    this.scores[slot] = v.status === 'scored' ? (typeof v.score === 'string' ? this.label(v.score) : v.score) : undefined;
    this.offsets[slot] = offset;
    this.lengths[slot] = length;
    return { slot, replaced };
  }

  private label(text: string): string {
    const known = this.labels.get(text);
    if (known !== undefined) return known;
    this.labels.set(text, text);
    return text;
  }

  hasSlot(slot: number): boolean {
    return this.status[slot] !== MISSING;
  }

  /** Planned verdicts the journal holds. */
  get size(): number {
    return this.count;
  }

  private slot(unitIndex: number, judge: string, sample: number): number {
    return unitIndex * this.plan.perUnit + this.offsetOf.get(judge)! + sample;
  }

  outcome(unitIndex: number, judge: string, sample: number): VerdictOutcome | undefined {
    const slot = this.slot(unitIndex, judge, sample);
    const status = this.status[slot];
    return status === SCORED ? { status: 'scored', score: this.scores[slot]! } : status === FAILED ? { status: 'failed' } : undefined;
  }

  verdict(unitIndex: number, judge: string, sample: number): Verdict | undefined {
    return this.recordAt(this.slot(unitIndex, judge, sample))?.verdict;
  }

  /** Reads one record back from the journal file. */
  recordAt(slot: number): JournalRecord | undefined {
    if (this.status[slot] === MISSING) return undefined;
    return JSON.parse(this.reader.text(this.offsets[slot]!, this.lengths[slot]!)) as JournalRecord;
  }

  close(): void {
    this.reader.close();
  }
}
