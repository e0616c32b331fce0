import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, workspace } from '../support/cli.js';
import { FakeLlmServer, type Quirks, type RecordedCall } from '../support/fake-llm-server.js';
import { closedPort } from '../support/net.js';

// Capability probing against the test server dressed up as the "OpenAI-compatible" servers users meet: one that
// honours everything, one that ignores json_schema (older llama.cpp servers), one that also refuses tools, and one
// that enforces nothing and drops logprobs (Ollama's /v1 at its weakest). Each judge must end up asked in the
// strongest mode its server really honours.
const SERVERS: Record<string, Quirks> = {
  full: {},
  noschema: { ignoresSchema: true },
  jsononly: { ignoresSchema: true, noTools: true },
  bare: { ignoresSchema: true, noTools: true, ignoresJsonObject: true, dropsLogprobs: true },
};
const EXPECTED = { full: 'json_schema', noschema: 'tools', jsononly: 'json_object', bare: 'none' } as const;
const servers = new Map<string, FakeLlmServer>();

const isProbe = (call: RecordedCall) => JSON.stringify(call.request.body.messages).includes('Say hello in one short sentence.');
const verdictCalls = (id: string) => servers.get(id)!.calls.filter((c) => !isProbe(c));

function config(extra: Record<string, string> = {}): string {
  const judges = Object.keys(SERVERS).map((id) => `  - { id: ${id}, provider: openai, model: m-${id}, base_url: ${servers.get(id)!.url}/v1, api_key_env: null${extra[id] ?? ''} }`);
  return `label: probed\ndatasets: [datasets/slice.jsonl]\nrubrics: [rubrics/conversational-quality.yaml]\njudges:\n${judges.join('\n')}\nretries: { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 5 }\n`;
}

function setUp(extra: Record<string, string> = {}): string {
  const dir = workspace(config(extra));
  const lines = readFileSync(path.join(dir, 'datasets/music-recs/v1.jsonl'), 'utf8').split('\n').filter(Boolean);
  writeFileSync(path.join(dir, 'datasets/slice.jsonl'), `${lines.slice(0, 2).join('\n')}\n`);
  return dir;
}

beforeAll(async () => {
  for (const [id, quirks] of Object.entries(SERVERS)) servers.set(id, await new FakeLlmServer({ quirks }).start());
});
afterAll(async () => {
  for (const server of servers.values()) await server.close();
});

describe('jury probe', () => {
  it('prints what each endpoint honours and the mode a run would use', async () => {
    const dir = setUp();
    const result = await runCli(['probe'], { cwd: dir, env: cleanEnv() });
    expect(result.code, result.stderr).toBe(0);
    const row = (id: string) => result.stdout.split('\n').find((l) => l.startsWith(`${id} `))!.split(/\s{2,}/);
    // judge, endpoint, model, json_schema, tools, json_object, logprobs, configured, used
    expect(row('full').slice(3)).toEqual(['yes', 'yes', 'yes', 'yes', 'auto', 'json_schema']);
    expect(row('noschema').slice(3)).toEqual(['no', 'yes', 'yes', 'yes', 'auto', 'tools']);
    expect(row('jsononly').slice(3)).toEqual(['no', 'no', 'yes', 'yes', 'auto', 'json_object']);
    expect(row('bare').slice(3)).toEqual(['no', 'no', 'no', 'no', 'auto', 'none']);
    const json = await runCli(['probe', '--json'], { cwd: dir, env: cleanEnv() });
    expect(JSON.parse(json.stdout).map((r: any) => [r.judge, r.used])).toEqual(Object.entries(EXPECTED));
  });

  it('says when a judge asks for a mode its endpoint ignores', async () => {
    const dir = setUp({ noschema: ', structured_output: json_schema' });
    const result = await runCli(['probe'], { cwd: dir, env: cleanEnv() });
    expect(result.stdout).toContain('noschema: asks for json_schema, which this endpoint does not honour: set structured_output: auto (it would use tools)');
  });

  it('exits 3 naming an endpoint that cannot be reached, after printing the rest', async () => {
    const dir = setUp();
    writeFileSync(path.join(dir, 'jury.yaml'), config().replace(`${servers.get('bare')!.url}/v1`, `http://127.0.0.1:${await closedPort()}/v1`));
    const result = await runCli(['probe'], { cwd: dir, env: cleanEnv() });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^bare: not probed: .*(ECONNREFUSED|Connection error)/m);
    expect(result.stdout).toMatch(/^full .* json_schema$/m);
    expect(result.stderr).toContain('1 endpoint could not be probed');
  });
});

describe('a run with structured_output: auto (the default with base_url)', () => {
  let dir: string;
  let first: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    for (const server of servers.values()) server.reset();
    dir = setUp();
    first = await runCli(['run'], { cwd: dir, env: cleanEnv() });
  });

  it('probes each endpoint once, before its first verdict, and asks in the strongest mode it honours', () => {
    expect(first.code, first.stderr).toBe(0);
    for (const id of Object.keys(SERVERS)) {
      const calls = servers.get(id)!.calls;
      expect(calls.filter(isProbe)).toHaveLength(4);
      expect(calls.findIndex((c) => !isProbe(c))).toBe(4);
      const bodies = verdictCalls(id).map((c) => c.request.body);
      expect(bodies).toHaveLength(6);
      const mode = EXPECTED[id as keyof typeof EXPECTED];
      for (const body of bodies) {
        expect(body.response_format?.type ?? (body.tool_choice ? 'tools' : 'none'), id).toBe(mode === 'tools' ? 'tools' : mode);
        if (mode === 'tools') expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'record_verdict' } });
      }
    }
    const info = JSON.parse(readFileSync(path.join(dir, 'reports/probed/run.json'), 'utf8'));
    for (const [id, mode] of Object.entries(EXPECTED)) {
      expect(info.judge_setup[id]).toMatchObject({ structured_output: mode, probed: 'now' });
      expect(info.judges[id].scored, id).toBe(6);
    }
    expect(info.judge_setup.bare.capabilities).toEqual({ json_schema: false, tools: false, json_object: false, logprobs: false });
  });

  it('says what it chose, and warns once about the judge left with plain text', () => {
    expect(first.stderr).toContain('judge noschema: ');
    expect(first.stderr).toMatch(/judge noschema: http:\/\/127\.0\.0\.1:\d+\/v1 honours json_schema no, tools yes, json_object yes, logprobs yes: verdicts as tools/);
    expect(first.stderr.match(/warning: judge bare's endpoint enforces no structured output/g)).toHaveLength(1);
    // And under the summary, each probed judge's mode.
    for (const [id, mode] of Object.entries(EXPECTED)) expect(first.stdout).toContain(`judge ${id}: verdicts as ${mode} (probed)\n`);
  });

  it('remembers the probe for the next run, keyed by endpoint and model', async () => {
    for (const server of servers.values()) server.reset();
    const again = await runCli(['run', '--label', 'again', '--no-cache'], { cwd: dir, env: cleanEnv() });
    expect(again.code).toBe(0);
    for (const server of servers.values()) expect(server.calls.filter(isProbe)).toHaveLength(0);
    expect(again.stderr).toContain('(probed earlier; `jury probe` probes again)');
    expect(again.stdout).toContain('judge noschema: verdicts as tools (probed earlier)');
    const info = JSON.parse(readFileSync(path.join(dir, 'reports/again/run.json'), 'utf8'));
    expect(info.judge_setup.tools ?? info.judge_setup.noschema).toMatchObject({ structured_output: 'tools', probed: 'remembered' });
    // Another model at the same address is another endpoint: probed afresh.
    writeFileSync(path.join(dir, 'jury.yaml'), config().replace('model: m-full', 'model: m-full-2'));
    const other = await runCli(['run', '--label', 'other', '--no-cache'], { cwd: dir, env: cleanEnv() });
    expect(other.code).toBe(0);
    expect(servers.get('full')!.calls.filter(isProbe)).toHaveLength(4);
  });

  it('asks an unreachable endpoint as json_schema and leaves it to judge_down, as before probing', async () => {
    const closed = setUp();
    writeFileSync(path.join(closed, 'jury.yaml'), config().replace(`${servers.get('bare')!.url}/v1`, `http://127.0.0.1:${await closedPort()}/v1`));
    const result = await runCli(['run', '--no-cache'], { cwd: closed, env: cleanEnv() });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/judge bare: http:\/\/127\.0\.0\.1:\d+\/v1 could not be probed \(.*\); asking for verdicts as json_schema/);
    expect(result.stderr.match(/judge bare is unreachable/g)).toHaveLength(1);
    expect(result.stdout).toContain('judge bare: verdicts as json_schema (not probed: unreachable)');
  });
});
