import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FakeLlmServer } from '../support/fake-llm-server.js';
import { cleanEnv, runCli, startCli, workspace } from '../support/cli.js';
import { SCENARIOS, SIM_DIR, simulatedChat, startToolServer } from '../support/sim-actors.js';
import { waitFor } from '../support/wait.js';

// `jury simulate` end to end: the project's test server plays the agent under test (the example agent as an
// OpenAI-compatible model calling a catalogue tool server) and the listener (a model listener's prompt answered by
// the rule-based listener), through the real openai SDK.

const SUBSET = ['vague-evening', 'known-frahm', 'impossible-metal', 'late-clean', 'correction-energy', 'run-playlist'];
let server: FakeLlmServer;
let tools: Awaited<ReturnType<typeof startToolServer>>;

function simConfig(dir: string, extra: Record<string, unknown> = {}, agent: Record<string, unknown> = {}): string {
  writeFileSync(path.join(dir, 'subset.yaml'), stringify({ version: 1, scenarios: SCENARIOS.filter((s) => SUBSET.includes(s.id)) }));
  const config = {
    version: 1, label: 'v1', scenarios: 'subset.yaml', catalogue: 'datasets/music-sim/catalogue.jsonl',
    listener: { provider: 'openai', model: 'listener', base_url: `${server.url}/v1`, api_key_env: null, structured_output: 'json_schema' },
    agent: { adapter: 'openai', base_url: `${server.url}/v1`, model: 'agent-v1', api_key_env: null, system_prompt: 'You are Tempo, a music assistant.', tools: { url: tools.url }, ...agent },
    max_turns: 8, seed: 7, concurrency: 3, output: 'sims', cache: '.cache', ...extra,
  };
  writeFileSync(path.join(dir, 'sim.yaml'), stringify(config));
  return dir;
}

interface Line { id: string; messages: { role: string; content: string | null; tool_calls?: unknown[] }[]; metadata: Record<string, any> }
const transcripts = (dir: string, label = 'v1'): Line[] => readFileSync(path.join(dir, 'sims', label, 'transcripts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
const listenerCalls = () => server.calls.filter((c) => c.request.model === 'listener');
const agentCalls = () => server.calls.filter((c) => c.request.model.startsWith('agent-'));

beforeAll(async () => {
  server = await new FakeLlmServer({ chat: simulatedChat }).start();
  tools = await startToolServer();
});
afterAll(async () => {
  await server.close();
  await tools.close();
});

describe('jury simulate against the test server', () => {
  it('plays every scenario to its end through the real SDK: tools called, outcomes recorded, a dataset jury can judge', async () => {
    server.reset({ chat: simulatedChat });
    const dir = simConfig(workspace());
    const run = await runCli(['simulate', '-c', 'sim.yaml'], { cwd: dir, env: cleanEnv() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('6 of 6 conversations finished');
    expect(run.stdout).toContain('Simulated listeners (a model playing each persona); these are not people.');
    // One scenario alone has no interval; the whole set has one (resampling scenarios).
    expect(run.stdout).toMatch(/^kind=specific +1 +0% +100% +–$/m);
    expect(run.stdout).toMatch(/^persona=commuter +1 +100% +0% +2\.00$/m);
    expect(run.stdout).toMatch(/^all +6 +83% \(\d+–100\) +17% \(0–\d+\) /m);
    const lines = transcripts(dir);
    expect(lines.map((l) => l.id)).toEqual([...SUBSET].sort().map((id) => `${id}.r1`));
    const byId = new Map(lines.map((l) => [l.metadata.scenario, l]));
    // Calm metal does not exist: the listener gives up after its patience (3), recorded as such, never shown to the agent.
    const metal = byId.get('impossible-metal')!;
    expect(metal.metadata.outcome).toBe('gave_up');
    expect(metal.metadata.listener.at(-1)).toMatchObject({ signal: 'gave_up' });
    expect(metal.messages.filter((m) => m.role === 'user')).toHaveLength(4);
    expect(metal.metadata.metrics).toMatchObject({ success: 0, abandoned: 1 });
    for (const call of agentCalls()) expect(JSON.stringify(call.request.body)).not.toContain('gave_up');
    // The agent's tool calls went to the tool server, and their results are in the transcript.
    expect(tools.calls.length).toBeGreaterThan(0);
    expect(tools.calls.every((c) => c.name === 'search_catalogue')).toBe(true);
    const evening = byId.get('vague-evening')!;
    expect(evening.messages.some((m) => m.role === 'tool')).toBe(true);
    expect(evening.metadata).toMatchObject({ simulated: true, agent: 'v1', kind: 'vague', persona: 'commuter', outcome: 'accepted', metrics: { success: 1 } });
    // A scenario without an opening line has the model open in persona (vague-evening's own line is used as written).
    const openings = listenerCalls().filter((c) => c.request.text.includes('Open the conversation'));
    expect(openings).toHaveLength(SUBSET.length - 1);
    expect(byId.get('known-frahm')!.messages[0]!.content).toBe("I'm looking for calm music with no vocals to focus to. No vocals please, words distract me. Something calm, nothing loud. For focus.");
    expect(evening.messages[0]!.content).toBe('Play me something.');
    // The listener was asked with the verdict-free schema of a listener turn.
    expect(listenerCalls()[0]!.request.body.response_format.json_schema.schema.required).toEqual(['message', 'signal', 'revealed', 'accepted']);
    // The dataset is ready for jury run, and the metrics are a report jury diff reads.
    writeFileSync(path.join(dir, 'jury.yaml'), readFileSync(path.join(dir, 'jury.yaml'), 'utf8'));
    const judged = await runCli(['run', '--mock', '--dataset', 'sims/v1/transcripts.jsonl', '--label', 'sim-v1'], { cwd: dir });
    expect(judged.code).toBe(0);
    const summary = JSON.parse(readFileSync(path.join(dir, 'sims/v1/summary.json'), 'utf8'));
    expect(summary.overall.conversations).toBe(6);
    expect(summary.overall.outcomes.gave_up).toBeGreaterThanOrEqual(1);
    expect(Object.keys(summary.by_kind).sort()).toEqual(['correction', 'known_tracks', 'late_constraint', 'mood_activity', 'specific', 'vague']);
  });

  it('gives the same conversations for the same seed (no cache), and the journal serves a second run without a call', async () => {
    server.reset({ chat: simulatedChat });
    const dir = simConfig(workspace());
    expect((await runCli(['simulate', '-c', 'sim.yaml', '--no-cache'], { cwd: dir })).code).toBe(0);
    const first = transcripts(dir).map((l) => [l.id, l.messages, l.metadata.outcome, l.metadata.seed]);
    const calls = server.calls.length;
    expect((await runCli(['simulate', '-c', 'sim.yaml', '--label', 'again', '--no-cache'], { cwd: dir })).code).toBe(0);
    expect(transcripts(dir, 'again').map((l) => [l.id, l.messages, l.metadata.outcome, l.metadata.seed])).toEqual(first);
    const fresh = server.calls.length;
    expect(fresh).toBe(2 * calls);
    // Unchanged configuration: everything comes from the journal.
    expect((await runCli(['simulate', '-c', 'sim.yaml'], { cwd: dir })).code).toBe(0);
    expect(server.calls.length).toBe(fresh);
    // Another seed is other conversations (other seeds in the metadata; here the same decisions, as the agent is deterministic).
    writeFileSync(path.join(dir, 'sim.yaml'), readFileSync(path.join(dir, 'sim.yaml'), 'utf8').replace('seed: 7', 'seed: 8'));
    const refused = await runCli(['simulate', '-c', 'sim.yaml'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the journal was written by another simulation configuration');
  });

  it("the listener's replies come from the cache for the same seed and agent replies; --repeat gives each repeat its own seed", async () => {
    server.reset({ chat: simulatedChat });
    const dir = simConfig(workspace());
    expect((await runCli(['simulate', '-c', 'sim.yaml', '--repeat', '2'], { cwd: dir })).code).toBe(0);
    const lines = transcripts(dir);
    expect(lines).toHaveLength(12);
    const evening = lines.filter((l) => l.metadata.scenario === 'vague-evening');
    expect(evening.map((l) => [l.id, l.metadata.repeat])).toEqual([['vague-evening.r1', 1], ['vague-evening.r2', 2]]);
    expect(evening[0]!.metadata.seed).not.toBe(evening[1]!.metadata.seed);
    const asked = listenerCalls().length;
    const agentAsked = agentCalls().length;
    // A new label is a new journal: the agent is asked again (it is under test), the listener is not.
    const again = await runCli(['simulate', '-c', 'sim.yaml', '--repeat', '2', '--label', 'cached'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(listenerCalls()).toHaveLength(asked);
    expect(agentCalls()).toHaveLength(2 * agentAsked);
    expect(transcripts(dir, 'cached').map((l) => l.messages)).toEqual(lines.map((l) => l.messages));
  });

  it('killed with -9 mid-conversation and resumed: no paid turn asked twice beyond those on the wire, the same conversations', async () => {
    server.reset({ chat: simulatedChat });
    const reference = simConfig(workspace(), { concurrency: 2 });
    expect((await runCli(['simulate', '-c', 'sim.yaml', '--no-cache'], { cwd: reference })).code).toBe(0);
    const uninterrupted = server.calls.length;
    server.reset({ chat: simulatedChat, latencyMs: 60 });
    const dir = simConfig(workspace(), { concurrency: 2 });
    const { child, done } = startCli(['simulate', '-c', 'sim.yaml', '--no-cache'], { cwd: dir, env: cleanEnv() });
    const journal = path.join(dir, 'sims/v1/journal.jsonl');
    await waitFor(() => existsSync(journal) && readFileSync(journal, 'utf8').split('\n').length > 12);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const before = server.calls.length;
    expect(before).toBeLessThan(uninterrupted);
    server.options.latencyMs = 0;
    const resumed = await runCli(['simulate', '-c', 'sim.yaml', '--no-cache'], { cwd: dir });
    expect(resumed.code).toBe(0);
    // At most the two calls in flight at the kill were paid twice.
    expect(server.calls.length).toBeLessThanOrEqual(uninterrupted + 2);
    expect(transcripts(dir).map((l) => [l.id, l.messages])).toEqual(transcripts(reference).map((l) => [l.id, l.messages]));
  });

  it('--dry-run says what would run and calls nothing; --max-cost stops paid turns (exit 3) and a rerun finishes', async () => {
    server.reset({ chat: simulatedChat });
    const dir = simConfig(workspace(), {}, {});
    const plan = await runCli(['simulate', '-c', 'sim.yaml', '--dry-run', '--repeat', '2'], { cwd: dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('12 conversations (6 scenarios × 2)');
    expect(plan.stdout).toContain('at most 96 calls (price unknown)');
    expect(server.calls).toHaveLength(0);
    const unpriced = await runCli(['simulate', '-c', 'sim.yaml', '--max-cost', '0.5'], { cwd: dir });
    expect(unpriced.code).toBe(2);
    expect(unpriced.stderr).toContain("--max-cost needs the listener's price, and listener has no built-in one");
    expect(server.calls).toHaveLength(0);
    writeFileSync(path.join(dir, 'sim.yaml'), readFileSync(path.join(dir, 'sim.yaml'), 'utf8').replace('structured_output: json_schema', 'structured_output: json_schema\n  price: { input: 1000, output: 1000 }'));
    const stopped = await runCli(['simulate', '-c', 'sim.yaml', '--max-cost', '0.5'], { cwd: dir });
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toMatch(/the budget \(--max-cost\) stopped \d+ conversations?; run the same command again/);
    const finished = await runCli(['simulate', '-c', 'sim.yaml'], { cwd: dir });
    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain('6 of 6 conversations finished');
  });
});

describe('the other agent adapters and the mock listener', () => {
  it('an Anthropic model as the listener, through the same provider layer (its answer as a forced tool call)', async () => {
    server.reset({ chat: simulatedChat });
    const dir = simConfig(workspace(), { label: 'claude' });
    writeFileSync(path.join(dir, 'sim.yaml'), readFileSync(path.join(dir, 'sim.yaml'), 'utf8').replace(/listener:\n(  .*\n)+/, `listener:\n  provider: anthropic\n  model: listener\n  base_url: ${server.url}\n  api_key_env: LISTENER_KEY\n`));
    const run = await runCli(['simulate', '-c', 'sim.yaml'], { cwd: dir, env: cleanEnv({ LISTENER_KEY: 'sk-ant-listener-0123456789' }) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const asked = server.calls.filter((c) => c.request.api === 'anthropic');
    expect(asked.length).toBeGreaterThan(6);
    expect(asked[0]!.request.body.tool_choice).toMatchObject({ type: 'tool' });
    expect(transcripts(dir, 'claude').find((l) => l.metadata.scenario === 'impossible-metal')!.metadata.outcome).toBe('gave_up');
    expect(readFileSync(path.join(dir, 'sims/claude/journal.jsonl'), 'utf8')).not.toContain('0123456789');
  });

  it('a local command speaking the contract (the example agent), with the mock listener: no model at all', async () => {
    const dir = simConfig(workspace(), { label: 'cmd' });
    writeFileSync(path.join(dir, 'sim.yaml'), readFileSync(path.join(dir, 'sim.yaml'), 'utf8').replace(/agent:\n(  .*\n)+/, `agent:\n  adapter: command\n  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(SIM_DIR, 'agent.mjs'))}, --version, v2]\n`));
    server.reset({ chat: simulatedChat });
    const run = await runCli(['simulate', '-c', 'sim.yaml', '--mock'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('SIMULATED: the listener is the rule-based mock');
    expect(server.calls).toHaveLength(0);
    const lines = transcripts(dir, 'cmd');
    expect(lines.some((l) => l.messages.some((m) => m.role === 'tool'))).toBe(true);
    const report = JSON.parse(readFileSync(path.join(dir, 'sims/cmd/metrics.json'), 'utf8'));
    expect(report.simulated).toBe(true);
    expect(report.criteria.map((c: { criterion: string }) => c.criterion).sort()).toEqual(['abandoned', 'kept_constraints', 'no_repeats', 'question_changed_next', 'success', 'turns_to_success']);
  });

  it('an agent that fails ends its conversations as agent_error, with the reason, and the run goes on', async () => {
    const dir = simConfig(workspace(), { label: 'broken' });
    writeFileSync(path.join(dir, 'sim.yaml'), readFileSync(path.join(dir, 'sim.yaml'), 'utf8').replace(/agent:\n(  .*\n)+/, `agent:\n  adapter: command\n  command: [${JSON.stringify(process.execPath)}, -e, "console.error('no catalogue'); process.exit(4)"]\n`));
    const run = await runCli(['simulate', '-c', 'sim.yaml', '--mock'], { cwd: dir });
    expect(run.code).toBe(0);
    const lines = transcripts(dir, 'broken');
    expect(lines).toHaveLength(6);
    expect(new Set(lines.map((l) => l.metadata.outcome))).toEqual(new Set(['agent_error']));
    expect(lines[0]!.metadata.agent_error).toMatch(/exited with code 4: no catalogue/);
  });

  it('an HTTP endpoint speaking the contract gets the conversation and the bearer key from its variable', async () => {
    const { createServer } = await import('node:http');
    const seen: { auth?: string; body: any }[] = [];
    const http = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw);
        seen.push({ auth: req.headers.authorization, body });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ messages: [{ role: 'assistant', content: 'Try "Weightless" by Marconi Union?' }] }));
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as { port: number }).port}/agent`;
    try {
      const dir = simConfig(workspace(), { label: 'http' });
      writeFileSync(path.join(dir, 'sim.yaml'), readFileSync(path.join(dir, 'sim.yaml'), 'utf8').replace(/agent:\n(  .*\n)+/, `agent:\n  adapter: http\n  url: ${url}\n  api_key_env: AGENT_TOKEN\n`));
      const missing = await runCli(['simulate', '-c', 'sim.yaml', '--mock'], { cwd: dir });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('needs a key in the environment variable AGENT_TOKEN, which is not set');
      const run = await runCli(['simulate', '-c', 'sim.yaml', '--mock'], { cwd: dir, env: cleanEnv({ AGENT_TOKEN: 'agent-secret-123456' }) });
      expect(run.code).toBe(0);
      expect(seen[0]!.auth).toBe('Bearer agent-secret-123456');
      expect(seen[0]!.body).toMatchObject({ version: 1, conversation_id: expect.stringMatching(/\.r1$/), messages: [{ role: 'user' }] });
      const calm = transcripts(dir, 'http').find((l) => l.metadata.scenario === 'vague-evening')!;
      // Weightless was never returned by a tool: the listener hears it, but it is no grounded recommendation.
      expect(calm.metadata.metrics).toMatchObject({ ungrounded: 1, recommendations: 0 });
    } finally {
      http.close();
    }
  });

  it('bad input is exit 2 with the file, line and field: a constraint with no rule, an unknown key', async () => {
    const dir = simConfig(workspace());
    writeFileSync(path.join(dir, 'subset.yaml'), 'version: 1\nscenarios:\n  - id: a\n    kind: vague\n    persona: p\n    persona_text: P\n    goal: g\n    colour: red\n    constraints:\n      - id: c\n        field: energy\n        say: calm\n');
    const run = await runCli(['simulate', '-c', 'sim.yaml', '--mock'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/subset\.yaml:8/);
    expect(run.stderr).toContain('colour');
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
    writeFileSync(path.join(dir, 'subset.yaml'), 'version: 1\nscenarios:\n  - id: a\n    kind: vague\n    persona: p\n    persona_text: P\n    goal: g\n    constraints:\n      - id: c\n        field: energy\n        say: calm\n');
    const norule = await runCli(['simulate', '-c', 'sim.yaml', '--mock'], { cwd: dir });
    expect(norule.code).toBe(2);
    expect(norule.stderr).toMatch(/subset\.yaml:9.*constraint `c` sets no rule/s);
  });
});
