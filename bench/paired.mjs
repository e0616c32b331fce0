// Paired runs: several jury builds (and the SDK floor client of bench/overhead.mjs) judge the same generated workload
// at the same time against one fake server, so that each repeat's figures share the machine's state. On this shared
// 2-core machine a solo run's CPU a call moves ±0.05 ms between runs (more than most changes are worth), while the
// difference between two processes run side by side moves by ~0.01: this is how changes to the engine were judged
// (docs/performance.md). The figures are lower than a solo run's (a busier CPU wakes less often from idle), so compare
// within one paired run only.
//
//   node bench/paired.mjs [latencyMs=200] [conversations=1000] [repeats=4] name=path/to/jury.js … [floor]
//
// A build is any copy of dist/ inside this repository (jury finds its package.json above it), e.g.
// `cp -r dist node_modules/.builds/before`. Needs `npm run build && npx tsc -p tsconfig.bench.json`.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspace } from './workload.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const numbers = args.filter((a) => /^\d+$/.test(a)).map(Number);
const [latencyMs = 200, conversations = 1000, repeats = 4] = numbers;
const variants = args.filter((a) => !/^\d+$/.test(a)).map((a) => (a === 'floor' ? { name: 'floor', floor: true } : { name: a.slice(0, a.indexOf('=')), bin: path.resolve(a.slice(a.indexOf('=') + 1)) }));
if (variants.filter((v) => !v.floor).length === 0) throw new Error('name at least one build: name=path/to/jury.js');
const { FakeLlmServer } = await import('../dist-bench/fake-llm-server.js');
const server = await new FakeLlmServer({ latencyMs }).start();
const calls = conversations * 12;

const run = (variant, cwd, bodies) =>
  new Promise((resolve, reject) => {
    const child = variant.floor
      ? spawn(process.execPath, [path.join(HERE, 'overhead.mjs'), 'floor', server.url, bodies, String(latencyMs)], { stdio: ['ignore', 'pipe', 'inherit'] })
      : spawn('/usr/bin/time', ['-f', '%U %S', process.execPath, variant.bin, 'run', '--out', 'out'], { cwd, env: { PATH: process.env.PATH, BENCH_KEY: 'bench' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (err += d));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${variant.name} exited ${code}: ${err.slice(-1000)}`));
      const cpuSeconds = variant.floor ? JSON.parse(out).cpuMs / 1000 : err.trim().split('\n').at(-1).split(' ').map(Number).reduce((a, b) => a + b, 0);
      resolve((cpuSeconds * 1000) / calls);
    });
  });

let bodies;
if (variants.some((v) => v.floor)) {
  // The floor replays the request bodies of a first run of the first build.
  const dir = workspace(conversations, server.url, 64);
  await run(variants.find((v) => !v.floor), dir);
  bodies = path.join(dir, 'bodies.jsonl');
  writeFileSync(bodies, server.calls.map(({ request }) => JSON.stringify({ api: request.api, body: request.body })).join('\n') + '\n');
}
const rows = [];
for (let r = 0; r < repeats; r++) {
  server.reset({ latencyMs });
  const perCall = await Promise.all(variants.map((v) => run(v, workspace(conversations, server.url, 64), bodies)));
  rows.push(perCall);
  console.log(`repeat ${r + 1}: ${variants.map((v, i) => `${v.name} ${perCall[i].toFixed(3)}`).join('  ')} ms CPU a call`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = variants[0].name;
for (let i = 1; i < variants.length; i++) {
  const diffs = rows.map((row) => row[i] - row[0]);
  console.log(`${variants[i].name} − ${base}: median ${median(diffs).toFixed(3)} ms a call (repeats: ${diffs.map((d) => d.toFixed(3)).join(', ')})`);
}
await server.close();
