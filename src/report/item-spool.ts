import type { Plan } from '../plan/plan.js';
import { itemOrder, itemRenderer, type ReportInput } from './build.js';
import type { ItemResult } from './report.js';
import { BufferedFile, itemsSection } from './write.js';
import { removeFile } from '../journal/remove-file.js';

/**
 * Writes report.json's items while the run is still judging, so that the end of a run only has the criteria
 * summaries left to compute: an item goes to a spool file as soon as its last verdict is journaled and every
 * item before it (in report order, which is plan order) is written, rendered exactly as writeReport renders it.
 * A record that replaces one of an item already written (a batch failure asked again) makes the spool unusable;
 * the report is then written whole at the end, as is every item not complete by then.
 */
export class ItemSpool {
  private readonly order: { id: string; units: number[] }[];
  private readonly itemOfUnit: Int32Array;
  /** Per item: its planned verdicts not journaled yet. */
  private readonly missing: Int32Array;
  private readonly render: (id: string, unitIndexes: readonly number[]) => ItemResult;
  private readonly out: BufferedFile;
  private written = 0;
  private usable = true;

  constructor(
    readonly file: string,
    input: ReportInput,
    private readonly plan: Plan,
    journaled: (slot: number) => boolean,
  ) {
    this.order = itemOrder(input);
    this.render = itemRenderer(input);
    this.itemOfUnit = new Int32Array(plan.units.length);
    this.missing = new Int32Array(this.order.length);
    this.order.forEach(({ units }, item) => {
      for (const unit of units) {
        this.itemOfUnit[unit] = item;
        for (let slot = unit * plan.perUnit; slot < (unit + 1) * plan.perUnit; slot++) if (!journaled(slot)) this.missing[item]!++;
      }
    });
    this.out = new BufferedFile(file);
    this.advance();
  }

  /** Items written so far (the report's first ones). */
  get items(): number {
    return this.written;
  }

  /** A record was journaled at `slot`. */
  note(slot: number, replaced: boolean): void {
    if (!this.usable) return;
    const item = this.itemOfUnit[Math.floor(slot / this.plan.perUnit)]!;
    if (replaced) {
      if (item < this.written) this.usable = false;
      return;
    }
    this.missing[item]!--;
    if (item === this.written) this.advance();
  }

  /** Closes the spool: the items written, or undefined when the report must be written whole. */
  finish(): { file: string; items: number } | undefined {
    try {
      this.out.close();
    } catch {
      this.usable = false;
    }
    return this.usable ? { file: this.file, items: this.written } : undefined;
  }

  discard(): void {
    this.out.close();
    removeFile(this.file);
  }

  private advance(): void {
    try {
      while (this.usable && this.written < this.order.length && this.missing[this.written] === 0) {
        const { id, units } = this.order[this.written]!;
        this.out.write(itemsSection(this.render(id, units), this.written));
        this.written++;
      }
    } catch {
      // Never a reason to lose a run: the report is written whole at the end instead.
      this.usable = false;
    }
  }
}
