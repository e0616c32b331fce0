// Throughput and memory of the built CLI against the project's fake provider server (issue 8).
//   1. 1,000 generated conversations × 4 criteria × 3 judges = 12,000 calls at 200 ms latency, concurrency 64:
//      wall time against the ideal bound (calls × latency / concurrency), client CPU ms per call, peak RSS.
//   2. The same run again, fully cached.
//   3. 100,000 verdicts at 1 ms latency: peak RSS (memory must stay flat), on this Node and on each pinned version
//      of scripts/node-versions.mjs (V8's heap rules differ between them).
// Needs /usr/bin/time (Debian package `time`) for the child's CPU and peak RSS. Run with `npm run bench`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeLlmServer } from '../dist-bench/fake-llm-server.js';
import { installPinned } from '../scripts/node-versions.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'dist/jury.js');
if (!existsSync('/usr/bin/time')) {
  console.error('bench: /usr/bin/time is needed (apt-get install time)');
  process.exit(1);
}

function conversation(i) {
  const messages = [{ role: 'system', content: 'You are Tempo, a music recommendation assistant.' }];
  messages.push({ role: 'user', content: `Conversation ${i}: I want something ${i % 2 ? 'laid back' : 'upbeat'} for ${['studying', 'running', 'cooking', 'a party'][i % 4]}, no explicit lyrics.` });
  messages.push({ role: 'assistant', content: 'Got it. Acoustic, or electronic?' });
  messages.push({ role: 'user', content: 'Electronic, please, not too fast.' });
  messages.push({ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search_catalogue', arguments: JSON.stringify({ genre: 'electronic', bpm_max: 120, explicit: false }) } }] });
  messages.push({ role: 'tool', tool_call_id: 'c1', content: JSON.stringify({ tracks: Array.from({ length: 4 }, (_, k) => ({ id: `t${i}-${k}`, title: `Track ${k} of ${i}`, artist: `Artist ${k}`, bpm: 100 + k })) }) });
  messages.push({ role: 'assistant', content: `Try "Track 0 of ${i}" by Artist 0 and "Track 1 of ${i}" by Artist 1.` });
  messages.push({ role: 'user', content: 'More like the first one?' });
  messages.push({ role: 'assistant', content: null, tool_calls: [{ id: 'c2', type: 'function', function: { name: 'get_similar', arguments: JSON.stringify({ track_id: `t${i}-0` }) } }] });
  messages.push({ role: 'tool', tool_call_id: 'c2', content: JSON.stringify({ tracks: [{ id: `s${i}`, title: `Similar ${i}`, artist: 'Artist 9' }] }) });
  messages.push({ role: 'assistant', content: `"Similar ${i}" by Artist 9 is close.` });
  messages.push({ role: 'user', content: 'Perfect, thanks.' });
  return { id: `conv-${String(i).padStart(6, '0')}`, messages };
}

const RUBRIC = `id: bench
version: 1
title: Bench rubric
criteria:
${['relevance', 'faithfulness', 'context', 'efficiency'].map((id) => `  - id: ${id}
    question: How good is the conversation on ${id}?
    scale: { type: likert, min: 1, max: 5 }
    anchors: { 1: bad, 2: weak, 3: fair, 4: good, 5: excellent }`).join('\n')}
`;

function workspace(conversations, url, concurrency) {
  const dir = mkdtempSync(path.join(tmpdir(), 'jury-bench-'));
  writeFileSync(path.join(dir, 'data.jsonl'), Array.from({ length: conversations }, (_, i) => JSON.stringify(conversation(i))).join('\n') + '\n');
  writeFileSync(path.join(dir, 'bench.yaml'), RUBRIC);
  writeFileSync(path.join(dir, 'jury.yaml'), `label: bench
datasets: [data.jsonl]
rubrics: [bench.yaml]
judges:
  - { id: a, provider: openai, model: model-a, base_url: ${url}/v1, api_key_env: null, max_concurrency: ${concurrency}, timeout_s: 60 }
  - { id: b, provider: openai, model: model-b, base_url: ${url}/v1, api_key_env: null, max_concurrency: ${concurrency}, timeout_s: 60 }
  - { id: c, provider: anthropic, model: model-c, base_url: ${url}, api_key_env: BENCH_KEY, max_concurrency: ${concurrency}, timeout_s: 60 }
concurrency: ${concurrency}
cache: cache
`);
  return dir;
}

function timed(args, cwd, node = process.execPath) {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', node, BIN, ...args], { cwd, env: { PATH: process.env.PATH, BENCH_KEY: 'bench' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stderr.trim().split('\n').at(-1).split(' ').map(Number);
      if (code !== 0) return reject(new Error(`jury exited ${code}: ${stderr.slice(-2000)}`));
      resolve({ wall: last[0], cpu: last[1] + last[2], rssMb: last[3] / 1024 });
    });
  });
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
