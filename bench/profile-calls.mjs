// Where jury's CPU per judge call goes (issue 21): 500 generated conversations × 4 criteria × 3 judges = 6,000 calls
// at 100 ms latency, 64 in flight, run from the unbundled build (dist/cli/bin.js, so every sample names its module)
// under V8's sampling profiler. Self time is summed by where the code lives: the SDKs, Node's HTTP and sockets,
// jury's transport, engine, journal, cache, report, request rendering, verdict parsing, progress, GC, start-up.
// Not part of `npm run bench` (the profiler adds its own cost); run `node bench/profile-calls.mjs` after a build.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FakeLlmServer } from '../dist-bench/fake-llm-server.js';
import { ROOT, workspace } from './workload.mjs';

const CONVERSATIONS = Number(process.env.PROFILE_CONVERSATIONS ?? 500);
const LATENCY = Number(process.env.PROFILE_LATENCY ?? 100);
const server = await new FakeLlmServer({ latencyMs: LATENCY }).start();
const dir = workspace(CONVERSATIONS, server.url, 64);
await new Promise((resolve, reject) => {
  const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=prof', path.join(ROOT, 'dist/cli/bin.js'), 'run', '--out', 'out', '--no-cache'], { cwd: dir, env: { PATH: process.env.PATH, BENCH_KEY: 'bench' }, stdio: ['ignore', 'ignore', 'ignore'] });
  child.on('error', reject);
  child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`jury exited ${code}`))));
});
const calls = server.calls.length;
await server.close();

const file = path.join(dir, 'prof', readdirSync(path.join(dir, 'prof'))[0]);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

// The first matching rule names a sample's place.
const RULES = [
  [/^\(garbage collector\)$/, 'GC'],
  [/^\((idle|program)\)$/, null],
  [/node_modules\/openai\//, 'openai SDK'],
  [/node_modules\/@anthropic-ai\//, 'anthropic SDK'],
  [/node_modules\/zod\//, 'zod (schema checks)'],
  [/node_modules\/yaml\//, 'yaml (config, rubrics)'],
  [/node_modules\/(commander|p-limit|yocto-queue|tinyglobby|picomatch|fdir)\//, 'other dependencies'],
  [/dist\/judges\/http-fetch/, 'jury transport (http-fetch)'],
  [/dist\/judges\/(parse-verdict|verdict|score-logprobs)/, 'verdict parsing'],
  [/dist\/judges\/(request|pairwise-request)|dist\/rubric\/render|dist\/transcript\/render/, 'request rendering'],
  [/dist\/judges\//, 'provider adapters'],
  [/dist\/engine\/(reply-cache|cache-key)/, 'reply cache'],
  [/dist\/engine\/(run-plan|jobs|rate-limit|retry|panel|batch)/, 'engine (scheduling, jobs)'],
  [/dist\/engine\/(events|run-stats)|dist\/cli\/print/, 'events, stats, progress'],
  [/dist\/engine\//, 'engine (other)'],
  [/dist\/journal\//, 'journal'],
  [/dist\/(report|aggregate|stats|render)\//, 'report and statistics'],
  [/dist\/(transcript|config|plan|diagnostics|format)\//, 'loading and planning'],
  [/dist\//, 'jury (other)'],
  [/^node:(internal\/)?(_?http|https|net|stream|internal\/streams|tls|dns|internal\/http)|node:internal\/(http|net|stream_base|js_stream|streams)/, 'Node HTTP, sockets, streams'],
  [/^node:internal\/(modules|process\/esm|vm|bootstrap)|^node:internal\/main/, 'Node start-up, module loading'],
  [/^node:(internal\/)?(fs|internal\/fs)/, 'Node fs'],
  [/^node:/, 'Node (other)'],
  [/^$/, 'V8 builtins and native (unattributed)'],
];
// Builtins (JSON, regexes, strings) and Node's generic internals (events, buffers, timers, promises) are charged to
// the nearest caller with a place of its own: JSON.parse under the SDK's reply reading counts as the SDK's.
const GENERIC = new Set(['V8 builtins and native (unattributed)', 'Node (other)']);
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
const placeOf = (node) => {
  const { url, functionName } = node.callFrame;
  const key = url === '' && functionName.startsWith('(') ? functionName : url;
  const rule = RULES.find(([pattern]) => pattern.test(key));
  return rule ? rule[1] : 'other';
};
const charged = (node) => {
  const own = placeOf(node);
  if (!GENERIC.has(own)) return own;
  for (let up = parent.get(node.id); up; up = parent.get(up.id)) {
    const place = placeOf(up);
    if (place === null) break;
    if (!GENERIC.has(place)) return place;
  }
  return own;
};
const byPlace = new Map();
let total = 0;
for (const node of profile.nodes) {
  const us = self.get(node.id) ?? 0;
  if (!us) continue;
  const place = placeOf(node) === null ? null : charged(node);
  if (place === null) continue;
  byPlace.set(place, (byPlace.get(place) ?? 0) + us);
  total += us;
}
console.log(`profile: ${calls} calls at ${LATENCY} ms, 64 in flight; ${(total / 1000).toFixed(0)} ms of sampled CPU (idle left out), ${(total / 1000 / calls).toFixed(3)} ms a call`);
console.log(`profile file: ${file}`);
for (const [place, us] of [...byPlace].sort((a, b) => b[1] - a[1])) console.log(`  ${place.padEnd(36)} ${(us / 1000).toFixed(0).padStart(6)} ms  ${(us / 1000 / calls).toFixed(3)} ms/call  ${((us / total) * 100).toFixed(1).padStart(5)}%`);
