import type { PairCounts } from './battles.js';

/**
 * Bradley–Terry with ties in Davidson's form (Davidson 1970, JASA 65:317–328): system i has strength π_i = e^θ_i,
 * and in a battle of i and j
 *   P(i wins) = π_i / D,  P(j wins) = π_j / D,  P(tie) = ν √(π_i π_j) / D,  D = π_i + π_j + ν √(π_i π_j).
 * ν ≥ 0 says how readily battles tie (ν = 0 is the plain Bradley–Terry model, used when no battle tied). Fitted
 * by maximum likelihood with Newton's method on (θ, log ν): the log-likelihood is concave in them (a sum of linear
 * terms minus log-sum-exps), so the step is halved until it climbs and the fit converges where the maximum exists.
 * Strengths are centred (mean θ = 0); only differences are identified.
 */
export interface DavidsonFit {
  /** θ_i, mean zero. */
  strengths: Float64Array;
  /** ν (0 when no battle tied). */
  tie: number;
  logLikelihood: number;
  iterations: number;
}

export type FitResult = DavidsonFit | { reason: string };

const MAX_ITERATIONS = 100;

/**
 * The maximum-likelihood fit, or why none exists. It exists exactly when the systems cannot be split into two
 * groups with one never beating or tying the other (Ford 1957's condition, a tie counting both ways): otherwise
 * the likelihood keeps rising as the groups drift apart and the strengths go to infinity.
 */
export function fitDavidson(counts: PairCounts, names?: readonly string[]): FitResult {
  const n = counts.systems;
  if (n < 2) return { reason: 'fewer than two systems' };
  const losers = separation(counts);
  if (losers) {
    const who = losers.map((s) => names?.[s] ?? `system ${s}`);
    const listed = who.length > 5 ? `${who.slice(0, 5).join(', ')} and ${who.length - 5} more` : who.join(', ');
    return { reason: losers.length === n ? 'a system has no battle' : `${listed} never beat or tied any of the other systems, so how far below them ${losers.length === 1 ? 'it stands' : 'they stand'} has no finite estimate` };
  }
  let anyTie = false;
  let anyWin = false;
  for (let p = 0; p < counts.i.length; p++) {
    if (counts.ties[p]! > 0) anyTie = true;
    if (counts.winsI[p]! > 0 || counts.winsJ[p]! > 0) anyWin = true;
  }
  if (!anyWin) return { reason: 'every battle was a tie: the model cannot tell how readily battles tie from how strong the systems are' };
  // Parameters: θ_1..θ_{n−1} (θ_0 fixed at 0 while fitting), then log ν when some battle tied.
  const dim = n - 1 + (anyTie ? 1 : 0);
  const theta = new Float64Array(n);
  let eta = anyTie ? 0 : -Infinity;
  let ll = logLikelihood(counts, theta, eta);
  const gradient = new Float64Array(dim);
  const hessian = new Float64Array(dim * dim);
  let iterations = 0;
  for (; iterations < MAX_ITERATIONS; iterations++) {
    derivatives(counts, theta, eta, anyTie, gradient, hessian);
    let largest = 0;
    for (let d = 0; d < dim; d++) largest = Math.max(largest, Math.abs(gradient[d]!));
    if (largest < 1e-9) break;
    const step = solveNegative(hessian, gradient, dim);
    if (!step) return { reason: 'the fit did not converge (a singular information matrix)' };
    let scale = 1;
    for (;;) {
      const nextTheta = theta.slice();
      for (let s = 1; s < n; s++) nextTheta[s]! += scale * step[s - 1]!;
      const nextEta = anyTie ? eta + scale * step[n - 1]! : eta;
      const nextLl = logLikelihood(counts, nextTheta, nextEta);
      if (nextLl >= ll - 1e-12 * Math.abs(ll)) {
        theta.set(nextTheta);
        eta = nextEta;
        ll = nextLl;
        break;
      }
      scale /= 2;
      if (scale < 1e-10) return { reason: 'the fit did not converge (no step raised the likelihood)' };
    }
  }
  if (iterations === MAX_ITERATIONS) return { reason: `the fit did not converge in ${MAX_ITERATIONS} Newton steps` };
  let mean = 0;
  for (let s = 0; s < n; s++) mean += theta[s]!;
  mean /= n;
  for (let s = 0; s < n; s++) theta[s]! -= mean;
  return { strengths: theta, tie: anyTie ? Math.exp(eta) : 0, logLikelihood: ll, iterations };
}

/** log-likelihood of the counts at (θ, η = log ν). */
export function logLikelihood(counts: PairCounts, theta: ArrayLike<number>, eta: number): number {
  let ll = 0;
  for (let p = 0; p < counts.i.length; p++) {
    const ti = theta[counts.i[p]!]!;
    const tj = theta[counts.j[p]!]!;
    const tt = eta + (ti + tj) / 2;
    const top = Math.max(ti, tj, tt);
    const logD = top + Math.log(Math.exp(ti - top) + Math.exp(tj - top) + Math.exp(tt - top));
    const wi = counts.winsI[p]!;
    const wj = counts.winsJ[p]!;
    const t = counts.ties[p]!;
    ll += wi * (ti - logD) + wj * (tj - logD) + (t > 0 ? t * (tt - logD) : 0);
  }
  return ll;
}

/**
 * Gradient and Hessian in (θ_1..θ_{n−1}, η). Per pair, log D is the log-sum-exp of θ_i, θ_j and η + (θ_i+θ_j)/2,
 * so its Hessian is the covariance of the vectors (1,0,0), (0,1,0), (½,½,1) under the outcome probabilities.
 */
function derivatives(counts: PairCounts, theta: Float64Array, eta: number, withTies: boolean, gradient: Float64Array, hessian: Float64Array): void {
  const n = counts.systems;
  const dim = gradient.length;
  gradient.fill(0);
  hessian.fill(0);
  for (let p = 0; p < counts.i.length; p++) {
    const i = counts.i[p]!;
    const j = counts.j[p]!;
    const ti = theta[i]!;
    const tj = theta[j]!;
    const tt = eta + (ti + tj) / 2;
    const top = Math.max(ti, tj, tt);
    const ei = Math.exp(ti - top);
    const ej = Math.exp(tj - top);
    const et = withTies ? Math.exp(tt - top) : 0;
    const sum = ei + ej + et;
    const pi = ei / sum;
    const pj = ej / sum;
    const pt = et / sum;
    const total = counts.winsI[p]! + counts.winsJ[p]! + counts.ties[p]!;
    // Expected value of each coordinate (θ_i, θ_j, η) under the outcome distribution.
    const mi = pi + pt / 2;
    const mj = pj + pt / 2;
    const mt = pt;
    const gi = counts.winsI[p]! + counts.ties[p]! / 2 - total * mi;
    const gj = counts.winsJ[p]! + counts.ties[p]! / 2 - total * mj;
    // Second moments minus products of means: Var and Cov of the coordinates.
    const vii = pi + pt / 4 - mi * mi;
    const vjj = pj + pt / 4 - mj * mj;
    const vij = pt / 4 - mi * mj;
    const vit = pt / 2 - mi * mt;
    const vjt = pt / 2 - mj * mt;
    const vtt = pt - mt * mt;
    // Scatter into the reduced vector: θ_0 is fixed (index −1), η is last.
    const ri = i - 1;
    const rj = j - 1;
    const rt = withTies ? n - 1 : -1;
    const add = (r: number, c: number, v: number) => {
      if (r >= 0 && c >= 0) hessian[r * dim + c]! -= total * v;
    };
    if (ri >= 0) gradient[ri]! += gi;
    if (rj >= 0) gradient[rj]! += gj;
    if (rt >= 0) gradient[rt]! += counts.ties[p]! - total * mt;
    add(ri, ri, vii);
    add(rj, rj, vjj);
    add(ri, rj, vij);
    add(rj, ri, vij);
    add(rt, rt, vtt);
    add(ri, rt, vit);
    add(rt, ri, vit);
    add(rj, rt, vjt);
    add(rt, rj, vjt);
  }
}

/** Solves (−H) x = g for a negative definite H by Cholesky; undefined when −H is not positive definite. */
function solveNegative(hessian: Float64Array, gradient: Float64Array, dim: number): Float64Array | undefined {
  const l = new Float64Array(dim * dim);
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c <= r; c++) {
      let s = -hessian[r * dim + c]!;
      for (let k = 0; k < c; k++) s -= l[r * dim + k]! * l[c * dim + k]!;
      if (r === c) {
        if (!(s > 1e-300)) return undefined;
        l[r * dim + r] = Math.sqrt(s);
      } else l[r * dim + c] = s / l[c * dim + c]!;
    }
  }
  const y = new Float64Array(dim);
  for (let r = 0; r < dim; r++) {
    let s = gradient[r]!;
    for (let k = 0; k < r; k++) s -= l[r * dim + k]! * y[k]!;
    y[r] = s / l[r * dim + r]!;
  }
  const x = new Float64Array(dim);
  for (let r = dim - 1; r >= 0; r--) {
    let s = y[r]!;
    for (let k = r + 1; k < dim; k++) s -= l[k * dim + r]! * x[k]!;
    x[r] = s / l[r * dim + r]!;
  }
  return x;
}

/**
 * Undefined when a maximum exists; else a group of systems that never beat or tied any system outside it (every
 * system, when one had no battle). The maximum exists exactly when the "won or tied against" graph is strongly
 * connected: every system reaches every other through battles it won or tied.
 */
function separation(counts: PairCounts): number[] | undefined {
  const n = counts.systems;
  const forward: number[][] = Array.from({ length: n }, () => []);
  const backward: number[][] = Array.from({ length: n }, () => []);
  const seen = new Uint8Array(n);
  for (let p = 0; p < counts.i.length; p++) {
    const i = counts.i[p]!;
    const j = counts.j[p]!;
    if (counts.winsI[p]! + counts.winsJ[p]! + counts.ties[p]! > 0) seen[i] = seen[j] = 1;
    // i → j: i did at least as well as j once (won or tied).
    if (counts.winsI[p]! > 0 || counts.ties[p]! > 0) {
      forward[i]!.push(j);
      backward[j]!.push(i);
    }
    if (counts.winsJ[p]! > 0 || counts.ties[p]! > 0) {
      forward[j]!.push(i);
      backward[i]!.push(j);
    }
  }
  if (seen.includes(0)) return Array.from({ length: n }, (_, s) => s);
  const reach = (graph: number[][]) => {
    const got = new Uint8Array(n);
    const stack = [0];
    got[0] = 1;
    while (stack.length) {
      for (const t of graph[stack.pop()!]!) {
        if (!got[t]) {
          got[t] = 1;
          stack.push(t);
        }
      }
    }
    return got;
  };
  // Those system 0 outdid, directly or through others: if not everyone, they never outdid anyone outside.
  const down = reach(forward);
  if (down.includes(0)) return Array.from({ length: n }, (_, s) => s).filter((s) => down[s]);
  // Those who outdid system 0: if not everyone, the rest never outdid any of them.
  const up = reach(backward);
  if (up.includes(0)) return Array.from({ length: n }, (_, s) => s).filter((s) => !up[s]);
  return undefined;
}
