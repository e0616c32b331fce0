// Throughput and memory of the built CLI against the project's fake provider server (issue 8).
//   1. 1,000 generated conversations × 4 criteria × 3 judges = 12,000 calls at 200 ms latency, concurrency 64:
//      wall time against the ideal bound (calls × latency / concurrency), client CPU ms per call, peak RSS.
//   2. The same run again, fully cached.
//   3. 100,000 verdicts at 1 ms latency: peak RSS (memory must stay flat), on this Node and on each pinned version
//      of scripts/node-versions.mjs (V8's heap rules differ between them).
// Needs /usr/bin/time (Debian package `time`) for the child's CPU and peak RSS. Run with `npm run bench`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FakeLlmServer } from '../dist-bench/fake-llm-server.js';
import { installPinned } from '../scripts/node-versions.mjs';
import { RUBRIC, timed, workspace } from './workload.mjs';
if (!existsSync('/usr/bin/time')) {
  console.error('bench: /usr/bin/time is needed (apt-get install time)');
  process.exit(1);
}

const server = await new FakeLlmServer({ latencyMs: 200 }).start();
const big = workspace(1000, server.url, 64);
const first = await timed(['run', '--out', 'out'], big);
const calls = server.calls.length;
const ideal = (calls * 0.2) / 64;
console.log(`12,000-call run: ${calls} calls, wall ${first.wall.toFixed(2)} s vs ideal ${ideal.toFixed(2)} s (×${(first.wall / ideal).toFixed(3)}), client CPU ${((first.cpu * 1000) / calls).toFixed(3)} ms/call, peak RSS ${first.rssMb.toFixed(0)} MB; server high-water ${server.maxInFlight} in flight`);
server.reset({ latencyMs: 200 });
const cached = await timed(['run', '--out', 'again'], big);
console.log(`fully cached re-run: wall ${cached.wall.toFixed(2)} s, ${server.calls.length} calls to the server, peak RSS ${cached.rssMb.toFixed(0)} MB`);
const same = readFileSync(path.join(big, 'out/bench/report.json')).equals(readFileSync(path.join(big, 'again/bench/report.json')));
console.log(`cached report identical: ${same}`);

// Input tokens per judged criterion: one call per criterion, or all four criteria in one call (mode: combined).
for (const mode of ['per_criterion', 'combined']) {
  server.reset({ latencyMs: 1 });
  const dir = workspace(100, server.url, 64);
  writeFileSync(path.join(dir, 'bench.yaml'), RUBRIC.replace('title: Bench rubric', `title: Bench rubric\nmode: ${mode}`));
  await timed(['run', '--out', 'out', '--no-cache'], dir);
  const run = JSON.parse(readFileSync(path.join(dir, 'out/bench/run.json'), 'utf8'));
  const input = Object.values(run.judges).reduce((s, j) => s + j.tokens.input, 0);
  const verdicts = Object.values(run.judges).reduce((s, j) => s + j.verdicts, 0);
  console.log(`mode ${mode}: ${server.calls.length} calls for ${verdicts} verdicts, ${(input / verdicts).toFixed(0)} input tokens per judged criterion`);
}

const nodes = [[process.versions.node, process.execPath], ...installPinned()];
for (const [version, node] of nodes) {
  server.reset({ latencyMs: 1 });
  const huge = workspace(8334, server.url, 64);
  const large = await timed(['run', '--out', 'out', '--no-cache'], huge, node);
  console.log(`100,000-verdict run on Node ${version}: ${server.calls.length} calls, wall ${large.wall.toFixed(2)} s, client CPU ${((large.cpu * 1000) / server.calls.length).toFixed(3)} ms/call, peak RSS ${large.rssMb.toFixed(0)} MB`);
}
await server.close();
