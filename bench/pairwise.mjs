// Throughput of a pairwise run (issue 18) against the project's fake provider server: 500 scenarios played by two
// agent versions × 4 criteria × 2 orders × 3 judges = 12,000 calls at 200 ms latency, concurrency 64, set beside
// the pointwise run of the same size in throughput.mjs: wall against the ideal bound, client CPU per call, peak
// RSS, input tokens per call (a pairwise request carries both conversations). Run with `npm run bench`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FakeLlmServer } from '../dist-bench/fake-llm-server.js';
import { conversation, timed, workspace } from './workload.mjs';

if (!existsSync('/usr/bin/time')) {
  console.error('bench: /usr/bin/time is needed (apt-get install time)');
  process.exit(1);
}

const pairs = 500;
const server = await new FakeLlmServer({ latencyMs: 200 }).start();
const dir = workspace(pairs, server.url, 64);
writeFileSync(path.join(dir, 'candidate.jsonl'), Array.from({ length: pairs }, (_, i) => JSON.stringify(conversation(i, 1))).join('\n') + '\n');
const run = await timed(['run', '--out', 'out', '--no-cache', '--pairwise', 'data.jsonl', 'candidate.jsonl'], dir);
const calls = server.calls.length;
const ideal = (calls * 0.2) / 64;
const report = JSON.parse(readFileSync(path.join(dir, 'out/data-vs-candidate/report.json'), 'utf8'));
const stats = JSON.parse(readFileSync(path.join(dir, 'out/data-vs-candidate/run.json'), 'utf8'));
const input = Object.values(stats.judges).reduce((s, j) => s + j.tokens.input, 0);
console.log(`pairwise run: ${pairs} pairs × 4 criteria × 2 orders × 3 judges = ${calls} calls, ${(pairs / run.wall).toFixed(1)} pairs/s (${((pairs * 4) / run.wall).toFixed(1)} pair-criteria/s, every judge, both orders), wall ${run.wall.toFixed(2)} s vs ideal ${ideal.toFixed(2)} s (×${(run.wall / ideal).toFixed(3)}), client CPU ${((run.cpu * 1000) / calls).toFixed(3)} ms/call, peak RSS ${run.rssMb.toFixed(0)} MB, ${(input / calls).toFixed(0)} input tokens per call`);
console.log(`pairs with a panel verdict: ${report.pairwise.criteria.map((c) => `${c.criterion} ${c.pairs}`).join(', ')}; target wall ≤ 1.10 × ideal: ${run.wall <= 1.1 * ideal ? 'met' : 'NOT MET'}`);
await server.close();
