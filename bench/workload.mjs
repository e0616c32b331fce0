// The generated workload the benches share: music conversations, a four-criterion rubric, a workspace for the
// built CLI against the fake provider server, and a timed run (wall, CPU, peak RSS via /usr/bin/time).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.join(ROOT, 'dist/jury.js');

/** Conversation i; `variant` changes the assistant's wording (a second agent version on the same scenario). */
export function conversation(i, variant = 0) {
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
  messages.push({ role: 'assistant', content: variant ? `"Similar ${i}" by Artist 9 is close, and at 104 BPM it stays below your limit.` : `"Similar ${i}" by Artist 9 is close.` });
  messages.push({ role: 'user', content: 'Perfect, thanks.' });
  return { id: `conv-${String(i).padStart(6, '0')}`, messages };
}

export const RUBRIC = `id: bench
version: 1
title: Bench rubric
criteria:
${['relevance', 'faithfulness', 'context', 'efficiency'].map((id) => `  - id: ${id}
    question: How good is the conversation on ${id}?
    scale: { type: likert, min: 1, max: 5 }
    anchors: { 1: bad, 2: weak, 3: fair, 4: good, 5: excellent }`).join('\n')}
`;

export function workspace(conversations, url, concurrency) {
  const dir = mkdtempSync(path.join(tmpdir(), 'jury-bench-'));
  writeFileSync(path.join(dir, 'data.jsonl'), Array.from({ length: conversations }, (_, i) => JSON.stringify(conversation(i))).join('\n') + '\n');
  writeFileSync(path.join(dir, 'bench.yaml'), RUBRIC);
  writeFileSync(path.join(dir, 'jury.yaml'), `label: bench
datasets: [data.jsonl]
rubrics: [bench.yaml]
judges:
  - { id: a, provider: openai, model: model-a, base_url: ${url}/v1, api_key_env: null, structured_output: json_schema, max_concurrency: ${concurrency}, timeout_s: 60 }
  - { id: b, provider: openai, model: model-b, base_url: ${url}/v1, api_key_env: null, structured_output: json_schema, max_concurrency: ${concurrency}, timeout_s: 60 }
  - { id: c, provider: anthropic, model: model-c, base_url: ${url}, api_key_env: BENCH_KEY, max_concurrency: ${concurrency}, timeout_s: 60 }
concurrency: ${concurrency}
cache: cache
`);
  return dir;
}

export function timed(args, cwd, node = process.execPath) {
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

