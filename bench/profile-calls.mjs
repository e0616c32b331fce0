// Where jury's CPU per judge call goes (issue 21): 500 generated conversations × 4 criteria × 3 judges = 6,000 calls
// at 100 ms latency, 64 in flight, run from the unbundled build (dist/cli/bin.js, so every sample names its module)
// under V8's sampling profiler; then the SDK floor of bench/overhead.mjs (the same request bodies through the same
// SDK clients over jury's transport, nothing else) under the same profiler. Self time is summed by where the code
// lives, for both: the SDKs, Node's HTTP and sockets, jury's transport, engine, journal, report, rendering, parsing,
// GC, start-up; the last column is what jury adds in each place. Not part of `npm run bench` (the profiler adds its
// own cost); run `node bench/profile-calls.mjs` after a build (PROFILE_LATENCY, PROFILE_CONVERSATIONS to vary).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FakeLlmServer } from '../dist-bench/fake-llm-server.js';
import { ROOT, workspace } from './workload.mjs';

const CONVERSATIONS = Number(process.env.PROFILE_CONVERSATIONS ?? 500);
const LATENCY = Number(process.env.PROFILE_LATENCY ?? 100);
const server = await new FakeLlmServer({ latencyMs: LATENCY }).start();
const dir = workspace(CONVERSATIONS, server.url, 64);
const profiled = (args, prof) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${prof}`, ...args], { cwd: dir, env: { PATH: process.env.PATH, BENCH_KEY: 'bench' }, stdio: ['ignore', 'ignore', args[1] === 'floor' ? 'inherit' : 'ignore'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(path.join(dir, prof, readdirSync(path.join(dir, prof))[0])) : reject(new Error(`${args[0]} exited ${code}`))));
  });
const juryProfile = await profiled([path.join(ROOT, 'dist/cli/bin.js'), 'run', '--out', 'out', '--no-cache'], 'prof');
const calls = server.calls.length;
writeFileSync(path.join(dir, 'bodies.jsonl'), server.calls.map(({ request }) => JSON.stringify({ api: request.api, body: request.body })).join('\n') + '\n');
server.reset({ latencyMs: LATENCY });
const floorProfile = await profiled([path.join(ROOT, 'bench/overhead.mjs'), 'floor', server.url, path.join(dir, 'bodies.jsonl'), String(LATENCY)], 'prof-floor');
await server.close();

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
const placeOf = (node) => {
  const { url, functionName } = node.callFrame;
  const key = url === '' && functionName.startsWith('(') ? functionName : url;
  const rule = RULES.find(([pattern]) => pattern.test(key));
  return rule ? rule[1] : 'other';
};
/** Self time (µs) by place in one profile; idle left out. */
function places(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
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
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (!us) continue;
    const place = placeOf(node) === null ? null : charged(node);
    if (place === null) continue;
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
  }
  return byPlace;
}

const jury = places(juryProfile);
const floor = places(floorProfile);
const total = (m) => [...m.values()].reduce((a, b) => a + b, 0);
const ms = (us) => (us / 1000 / calls).toFixed(3);
console.log(`profile: ${calls} calls at ${LATENCY} ms, 64 in flight; ms of sampled CPU a call (idle left out): jury ${ms(total(jury))}, SDK floor ${ms(total(floor))}, jury adds ${ms(total(jury) - total(floor))}`);
console.log(`  ${'place'.padEnd(36)} ${'jury'.padStart(7)} ${'floor'.padStart(7)} ${'adds'.padStart(7)}`);
for (const [place, us] of [...jury].sort((a, b) => b[1] - a[1])) console.log(`  ${place.padEnd(36)} ${ms(us).padStart(7)} ${ms(floor.get(place) ?? 0).padStart(7)} ${ms(us - (floor.get(place) ?? 0)).padStart(7)}`);
console.log(`profiles: ${juryProfile} ${floorProfile}`);
