/**
 * Dawid–Skene (1979): each item has one true class; each annotator labels an item of true class k with label l
 * with probability π[annotator][k][l] (their confusion matrix), independently of the others. EM estimates the
 * class priors, every confusion matrix and each item's posterior over classes from the labels alone.
 *
 * Documented choices (docs/statistics.md, "Dawid–Skene"):
 * - Start: each item's majority vote, a tie split evenly between the tied classes (never decided by order);
 *   or, with `start: 'shares'`, each item's share of the votes per class (the paper's own start). EM finds a
 *   local maximum: on the paper's data the two starts end at different ones (docs/statistics.md).
 * - M-step (the paper's 2.3 and 2.4, maximum likelihood, no smoothing). A confusion row with no evidence (the
 *   annotator labelled nothing the current posteriors place in that class) is uniform: with nothing known,
 *   every label is equally likely.
 * - E-step (2.5): products of probabilities; an item whose products underflow (123 annotators on one item)
 *   is redone as a sum of logs.
 * - Converged when no posterior moved by more than `tolerance` (1e-6) in one iteration; at most
 *   `maxIterations` (1,000), after which `converged` is false and says so.
 * - An annotator may label an item more than once (the paper's first anaesthetist did, three times).
 * Pure and deterministic: the same labels in the same order give the same fit, bit for bit (callers sort them).
 */
export interface DawidSkeneData {
  /** Number of classes (K), items (I) and annotators (J); labels refer to them by index. */
  classes: number;
  items: number;
  annotators: number;
  /** One entry per label: which item, which annotator, which class they chose. */
  item: Int32Array;
  annotator: Int32Array;
  label: Int32Array;
}

export interface DawidSkeneFit {
  /** Estimated share of items in each class. */
  priors: number[];
  /** confusion[j][k][l]: probability annotator j says l when the item is of class k. */
  confusion: number[][][];
  /** posterior[i * K + k]: probability item i is of class k. Items nobody labelled keep the priors. */
  posterior: Float64Array;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

export interface DawidSkeneOptions {
  tolerance?: number;
  maxIterations?: number;
  /** `majority` (the default): each item's majority vote, ties split; `shares`: each item's share of votes per class, the paper's own start. */
  start?: 'majority' | 'shares';
}

export function dawidSkene(data: DawidSkeneData, options: DawidSkeneOptions = {}): DawidSkeneFit {
  const tolerance = options.tolerance ?? 1e-6;
  const maxIterations = options.maxIterations ?? 1000;
  const { classes: K, items: I, annotators: J } = data;
  const N = data.label.length;
  let posterior: Float64Array = startingPoint(data, options.start ?? 'majority');
  const labelled = new Uint8Array(I);
  for (let n = 0; n < N; n++) labelled[data.item[n]!] = 1;
  const byItem = labelsByItem(data);
  const labelledCount = labelled.reduce((s, x) => s + x, 0);
  const priors = new Float64Array(K);
  const confusion = new Float64Array(J * K * K);
  let posteriorNext: Float64Array = new Float64Array(I * K);
  let iterations = 0;
  let converged = false;
  let logLikelihood = 0;
  while (iterations < maxIterations) {
    iterations++;
    mStep(data, posterior, labelled, labelledCount, priors, confusion);
    const step = eStep(data, { priors, confusion }, byItem, labelled, posterior, posteriorNext);
    logLikelihood = step.logLikelihood;
    [posterior, posteriorNext] = [posteriorNext, posterior];
    if (step.moved <= tolerance) {
      converged = true;
      break;
    }
  }
  const matrices = Array.from({ length: J }, (_, j) => Array.from({ length: K }, (_, k) => Array.from(confusion.subarray((j * K + k) * K, (j * K + k + 1) * K))));
  return { priors: Array.from(priors), confusion: matrices, posterior, logLikelihood, iterations, converged };
}

/** Each labelled item's majority vote as a distribution (ties share the weight equally), or its vote shares. */
function startingPoint(data: DawidSkeneData, kind: 'majority' | 'shares'): Float64Array {
  const K = data.classes;
  const votes = new Float64Array(data.items * K);
  for (let n = 0; n < data.label.length; n++) votes[data.item[n]! * K + data.label[n]!]!++;
  const start = new Float64Array(data.items * K);
  for (let i = 0; i < data.items; i++) {
    let top = 0;
    for (let k = 0; k < K; k++) top = Math.max(top, votes[i * K + k]!);
    if (top === 0) continue;
    if (kind === 'shares') {
      let total = 0;
      for (let k = 0; k < K; k++) total += votes[i * K + k]!;
      for (let k = 0; k < K; k++) start[i * K + k] = votes[i * K + k]! / total;
      continue;
    }
    let tied = 0;
    for (let k = 0; k < K; k++) if (votes[i * K + k] === top) tied++;
    for (let k = 0; k < K; k++) if (votes[i * K + k] === top) start[i * K + k] = 1 / tied;
  }
  return start;
}

function mStep(data: DawidSkeneData, posterior: Float64Array, labelled: Uint8Array, labelledCount: number, priors: Float64Array, confusion: Float64Array): void {
  const K = data.classes;
  const { item, annotator, label, items } = data;
  const N = label.length;
  priors.fill(0);
  for (let i = 0; i < items; i++) if (labelled[i]) for (let k = 0; k < K; k++) priors[k]! += posterior[i * K + k]!;
  for (let k = 0; k < K; k++) priors[k] = priors[k]! / labelledCount;
  confusion.fill(0);
  for (let n = 0; n < N; n++) {
    const row = item[n]! * K;
    const base = annotator[n]! * K * K + label[n]!;
    for (let k = 0; k < K; k++) confusion[base + k * K]! += posterior[row + k]!;
  }
  for (let row = 0; row < data.annotators * K; row++) {
    let total = 0;
    for (let l = 0; l < K; l++) total += confusion[row * K + l]!;
    for (let l = 0; l < K; l++) confusion[row * K + l] = total > 0 ? confusion[row * K + l]! / total : 1 / K;
  }
}

/** Below this an item's product of probabilities may have lost precision to underflow: redone with logs. */
const TINY = 1e-250;

/**
 * Posteriors from the current parameters into `out`; returns the log-likelihood of the labels and the largest
 * change of any posterior from `previous`. Each item's prior times its label probabilities, a product; an item
 * whose products all come out below TINY (many labels, small probabilities) is redone as a sum of logs, so
 * nothing underflows, and no item pays for an exp per class unless it needs to.
 */
function eStep(data: DawidSkeneData, params: { priors: Float64Array; confusion: Float64Array }, byItem: { start: Int32Array; labels: Int32Array }, labelled: Uint8Array, previous: Float64Array, out: Float64Array): { logLikelihood: number; moved: number } {
  const K = data.classes;
  const { item, annotator, label, items } = data;
  const { priors, confusion } = params;
  const N = label.length;
  for (let i = 0; i < items; i++) for (let k = 0; k < K; k++) out[i * K + k] = priors[k]!;
  for (let n = 0; n < N; n++) {
    const row = item[n]! * K;
    const base = annotator[n]! * K * K + label[n]!;
    for (let k = 0; k < K; k++) out[row + k]! *= confusion[base + k * K]!;
  }
  let logLikelihood = 0;
  let moved = 0;
  for (let i = 0; i < items; i++) {
    const row = i * K;
    if (!labelled[i]) {
      // Nobody labelled it: the priors are all that is known of it.
      for (let k = 0; k < K; k++) out[row + k] = priors[k]!;
    } else {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += out[row + k]!;
      if (sum >= TINY) {
        for (let k = 0; k < K; k++) out[row + k] = out[row + k]! / sum;
        logLikelihood += Math.log(sum);
      } else logLikelihood += itemInLogs(data, params, byItem, i, out);
    }
    for (let k = 0; k < K; k++) {
      // A NaN must never pass for "moved nothing".
      const change = Math.abs(out[row + k]! - previous[row + k]!);
      if (!(change <= moved)) moved = change;
    }
  }
  return { logLikelihood, moved };
}

/** One item's posterior from sums of logs (log-sum-exp); returns its log-likelihood. */
function itemInLogs(data: DawidSkeneData, params: { priors: Float64Array; confusion: Float64Array }, byItem: { start: Int32Array; labels: Int32Array }, i: number, out: Float64Array): number {
  const K = data.classes;
  const row = i * K;
  for (let k = 0; k < K; k++) out[row + k] = Math.log(params.priors[k]!);
  for (let x = byItem.start[i]!; x < byItem.start[i + 1]!; x++) {
    const n = byItem.labels[x]!;
    const base = data.annotator[n]! * K * K + data.label[n]!;
    for (let k = 0; k < K; k++) out[row + k]! += Math.log(params.confusion[base + k * K]!);
  }
  let top = -Infinity;
  for (let k = 0; k < K; k++) top = Math.max(top, out[row + k]!);
  let sum = 0;
  for (let k = 0; k < K; k++) sum += out[row + k] = Math.exp(out[row + k]! - top);
  for (let k = 0; k < K; k++) out[row + k] = out[row + k]! / sum;
  return top + Math.log(sum);
}

/** Each item's labels, as offsets into one list (for the items redone in logs). */
function labelsByItem(data: DawidSkeneData): { start: Int32Array; labels: Int32Array } {
  const start = new Int32Array(data.items + 1);
  for (let n = 0; n < data.label.length; n++) start[data.item[n]! + 1]!++;
  for (let i = 0; i < data.items; i++) start[i + 1]! += start[i]!;
  const next = start.slice(0, data.items);
  const labels = new Int32Array(data.label.length);
  for (let n = 0; n < data.label.length; n++) labels[next[data.item[n]!]!++] = n;
  return { start, labels };
}

/** The most probable class of item i, or null when two classes are equally probable (a tie stays a tie). */
export function posteriorClass(fit: Pick<DawidSkeneFit, 'posterior'>, classes: number, item: number, tieTolerance = 1e-9): number | null {
  let best = 0;
  for (let k = 1; k < classes; k++) if (fit.posterior[item * classes + k]! > fit.posterior[item * classes + best]!) best = k;
  for (let k = 0; k < classes; k++) if (k !== best && fit.posterior[item * classes + best]! - fit.posterior[item * classes + k]! <= tieTolerance) return null;
  return best;
}
