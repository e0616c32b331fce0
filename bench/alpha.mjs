// Benchmark: ordinal Krippendorff's alpha with a 1,000-resample bootstrap CI on 10,000 items × 5 raters.
// Target (issue 4): under 2 s on one core. Run with `npm run bench`.
import { performance } from 'node:perf_hooks';
import { agreementSuite } from '../dist/stats/suite.js';
import { seededRng } from '../dist/stats/rng.js';

const items = 10_000;
const raters = 5;
const rng = seededRng(42);
const table = Array.from({ length: items }, () => {
  const truth = 1 + rng.int(5);
  return Array.from({ length: raters }, () => {
    if (rng.next() < 0.05) return null; // some missing ratings
    const noise = rng.next() < 0.3 ? (rng.next() < 0.5 ? -1 : 1) : 0;
    return Math.min(5, Math.max(1, truth + noise));
  });
});

const runs = [];
let result;
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  result = agreementSuite(table, { level: 'ordinal', raters: ['a', 'b', 'c', 'd', 'e'], stats: ['krippendorff_alpha'], ci: true, seed: 1, resamples: 1000 });
  runs.push(performance.now() - started);
}
const [alpha] = result;
const best = Math.min(...runs);
console.log(`alpha ordinal, ${items} items × ${raters} raters, 1000 bootstrap resamples: best of 3 ${(best / 1000).toFixed(3)} s (runs: ${runs.map((r) => (r / 1000).toFixed(3)).join(', ')} s)`);
console.log(`alpha = ${alpha.value.toFixed(4)}, 95% CI [${alpha.ci.low.toFixed(4)}, ${alpha.ci.high.toFixed(4)}]; target < 2 s: ${best < 2000 ? 'met' : 'NOT MET'}`);
