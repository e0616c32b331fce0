// Benchmark: grouping at scale stays linear. 100,000 items in one metadata slice (jury diff/run --by), and
// 100,000 labels of one criterion into an annotator table (jury annotators). Grouping by spreading a copy per
// element made the first take 43 s at 30,000 items; target: each under 0.5 s. Run with `npm run bench`.
import { performance } from 'node:perf_hooks';
import { groupBySlice } from '../dist/report/slices.js';
import { labelTables } from '../dist/annotators/table.js';

const n = 100_000;
const items = Array.from({ length: n }, (_, i) => ({ id: `item-${i}`, metadata: { genre: i % 1000 === 0 ? 'jazz' : 'rock' } }));
const labels = Array.from({ length: n }, (_, i) => ({ item: `item-${Math.floor(i / 5)}`, criterion: 'r/ok', annotator: `a${i % 500}`, score: 1 + (i % 5) }));

function best(f) {
  const runs = [];
  for (let r = 0; r < 3; r++) {
    const started = performance.now();
    f();
    runs.push(performance.now() - started);
  }
  return Math.min(...runs);
}
const slices = best(() => groupBySlice(items, 'metadata.genre'));
const tables = best(() => labelTables(labels));
console.log(`groupBySlice, ${n.toLocaleString('en')} items (99.9% in one slice): ${(slices / 1000).toFixed(3)} s; labelTables, ${n.toLocaleString('en')} labels: ${(tables / 1000).toFixed(3)} s`);
console.log(`target under 0.5 s each: ${slices < 500 && tables < 500 ? 'met' : 'NOT MET'}`);
