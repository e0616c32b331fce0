// Benchmark: Bradley–Terry with ties (Davidson) and 1,000 bootstrap resamples on 10,000 votes between 20 systems.
// Target (issue 18): ≤ 2 s. Run with `npm run bench`.
import { performance } from 'node:perf_hooks';
import { battlesOf } from '../dist/stats/battles.js';
import { rankSystems } from '../dist/stats/ranking.js';
import { seededRng } from '../dist/stats/rng.js';

const systems = 20;
const votes = 10_000;
const rng = seededRng(42);
// True strengths spread over about 400 Elo points; ν = 0.5.
const theta = Array.from({ length: systems }, (_, s) => (s - systems / 2) * 0.1);
const list = Array.from({ length: votes }, () => {
  const i = rng.int(systems);
  const j = (i + 1 + rng.int(systems - 1)) % systems;
  const [pi, pj, tie] = [Math.exp(theta[i]), Math.exp(theta[j]), 0.5 * Math.exp((theta[i] + theta[j]) / 2)];
  const u = rng.next() * (pi + pj + tie);
  return { a: `system-${i}`, b: `system-${j}`, outcome: u < pi ? 'a' : u < pi + pj ? 'b' : 'tie' };
});
const battles = battlesOf(list);
const runs = [];
let result;
for (let k = 0; k < 3; k++) {
  const started = performance.now();
  result = rankSystems(battles, { resamples: 1000, seed: 1 });
  runs.push(performance.now() - started);
}
const best = Math.min(...runs);
const top = result.systems[0];
console.log(`Bradley–Terry (Davidson), ${votes} votes × ${systems} systems, 1000 bootstrap resamples: best of 3 ${(best / 1000).toFixed(3)} s (runs: ${runs.map((r) => (r / 1000).toFixed(3)).join(', ')} s)`);
console.log(`top: ${top.system} ${top.rating.toFixed(0)} [${top.ci.low.toFixed(0)}, ${top.ci.high.toFixed(0)}] (${top.ci.method}), ν = ${result.tie.toFixed(3)}, ${result.skipped} resamples skipped; target ≤ 2 s: ${best <= 2000 ? 'met' : 'NOT MET'}`);
