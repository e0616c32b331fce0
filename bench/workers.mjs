// `jury run --workers n` (issue 21): 1,000 generated conversations × 4 criteria × 3 judges = 12,000 calls at 1 ms
// latency (where one process is CPU-bound), concurrency 64, in one process and split across 2 workers; wall time,
// CPU and the report's bytes. The fake server runs in this process, on the same two cores.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FakeLlmServer } from '../dist-bench/fake-llm-server.js';
import { timed, workspace } from './workload.mjs';

const server = await new FakeLlmServer({ latencyMs: 1 }).start();
const dir = workspace(1000, server.url, 64);
const results = [];
for (const workers of [1, 2]) {
  server.reset({ latencyMs: 1 });
  const args = ['run', '--out', `out-${workers}`, '--no-cache', ...(workers > 1 ? ['--workers', String(workers)] : [])];
  const run = await timed(args, dir);
  results.push({ workers, calls: server.calls.length, ...run });
  console.log(`workers ${workers}: ${server.calls.length} calls at 1 ms, wall ${run.wall.toFixed(2)} s (${(server.calls.length / run.wall).toFixed(0)} calls/s), CPU of jury's processes ${run.cpu.toFixed(2)} s (${((run.cpu * 1000) / server.calls.length).toFixed(3)} ms a call), peak RSS of the parent ${run.rssMb.toFixed(0)} MB`);
}
await server.close();
const same = readFileSync(path.join(dir, 'out-1/bench/report.json')).equals(readFileSync(path.join(dir, 'out-2/bench/report.json')));
console.log(`workers: speed-up ${(results[0].wall / results[1].wall).toFixed(2)}× with 2 workers on this 2-core machine (the server shares the cores); reports identical: ${same}`);
