// Simulated conversations per second (issue 19): the shipped scenarios × 3 repeats, the test server playing both the
// agent (datasets/music-sim/agent.mjs as an OpenAI-compatible model calling jury's mock catalogue) and a model
// listener (a stand-in that accepts the first track it hears), every call answered after LATENCY ms. The ideal bound
// is the calls each conversation makes in sequence, times the latency, spread over the conversations in flight.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FakeLlmServer } from '../dist-bench/fake-llm-server.js';
import { ROOT, timed } from './workload.mjs';

const LATENCY = 100;
const CONCURRENCY = 32;
const REPEAT = 3;
const { respond } = await import(pathToFileURL(path.join(ROOT, 'datasets/music-sim/agent.mjs')).href);

function listener(body) {
  const text = body.messages.map((m) => m.content ?? '').join('\n');
  const turns = text.slice(text.indexOf('<conversation>') + 14, text.indexOf('</conversation>')).trim().split('\n').map((l) => JSON.parse(l));
  const heard = turns.at(-1)?.heard ?? [];
  return heard.length
    ? { message: `"${heard[0].title}" works, thanks.`, signal: 'accepted', revealed: [], accepted: heard[0].title }
    : { message: 'Something calm, no vocals.', signal: 'continue', revealed: [], accepted: '' };
}

const server = await new FakeLlmServer({
  latencyMs: LATENCY,
  chat: ({ body }) => (body.model === 'agent' ? respond(body.messages.filter((m) => m.role !== 'system'), 'v1') : body.model === 'listener' ? { content: JSON.stringify(listener(body)) } : undefined),
}).start();
const dir = mkdtempSync(path.join(tmpdir(), 'jury-bench-sim-'));
cpSync(path.join(ROOT, 'datasets/music-sim'), dir, { recursive: true });
writeFileSync(path.join(dir, 'bench.yaml'), `version: 1
label: bench
scenarios: scenarios.yaml
catalogue: catalogue.jsonl
listener: { provider: openai, model: listener, base_url: ${server.url}/v1, api_key_env: null, structured_output: json_schema, max_concurrency: ${CONCURRENCY} }
agent: { adapter: openai, base_url: ${server.url}/v1, model: agent, api_key_env: null, system_prompt: You are Tempo., tools: mock-catalogue }
repeat: ${REPEAT}
max_turns: 8
concurrency: ${CONCURRENCY}
output: out
`);
const run = await timed(['simulate', '-c', 'bench.yaml', '--no-cache'], dir);
await server.close();
const lines = readFileSync(path.join(dir, 'out/bench/transcripts.jsonl'), 'utf8').trim().split('\n');
const calls = server.calls.length;
// Each conversation's calls happen one after another; CONCURRENCY conversations run side by side.
const perConversation = calls / lines.length;
const ideal = Math.ceil(lines.length / CONCURRENCY) * perConversation * (LATENCY / 1000);
console.log(`simulate: ${lines.length} conversations, ${calls} calls (${perConversation.toFixed(1)} a conversation) at ${LATENCY} ms, ${CONCURRENCY} in flight: ${run.wall.toFixed(2)} s wall (ideal ≈ ${ideal.toFixed(2)} s), ${(lines.length / run.wall).toFixed(1)} conversations/s, CPU ${run.cpu.toFixed(2)} s (${((run.cpu / calls) * 1000).toFixed(2)} ms a call, the CLI's start included), peak ${run.rssMb.toFixed(0)} MB`);
