// jury's own CPU per judge call above the SDK floor, and the wall time against the ideal bound (issue 21).
// The built CLI judges 1,000 generated conversations × 4 criteria × 3 judges (two OpenAI-compatible, one Anthropic) =
// 12,000 calls at 64 in flight, at 1 ms and at 200 ms latency (and 6,000 at 100 ms for the wall-time target); the
// fake server records every request body. Then a floor client
// replays exactly those bodies through the same SDK clients over jury's transport (`judges/http-fetch.ts`), 64 in
// flight, and nothing else: no config, no journal, no cache, no report. Both processes are measured whole (Node's
// start and the SDKs' loading included; the floor's reading of the recorded bodies is measured and taken out), so the
// difference is what jury adds to a call (its start, its end and everything between, over the calls). Also prints, at
// 12,000 calls and 200 ms, the time from the last reply leaving the server to the process's exit (the end-of-run cost). Run with `npm run bench`, or `node bench/overhead.mjs` after
// `npm run build && npx tsc -p tsconfig.bench.json`.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { timed, workspace } from './workload.mjs';

const CONCURRENCY = 64;

if (process.argv[2] === 'floor') await floor(process.argv[3], process.argv[4], Number(process.argv[5]));
else await main();

async function main() {
  const { FakeLlmServer } = await import('../dist-bench/fake-llm-server.js');
  const server = await new FakeLlmServer({ latencyMs: 1 }).start();
  const measure = async (conversations, latencyMs) => {
    server.reset({ latencyMs });
    const dir = workspace(conversations, server.url, CONCURRENCY);
    // With the reply cache on, as a run is by default (the workspace's cache starts empty).
    const jury = await timed(['run', '--out', 'out'], dir);
    const calls = server.calls.length;
    const endMs = performance.now() - server.lastReplyAt;
    const bodies = path.join(dir, 'bodies.jsonl');
    writeFileSync(bodies, server.calls.map(({ request }) => JSON.stringify({ api: request.api, body: request.body })).join('\n') + '\n');
    server.reset({ latencyMs });
    const sdk = await floorRun(server.url, bodies, latencyMs);
    return { calls, ideal: (calls * latencyMs) / 1000 / CONCURRENCY, jury, floorMs: sdk.cpuMs, floorWall: sdk.wall, endMs };
  };
  // The machine's speed drifts between runs (±10%): each figure is the median of a few runs, jury's and the floor's
  // interleaved.
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [latencyMs, repeats] of [[1, 3], [200, 3]]) {
    const runs = [];
    for (let r = 0; r < repeats; r++) runs.push(await measure(1000, latencyMs));
    const calls = runs[0].calls;
    const juryMs = median(runs.map((m) => (m.jury.cpu * 1000) / m.calls));
    const floorMs = median(runs.map((m) => m.floorMs / m.calls));
    const own = median(runs.map((m) => (m.jury.cpu * 1000 - m.floorMs) / m.calls));
    console.log(`${latencyMs} ms latency, ${calls} calls, ${CONCURRENCY} in flight (median of ${repeats}): jury ${juryMs.toFixed(3)} ms CPU/call, SDK floor ${floorMs.toFixed(3)} → jury's own ${own.toFixed(3)} ms/call (target ≤ 0.2; runs: ${runs.map((m) => ((m.jury.cpu * 1000 - m.floorMs) / m.calls).toFixed(3)).join(', ')}); wall ×${median(runs.map((m) => m.jury.wall / m.ideal)).toFixed(3)} of ideal, peak RSS ${median(runs.map((m) => m.jury.rssMb)).toFixed(0)} MB`);
    if (latencyMs === 200) console.log(`end of run at ${calls} verdicts (200 ms latency): last reply → exit ${runs.map((m) => (m.endMs / 1000).toFixed(3)).join(' s, ')} s (target < 0.2 s; the exit of /usr/bin/time included)`);
  }
  const mid = await measure(500, 100);
  console.log(`100 ms latency, ${mid.calls} calls, ${CONCURRENCY} in flight: wall ${mid.jury.wall.toFixed(2)} s vs ideal ${mid.ideal.toFixed(2)} s = ×${(mid.jury.wall / mid.ideal).toFixed(3)} (target ≤ 1.10; the SDK floor's own run ×${(mid.floorWall / mid.ideal).toFixed(3)}), jury's own ${((mid.jury.cpu * 1000 - mid.floorMs) / mid.calls).toFixed(3)} ms/call`);
  await server.close();
}

function floorRun(url, bodies, latencyMs) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'floor', url, bodies, String(latencyMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.on('close', (code) => (code === 0 ? resolve({ ...JSON.parse(text), wall: (performance.now() - started) / 1000 }) : reject(new Error(`floor client exited ${code}`))));
  });
}

/** Replays the recorded bodies through the SDKs over jury's transport; prints the process's CPU less the reading. */
async function floor(url, file, latencyMs) {
  const { default: OpenAI } = await import('openai');
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const { createHttpFetch } = await import('../dist/judges/http-fetch.js');
  const beforeRead = process.cpuUsage();
  const requests = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const reading = process.cpuUsage(beforeRead);
  const options = { apiKey: 'x', maxRetries: 0, timeout: 60_000, logLevel: 'off', fetch: createHttpFetch() };
  const openai = new OpenAI({ ...options, baseURL: `${url}/v1` });
  const anthropic = new Anthropic({ ...options, baseURL: url });
  const call = ({ api, body }) => (api === 'openai' ? openai.chat.completions.create(body).withResponse() : anthropic.messages.create(body).withResponse());
  let next = 0;
  // Places start spread over one latency, so replies arrive one at a time as in a long run (not in bursts of 64).
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, k) => {
    await new Promise((resolve) => setTimeout(resolve, (k * latencyMs) / CONCURRENCY));
    while (next < requests.length) await call(requests[next++]);
  }));
  const used = process.cpuUsage();
  process.stdout.write(JSON.stringify({ cpuMs: (used.user + used.system - reading.user - reading.system) / 1000 }));
}
