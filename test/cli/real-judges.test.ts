import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.js';
import { cleanEnv, ROOT, runCli, startCli, workspace, type CliResult } from '../support/cli.js';
import { FakeLlmServer, type Fault, type FakeRequest } from '../support/fake-llm-server.js';
import { closedPort } from '../support/net.js';

// Planted keys without a provider's `sk-` shape, so only jury's scrubbing of the keys it holds can hide them;
// random-looking, as real keys are, so that any 8 characters of one in a row are a leak and never an ordinary word.
const KEYS = { OPENAI_API_KEY: 'pk9Xq2Lw7Zr4Tb8Vn1Mc5Hd3Jf6', ANTHROPIC_API_KEY: 'Qa7Ws3Ed9Rf2Tg6Yh1Uj5Ik8Ol4', VLLM_KEY: 'vM4nB8cX2zL6kJ9hG3fD7sA1pO5' };
const outputs: string[] = [];
const dirs: string[] = [];

function config(url: string, options: { rubrics?: string; concurrency?: number; timeout?: number; attempts?: number; maxDelayMs?: number } = {}): string {
  return `
label: real
datasets: [datasets/music-recs/v1.jsonl]
rubrics: [${options.rubrics ?? 'rubrics/music-recommendation.yaml'}]
judges:
  - { id: gpt, provider: openai, model: gpt-fake, base_url: ${url}/v1, structured_output: json_schema, max_concurrency: 4, timeout_s: ${options.timeout ?? 10}, seed: 1 }
  - { id: qwen, provider: openai, model: qwen-fake, base_url: ${url}/v1, api_key_env: VLLM_KEY, structured_output: none, max_concurrency: 4, timeout_s: ${options.timeout ?? 10} }
  - { id: claude, provider: anthropic, model: claude-fake, base_url: ${url}, max_concurrency: 2, timeout_s: ${options.timeout ?? 10} }
concurrency: ${options.concurrency ?? 8}
retries: { max_attempts: ${options.attempts ?? 4}, base_delay_ms: 10, max_delay_ms: ${options.maxDelayMs ?? 200} }
cache: cache
`;
}

async function jury(dir: string, args: string[], env: Record<string, string> = KEYS): Promise<CliResult> {
  const result = await runCli(args, { cwd: dir, env: cleanEnv(env) });
  outputs.push(result.stdout, result.stderr);
  return result;
}

function report(dir: string, sub = 'reports/real'): any {
  return JSON.parse(readFileSync(path.join(dir, sub, 'report.json'), 'utf8'));
}

function run(dir: string, sub = 'reports/real'): any {
  return JSON.parse(readFileSync(path.join(dir, sub, 'run.json'), 'utf8'));
}

function allVerdicts(r: any): any[] {
  return r.items.flatMap((i: any) => i.results.flatMap((u: any) => u.verdicts));
}

/** A complete report (every planned verdict present) in which every verdict is scored: never true of an empty one. */
function expectAllScored(r: any): void {
  expect(r.incomplete).toBeUndefined();
  const verdicts = allVerdicts(r);
  expect(verdicts.length).toBeGreaterThan(0);
  expect(verdicts.filter((v) => v.status !== 'scored')).toEqual([]);
}

/** Faults only the first time a given prompt is seen by a given model: the retry then succeeds. */
function onFirstSight(pick: (request: FakeRequest) => Fault | undefined): (request: FakeRequest) => Fault | undefined {
  const seen = new Set<string>();
  return (request) => {
    const key = `${request.model}\u0000${request.text}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    return pick(request);
  };
}

const server = new FakeLlmServer();
beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset({ keys: Object.values(KEYS), latencyMs: 5 }));

describe('real SDKs against the local server', () => {
  it('three judges (two OpenAI-compatible, one Anthropic) give a complete report, in parallel up to the limits', async () => {
    const dir = workspace(config(server.url, { rubrics: 'rubrics/conversational-quality.yaml, rubrics/music-recommendation.yaml, rubrics/recommendation-turns.yaml' }));
    dirs.push(dir);
    const result = await jury(dir, ['run']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    const r = report(dir);
    expect(r.simulated).toBe(false);
    expect(r.notice).toBeUndefined();
    expect(r.run.judges.map((j: any) => `${j.id}:${j.provider}:${j.model}`)).toEqual(['claude:anthropic:claude-fake', 'gpt:openai:gpt-fake', 'qwen:openai:qwen-fake']);
    const verdicts = allVerdicts(r);
    expectAllScored(r);
    expect(server.calls).toHaveLength(verdicts.length);
    expect(server.calls.every((c) => c.request.body.model !== undefined && c.outcome === 'ok')).toBe(true);
    // Global limit 8 with per-judge caps 4 + 4 + 2: the server sees 8 at once, never more, and each judge
    // stays within its own cap.
    expect(server.maxInFlight).toBe(8);
    expect(server.maxInFlightByModel.get('gpt-fake')).toBeLessThanOrEqual(4);
    expect(server.maxInFlightByModel.get('qwen-fake')).toBeLessThanOrEqual(4);
    expect(server.maxInFlightByModel.get('claude-fake')).toBe(2);
    // Connections are kept alive and reused: a handful for hundreds of calls.
    expect(server.calls.length).toBeGreaterThan(600);
    expect(server.connections).toBeLessThanOrEqual(16);
    // The wire formats used: strict json_schema for gpt, no response_format for qwen, forced tool use for claude.
    const gpt = server.callsFor('gpt-fake')[0]!.request.body;
    expect(gpt.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true, name: 'verdict' } });
    expect(gpt.seed).toBe(1);
    expect(server.callsFor('qwen-fake')[0]!.request.body.response_format).toBeUndefined();
    const claude = server.callsFor('claude-fake')[0]!.request.body;
    expect(claude.tool_choice).toEqual({ type: 'tool', name: 'record_verdict' });
    expect(claude.messages[0].content[0].cache_control).toEqual({ type: 'ephemeral' });
    const stats = run(dir);
    expect(stats.judges.claude.provider_calls).toBe(server.callsFor('claude-fake').length);
    expect(stats.judges.gpt.tokens.input).toBeGreaterThan(0);
    expect(stats.judges.gpt.latency_ms.p50).toBeGreaterThanOrEqual(0);
    expect(stats.judges.gpt.latency_ms.p50).toBeLessThanOrEqual(stats.judges.gpt.latency_ms.max ?? Infinity);
  });

  it('serves a second run of an unchanged eval entirely from cache: zero calls, same report', async () => {
    const dir = workspace(config(server.url));
    dirs.push(dir);
    expect((await jury(dir, ['run'])).code).toBe(0);
    const first = readFileSync(path.join(dir, 'reports/real/report.json'));
    const before = server.calls.length;
    expect(before).toBe(630);
    expect((await jury(dir, ['run', '--out', 'again'])).code).toBe(0);
    expect(server.calls.length).toBe(before);
    expect(readFileSync(path.join(dir, 'again/real/report.json')).equals(first)).toBe(true);
    expect(run(dir, 'again/real').judges.gpt.cache_hits).toBe(210);
    // --no-cache asks again.
    expect((await jury(dir, ['run', '--out', 'fresh', '--no-cache'])).code).toBe(0);
    expect(server.calls.length).toBe(before + 630);
    // The cache is one pack and its index per run that stored anything, not a file per reply.
    expect(readdirSync(path.join(dir, 'cache/packs')).map((f) => path.extname(f)).sort()).toEqual(['.idx', '.jsonl']);
  });

  it('finishes a run whose cache cannot be written, saying so once, and keeps every verdict', async () => {
    const dir = workspace(config(server.url));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'cache'), 'a file where the cache folder should be');
    const before = server.calls.length;
    const result = await jury(dir, ['run']);
    expect(result.code).toBe(0);
    expect(result.stderr.match(/replies are no longer cached: .*(EEXIST|ENOTDIR)/g)).toHaveLength(1);
    expect(server.calls.length - before).toBe(630);
    expect(allVerdicts(report(dir)).filter((v) => v.status === 'scored')).toHaveLength(630);
  });

  it('retries 429 after the Retry-After the server gave, and succeeds', async () => {
    const dir = workspace(config(server.url, { maxDelayMs: 2000 }));
    dirs.push(dir);
    let limited = 0;
    server.options.fault = onFirstSight((request) => {
      if (request.index % 97 !== 5 || limited >= 4) return undefined;
      limited++;
      return { kind: 'status', status: 429, headers: { 'retry-after': '1' } };
    });
    const result = await jury(dir, ['run']);
    expect(result.code).toBe(0);
    expect(limited).toBe(4);
    const rateLimited = server.calls.filter((c) => c.outcome === 'status');
    expect(rateLimited).toHaveLength(4);
    for (const call of rateLimited) {
      const retry = server.calls.find((c) => c.request.model === call.request.model && c.request.text === call.request.text && c.request.index > call.request.index);
      expect(retry?.outcome).toBe('ok');
      expect(retry!.request.at - call.request.at).toBeGreaterThanOrEqual(950);
    }
    expectAllScored(report(dir));
    const stats = run(dir);
    expect(stats.judges.gpt.retries + stats.judges.qwen.retries + stats.judges.claude.retries).toBe(4);
  });

  it('a 429 with Retry-After pauses every call of that judge for the time asked, while the other judges carry on', async () => {
    const dir = workspace(config(server.url, { maxDelayMs: 5000 }));
    dirs.push(dir);
    server.options.latencyMs = 20;
    let limitedAt: number | undefined;
    // The tenth gpt call is refused with "wait 1.5 s"; nothing else is.
    let gptSeen = 0;
    server.options.fault = (request) => {
      if (request.model !== 'gpt-fake' || ++gptSeen !== 10) return undefined;
      limitedAt = request.at;
      return { kind: 'status', status: 429, headers: { 'retry-after': '1.5' } };
    };
    try {
      const result = await jury(dir, ['run']);
      expect(result.code).toBe(0);
    } finally {
      server.options.latencyMs = undefined;
      server.options.fault = undefined;
    }
    expect(limitedAt).toBeDefined();
    // The 429 reaches jury about 20 ms after the request arrived; calls already past the limiter may still land
    // just after (a loaded CI machine is given 300 ms for that). From then until the 1.5 s are up, no call of gpt
    // arrives: the judge is paused, not only the call.
    const window = (from: number, to: number) => server.calls.filter((c) => c.request.at > limitedAt! + from && c.request.at < limitedAt! + to);
    const held = window(300, 1450);
    expect(held.filter((c) => c.request.model === 'gpt-fake')).toEqual([]);
    expect(held.filter((c) => c.request.model === 'qwen-fake').length).toBeGreaterThan(10);
    expect(held.filter((c) => c.request.model === 'claude-fake').length).toBeGreaterThan(5);
    // And afterwards gpt resumes and finishes: every verdict is scored.
    expect(window(1450, 60_000).filter((c) => c.request.model === 'gpt-fake').length).toBeGreaterThan(0);
    expectAllScored(report(dir));
  });

  it('never waits past max_delay_ms: a Retry-After of a day fails those verdicts as rate_limit at once, said once per judge', async () => {
    const dir = workspace(config(server.url, { maxDelayMs: 2000 }));
    dirs.push(dir);
    server.options.fault = (request) => (request.model === 'gpt-fake' && request.text.includes('blues-guitar') ? { kind: 'status', status: 429, headers: { 'retry-after': '86400' } } : undefined);
    const started = Date.now();
    const result = await jury(dir, ['run']);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.code).toBe(0);
    const failedGpt = allVerdicts(report(dir)).filter((v) => v.judge === 'gpt' && v.status === 'failed');
    expect(failedGpt.length).toBeGreaterThan(0);
    const journal = readFileSync(path.join(dir, 'reports/real/verdicts.jsonl'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => JSON.parse(l));
    const causes = journal.filter((r) => r.verdict.status === 'failed').map((r) => r.verdict);
    expect(causes.length).toBe(failedGpt.length);
    for (const v of causes) {
      expect(v.cause).toBe('rate_limit');
      expect(v.message).toContain('the provider asked to wait 24.0 h, longer than retries.max_delay_ms (2 s)');
    }
    expect(result.stderr.match(/judge gpt is rate-limited: the provider asked to wait 86400 s; its calls wait 2 s/g)).toHaveLength(1);
    server.options.fault = undefined;
  });

  it('survives 5xx, 529, connection resets and hangs past the timeout', async () => {
    const dir = workspace(config(server.url, { timeout: 1 }));
    dirs.push(dir);
    const plan: Fault[] = [{ kind: 'status', status: 500 }, { kind: 'status', status: 503 }, { kind: 'status', status: 529 }, { kind: 'reset' }, { kind: 'hang' }];
    let injected = 0;
    server.options.fault = onFirstSight((request) => (request.index % 40 === 3 ? plan[injected++ % plan.length] : undefined));
    const result = await jury(dir, ['run']);
    expect(result.code).toBe(0);
    expect(injected).toBeGreaterThanOrEqual(10);
    expect(server.calls.filter((c) => c.outcome === 'hang').length).toBeGreaterThanOrEqual(2);
    expectAllScored(report(dir));
  });

  it('retries a malformed or off-scale verdict, then records it as failed with the raw reply', async () => {
    const dir = workspace(config(server.url, { attempts: 3 }));
    dirs.push(dir);
    const target = (r: FakeRequest) => r.text.includes('<transcript id="study-focus">') && r.text.includes('Criterion `tool_faithfulness`');
    server.options.fault = (r) => {
      if (target(r) && r.model === 'gpt-fake') return { kind: 'malformed', text: 'It is fine, I guess. Four stars.' };
      if (target(r) && r.model === 'claude-fake') return { kind: 'off_scale' };
      return undefined;
    };
    const result = await jury(dir, ['run']);
    expect(result.code).toBe(0);
    expect(server.calls.filter((c) => target(c.request) && c.request.model === 'gpt-fake')).toHaveLength(3);
    expect(server.calls.filter((c) => target(c.request) && c.request.model === 'claude-fake')).toHaveLength(3);
    const unit = report(dir).items.find((i: any) => i.id === 'study-focus').results.find((u: any) => u.criterion === 'tool_faithfulness');
    expect(unit.verdicts.map((v: any) => `${v.judge}:${v.status}`)).toEqual(['claude:failed', 'gpt:failed', 'qwen:scored']);
    expect(unit.panel).toMatchObject({ status: 'unscored', judges: 1 });
    const errors = run(dir).errors;
    expect(errors).toContainEqual(expect.objectContaining({ judge: 'gpt', cause: 'unparseable', attempts: 3, raw: 'It is fine, I guess. Four stars.' }));
    expect(errors).toContainEqual(expect.objectContaining({ judge: 'claude', cause: 'off_scale', attempts: 3 }));
    expect(run(dir).judges.gpt.failures_by_cause).toEqual({ unparseable: 1 });
  });

  it('fails before any call when a judge has no key, naming the judge and the variable', async () => {
    const dir = workspace(config(server.url));
    dirs.push(dir);
    const { ANTHROPIC_API_KEY: _dropped, ...rest } = KEYS;
    const result = await jury(dir, ['run'], rest);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('judge `claude` needs an API key in the environment variable ANTHROPIC_API_KEY');
    expect(result.stderr).toMatch(/jury\.yaml:8:/);
    expect(server.calls).toHaveLength(0);
    expect(existsSync(path.join(dir, 'reports'))).toBe(false);
  });

  it('reports a refused key once, scrubs it from every message, and finishes with the other judges', async () => {
    const dir = workspace(config(server.url));
    dirs.push(dir);
    server.options.keys = [KEYS.ANTHROPIC_API_KEY, KEYS.VLLM_KEY];
    const result = await jury(dir, ['run']);
    expect(result.code).toBe(0);
    expect(result.stderr.match(/judge gpt is refused/g)).toHaveLength(1);
    expect(result.stderr).toContain('[redacted]');
    // One call per slot in flight before the first 401 came back; none after.
    expect(server.callsFor('gpt-fake').length).toBeLessThanOrEqual(4);
    const r = report(dir);
    expect(allVerdicts(r).filter((v) => v.judge === 'gpt').every((v) => v.status === 'failed')).toBe(true);
    expect(r.items.every((i: any) => i.results.every((u: any) => u.panel.status === 'scored'))).toBe(true);
    expect(run(dir).judges.gpt.failures_by_cause).toEqual({ auth: 210 });
  });
});

describe('replies that are not what the API returns', () => {
  const cases: [string, Fault, string, string][] = [
    ['a 200 with an HTML page (a proxy login page)', { kind: 'raw', status: 200, contentType: 'text/html', body: '<!doctype html><html><body>Sign in to continue</body></html>' }, 'unparseable', 'the server answered, but not with a chat completion: <!doctype html><html><body>Sign in to continue</body></html>'],
    ['a 200 with JSON of another shape', { kind: 'raw', status: 200, contentType: 'application/json', body: '{"result":"ok"}' }, 'unparseable', 'the server answered, but not with a chat completion: {"result":"ok"}'],
    ['a redirect', { kind: 'raw', status: 307, contentType: 'text/plain', body: '', headers: { location: 'http://127.0.0.1:1/v1/chat/completions' } }, 'bad_request', 'the server answered 307, a redirect to http://127.0.0.1:1/v1/chat/completions; jury does not follow redirects'],
    ['a 413 for an oversized request', { kind: 'status', status: 413, message: 'request entity too large' }, 'bad_request', 'the server refused the request as too large (413)'],
  ];
  for (const [name, fault, cause, message] of cases) {
    it(`${name}: the verdict fails with cause ${cause} and a message that says what happened, never an internal error`, async () => {
      const dir = workspace(config(server.url));
      dirs.push(dir);
      server.options.fault = (request) => (request.model === 'gpt-fake' && request.text.includes('blues-guitar') ? fault : undefined);
      const result = await jury(dir, ['run']);
      expect(result.stderr).not.toMatch(/internal error|bug in jury|Cannot read properties/);
      expect(result.code).toBe(0);
      const journal = readFileSync(path.join(dir, 'reports/real/verdicts.jsonl'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => JSON.parse(l));
      const failed = journal.filter((r) => r.verdict.status === 'failed');
      expect(failed.length).toBeGreaterThan(0);
      for (const r of failed) {
        expect(r.judge).toBe('gpt');
        expect(r.verdict.cause).toBe(cause);
        expect(r.verdict.message).toContain(message);
      }
      // report.json says why each failed verdict failed, not only run.json.
      const inReport = allVerdicts(report(dir)).filter((v) => v.status === 'failed');
      expect(inReport.length).toBe(failed.length);
      for (const v of inReport) expect(v.cause).toBe(cause);
      // Permanent problems are not asked again; a bad reply is asked again like an unreadable verdict.
      const attempts = cause === 'bad_request' ? 1 : 4;
      for (const r of failed) expect(r.attempts).toBe(attempts);
    });
  }

  it('a known model gets a default context budget: a transcript of millions of tokens is refused before any call', async () => {
    const dir = workspace(config(server.url).replace('model: gpt-fake', 'model: gpt-4.1-mini'));
    dirs.push(dir);
    const huge = { id: 'huge', messages: [{ role: 'user', content: 'la '.repeat(5_000_000) }, { role: 'assistant', content: 'ok' }] };
    writeFileSync(path.join(dir, 'datasets/music-recs/v1.jsonl'), `${JSON.stringify(huge)}\n`);
    const result = await jury(dir, ['run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/transcript `huge` needs about \d+ input tokens; judge `gpt` takes at most 1000000/);
    expect(server.calls).toHaveLength(0);
  });
});

describe('samples and the cache key, through the real SDKs', () => {
  it('samples: 3 makes three calls per unit (none collapsed by the cache); a changed model asks everything again', async () => {
    const dir = workspace(config(server.url).replace('seed: 1 }', 'seed: 1, samples: 3 }'));
    dirs.push(dir);
    expect((await jury(dir, ['run'])).code).toBe(0);
    // 30 transcripts × 7 criteria = 210 units: gpt asked three times each, the others once.
    expect(server.callsFor('gpt-fake')).toHaveLength(630);
    expect(server.callsFor('qwen-fake')).toHaveLength(210);
    const gptVerdicts = allVerdicts(report(dir)).filter((v) => v.judge === 'gpt');
    expect(new Set(gptVerdicts.map((v) => v.sample))).toEqual(new Set([0, 1, 2]));
    // Again with the cache: nothing asked. With gpt's model changed: gpt's 630 asked again, the others cached.
    server.reset({ keys: Object.values(KEYS), latencyMs: 1 });
    expect((await jury(dir, ['run', '--out', 'again'])).code).toBe(0);
    expect(server.calls).toHaveLength(0);
    writeFileSync(path.join(dir, 'jury.yaml'), readFileSync(path.join(dir, 'jury.yaml'), 'utf8').replace('model: gpt-fake', 'model: gpt-fake-2'));
    expect((await jury(dir, ['run', '--out', 'changed'])).code).toBe(0);
    expect(server.calls).toHaveLength(630);
    expect(server.callsFor('gpt-fake-2')).toHaveLength(630);
  });
});

describe('kill -9', () => {
  it.each([
    ['with the reply cache', [] as string[]],
    ['with --no-cache', ['--no-cache']],
  ])('re-pays at most the calls that were on the wire (%s): a reply received is kept before its place goes to the next call', async (_, flags) => {
    server.reset({ keys: Object.values(KEYS), latencyMs: 2 });
    const dir = workspace(config(server.url, { concurrency: 16 }).replace(/max_concurrency: \d+/g, 'max_concurrency: 8'));
    dirs.push(dir);
    const journal = path.join(dir, 'reports/real/verdicts.jsonl');
    const { child, done } = startCli(['run', ...flags], { cwd: dir, env: cleanEnv(KEYS) });
    await waitFor(() => existsSync(journal) && readFileSync(journal, 'utf8').split('\n').length > 300);
    child.kill('SIGKILL');
    await done;
    const before = server.calls.length;
    expect(before).toBeLessThan(630);
    const resumed = await jury(dir, ['run', '--resume', 'reports/real', ...flags]);
    expect(resumed.code).toBe(0);
    expect(allVerdicts(report(dir)).filter((v) => v.status === 'scored')).toHaveLength(630);
    // 630 calls in all, plus at most the 16 on the wire when the process died and a reply or two in the hand-off
    // (its place passes on as its bytes arrive, a few promise turns before it is cached). Before this was fixed,
    // replies waiting to be journaled were lost too: 23 re-paid at concurrency 16 in the measurement.
    expect(server.calls.length - 630).toBeLessThanOrEqual(18);
  });
});

describe('provider SDK warnings', () => {
  it("the Anthropic SDK's deprecation warning for a model is said once, in jury's output, not once per call", async () => {
    const dir = workspace(config(server.url).replace('model: claude-fake', 'model: claude-sonnet-4-5'));
    dirs.push(dir);
    const result = await jury(dir, ['run']);
    expect(result.code).toBe(0);
    expect(server.callsFor('claude-sonnet-4-5').length).toBe(210);
    expect(result.stderr.match(/is deprecated/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/jury: provider SDK: The model 'claude-sonnet-4-5' is deprecated and will reach end-of-life on/);
  });
});

describe('refused keys echoed in part', () => {
  it('scrubs a run of 8+ characters of the key that a 401 echoes without its prefix, from stderr, run.json and the journal', async () => {
    const dir = workspace(config(server.url));
    dirs.push(dir);
    server.options.keys = [KEYS.ANTHROPIC_API_KEY, KEYS.VLLM_KEY];
    server.options.echoKey = (key) => `${key.slice(8, 20)}***${key.slice(-4)}`;
    const result = await jury(dir, ['run']);
    expect(result.code).toBe(0);
    const fragment = KEYS.OPENAI_API_KEY.slice(8, 20);
    expect(result.stderr).toContain('Incorrect API key provided: [redacted]***');
    const files = [result.stderr, readFileSync(path.join(dir, 'reports/real/run.json'), 'utf8'), readFileSync(path.join(dir, 'reports/real/verdicts.jsonl'), 'utf8')];
    for (const text of files) expect(text.includes(fragment)).toBe(false);
  });
});

describe('https', () => {
  it('reaches judges over TLS (a certificate the system trusts through NODE_EXTRA_CA_CERTS), live and in batches', async () => {
    const tlsDir = path.join(ROOT, 'test/fixtures/tls');
    const secure = await new FakeLlmServer({ keys: Object.values(KEYS), latencyMs: 2, tls: { cert: readFileSync(path.join(tlsDir, 'cert.pem'), 'utf8'), key: readFileSync(path.join(tlsDir, 'key.pem'), 'utf8') } }).start();
    try {
      expect(secure.url).toMatch(/^https:/);
      const dir = workspace(config(secure.url));
      dirs.push(dir);
      const env = { ...KEYS, NODE_EXTRA_CA_CERTS: path.join(tlsDir, 'cert.pem') };
      const live = await jury(dir, ['run', '--no-cache'], env);
      expect(live.stderr).not.toMatch(/internal error/);
      expect(live.code).toBe(0);
      expectAllScored(report(dir));
      expect(secure.calls).toHaveLength(630);
      expect(secure.connections).toBeLessThanOrEqual(16);
      // The batch APIs upload multipart files (the built-in fetch) and poll (jury's transport): both over TLS.
      secure.batches.options = { delayMs: 20 };
      const batched = await jury(dir, ['run', '--no-cache', '--batch', '--batch-poll', '0.05', '--out', 'batched'], env);
      expect(batched.code).toBe(0);
      expectAllScored(report(dir, 'batched/real'));
      // Without the certificate trusted, nothing is sent in the clear instead: every call fails.
      const untrusted = await jury(dir, ['run', '--no-cache', '--out', 'untrusted'], KEYS);
      expect(untrusted.code).toBe(3);
    } finally {
      await secure.close();
    }
  });
});

describe('resume', () => {
  it('a run killed half-way and resumed asks only for the missing verdicts and ends with the same report', async () => {
    const dir = workspace(config(server.url));
    dirs.push(dir);
    server.reset({ keys: Object.values(KEYS), latencyMs: 25 });
    const journal = path.join(dir, 'reports/real/verdicts.jsonl');
    const { child, done } = startCli(['run', '--no-cache'], { cwd: dir, env: cleanEnv(KEYS) });
    await waitFor(() => existsSync(journal) && readFileSync(journal, 'utf8').split('\n').length > 200);
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    const lines = readFileSync(journal, 'utf8').split('\n');
    const journaled = lines.slice(1).filter((l) => l.trim() !== '' && isJson(l)).length;
    expect(journaled).toBeGreaterThan(150);
    expect(journaled).toBeLessThan(630);

    server.reset({ keys: Object.values(KEYS), latencyMs: 1 });
    const resumed = await jury(dir, ['run', '--resume', 'reports/real', '--no-cache']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`resuming; ${journaled} of 630 verdicts already journaled`);
    expect(server.calls).toHaveLength(630 - journaled);
    const asked = new Set(server.calls.map((c) => `${c.request.model}\u0000${c.request.text}`));
    expect(asked.size).toBe(630 - journaled);

    const whole = await jury(dir, ['run', '--no-cache', '--out', 'uninterrupted']);
    expect(whole.code).toBe(0);
    expect(readFileSync(path.join(dir, 'reports/real/report.json')).equals(readFileSync(path.join(dir, 'uninterrupted/real/report.json')))).toBe(true);
  });

  it("refuses to resume from another configuration's journal", async () => {
    const dir = workspace(config(server.url));
    dirs.push(dir);
    expect((await jury(dir, ['run', '--mock'])).code).toBe(0);
    const result = await jury(dir, ['run', '--resume', 'reports/real']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('journal/mismatch');
  });
});


function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}


describe('unreachable judges', () => {
  it('exits 3 when no judge returns a single verdict, after writing what it has', async () => {
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const dir = workspace(`
label: down
datasets: [datasets/music-recs/v1.jsonl]
rubrics: [rubrics/conversational-quality.yaml]
judges:
  - { id: gone, provider: openai, model: m, base_url: ${closed}/v1, api_key_env: null }
retries: { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 5 }
`);
    const result = await runCli(['run'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('no judge returned a single verdict (unreachable)');
    // Reported once, not once per verdict; the calls after the judge went down were never sent.
    expect(result.stderr.match(/judge gone is refused|judge gone is unreachable/g)).toHaveLength(1);
    const stats = JSON.parse(readFileSync(path.join(dir, 'reports/down/run.json'), 'utf8'));
    expect(stats.judges.gone.failures_by_cause).toEqual({ unreachable: 90 });
    expect(stats.judges.gone.provider_calls).toBeLessThan(30);
    expect(stats.errors[0].message).toMatch(/ECONNREFUSED/);
  });
});

describe('cost', () => {
  // gpt at a made-up price, qwen as a free local model; claude's model is in no price table: unknown.
  const priced = (url: string) => config(url).replace('seed: 1 }', 'seed: 1, price: { input: 1000, output: 2000, cached_input: 100 } }').replace('structured_output: none,', 'structured_output: none, price: { input: 0, output: 0 },');
  const allPriced = (url: string) => priced(url).replace('max_concurrency: 2,', 'max_concurrency: 2, price: { input: 3, output: 15 },');

  it('--dry-run plans calls, tokens, dollars and cache hits without calling anything', async () => {
    server.reset({ keys: Object.values(KEYS), latencyMs: 1 });
    const dir = workspace(priced(server.url));
    dirs.push(dir);
    const before = await jury(dir, ['run', '--dry-run']);
    expect(before.code).toBe(0);
    expect(server.calls).toHaveLength(0);
    expect(before.stdout).toMatch(/gpt\s+gpt-fake\s+210\s+0\s+\d+\s+37800\s+\$\d+\.\d\d\s+config\s+OPENAI_API_KEY set/);
    // A judge of unknown price is "unknown", never $0.00, and the total says it is a lower bound.
    expect(before.stdout).toMatch(/claude\s+claude-fake\s+210\s+0\s+\d+\s+\d+\s+unknown\s+unknown\s+ANTHROPIC_API_KEY set/);
    expect(before.stdout).toMatch(/estimated total: at least \$[\d.]+, plus claude at an unknown price/);
    expect(existsSync(path.join(dir, 'reports'))).toBe(false);
    expect((await jury(dir, ['run'])).code).toBe(0);
    server.reset({ keys: Object.values(KEYS), latencyMs: 1 });
    const after = await jury(dir, ['run', '--dry-run']);
    expect(after.stdout).toMatch(/gpt\s+gpt-fake\s+0\s+210\s+0\s+0\s+\$0\.00/);
    expect(server.calls).toHaveLength(0);
  });

  it('reports what a run spent, from the usage the provider returned', async () => {
    server.reset({ keys: Object.values(KEYS), latencyMs: 1 });
    const dir = workspace(priced(server.url));
    dirs.push(dir);
    const result = await jury(dir, ['run']);
    expect(result.code).toBe(0);
    const stats = run(dir);
    const t = stats.judges.gpt.tokens;
    // Independent of jury's cost code: dollars from the token totals and the configured price.
    const expected = ((t.input - t.cached_input) * 1000 + t.cached_input * 100 + t.output * 2000) / 1e6;
    expect(stats.judges.gpt.cost_usd).toBeCloseTo(expected, 6);
    expect(stats.judges.qwen.cost_usd).toBe(0);
    expect(stats.cost_usd).toBeCloseTo(stats.judges.gpt.cost_usd + stats.judges.claude.cost_usd + stats.judges.qwen.cost_usd, 9);
    expect(stats.unpriced_judges).toEqual(['claude']);
    expect(result.stdout).toMatch(new RegExp(`cost: at least \\$${stats.cost_usd.toFixed(2)} \\(claude unknown, gpt \\$${expected.toFixed(2)}, qwen \\$0\\.00\\)`));
    expect(result.stdout).toContain('price unknown for claude: set `price` on the judge in jury.yaml');
  });

  it('--max-cost is refused while a judge has an unknown price: the budget could never stop it', async () => {
    const dir = workspace(priced(server.url));
    dirs.push(dir);
    const refused = await jury(dir, ['run', '--max-cost', '20']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--max-cost cannot limit judge `claude`: the price of model claude-fake is unknown to jury');
    expect(refused.stderr).toContain('expected: a `price: { input, output }`');
    expect(server.calls).toHaveLength(0);
  });

  it('--max-cost stops scheduling when the budget is spent, keeps the journal, and resumes; the cost agrees with itself', async () => {
    server.reset({ keys: Object.values(KEYS), latencyMs: 5 });
    const dir = workspace(allPriced(server.url));
    dirs.push(dir);
    const stopped = await jury(dir, ['run', '--max-cost', '20', '--no-cache']);
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toContain('the budget of $20 is spent');
    const asked = server.calls.length;
    expect(asked).toBeLessThan(200);
    const journaled = readFileSync(path.join(dir, 'reports/real/verdicts.jsonl'), 'utf8').trim().split('\n').length - 1;
    expect(report(dir).incomplete.missing_verdicts).toBe(630 - journaled);
    server.reset({ keys: Object.values(KEYS), latencyMs: 1 });
    const firstPart = run(dir).cost_usd;
    const resumed = await jury(dir, ['run', '--resume', 'reports/real', '--no-cache']);
    expect(resumed.code).toBe(0);
    expect(server.calls).toHaveLength(630 - journaled);
    // One source of truth: the summary's total is run.json's cost_usd, the sum of its judges, resumed verdicts included.
    const stats = run(dir);
    const judgesSum = stats.judges.gpt.cost_usd + stats.judges.claude.cost_usd + stats.judges.qwen.cost_usd;
    expect(stats.cost_usd).toBeCloseTo(judgesSum, 9);
    expect(stats.cost_usd_this_invocation).toBeCloseTo(stats.cost_usd - firstPart, 9);
    expect(resumed.stdout).toContain(`cost: $${stats.cost_usd.toFixed(2)} (`);
    expect(resumed.stdout).toContain(`; $${stats.cost_usd_this_invocation.toFixed(2)} of it by this run, the rest by the run it resumed`);
  });
});

describe('mode: combined', () => {
  const combined = (url: string) =>
    config(url)
      .replace('rubrics: [rubrics/music-recommendation.yaml]', 'rubrics: [combined.yaml]')
      .replace(/  - \{ id: qwen[^\n]*\n/, '');
  const setup = (dir: string) => {
    const rubric = readFileSync(path.join(dir, 'rubrics/music-recommendation.yaml'), 'utf8').replace('scope: conversation', 'scope: conversation\nmode: combined');
    writeFileSync(path.join(dir, 'combined.yaml'), rubric);
  };

  it('judges all criteria of a rubric in one call per item and judge, and sends the transcript once', async () => {
    server.reset({ keys: Object.values(KEYS), latencyMs: 1 });
    const dir = workspace(combined(server.url));
    dirs.push(dir);
    setup(dir);
    const result = await jury(dir, ['run']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    // 30 items × 2 judges, each call carrying the 7 criteria.
    expect(server.calls).toHaveLength(60);
    const gpt = server.callsFor('gpt-fake')[0]!.request.body;
    expect(Object.keys(gpt.response_format.json_schema.schema.properties.verdicts.properties)).toHaveLength(7);
    const r = report(dir);
    const verdicts = allVerdicts(r);
    expect(verdicts).toHaveLength(30 * 7 * 2);
    expect(verdicts.every((v) => v.status === 'scored')).toBe(true);
    const stats = run(dir);
    expect(stats.judges.gpt).toMatchObject({ provider_calls: 30, verdicts: 210 });

    // The same rubric judged per criterion sends each transcript seven times.
    server.reset({ keys: Object.values(KEYS), latencyMs: 1 });
    const separate = workspace(config(server.url).replace(/  - \{ id: qwen[^\n]*\n/, ''));
    dirs.push(separate);
    expect((await jury(separate, ['run'])).code).toBe(0);
    const perCriterion = run(separate).judges.gpt.tokens.input / 210;
    const perCriterionCombined = stats.judges.gpt.tokens.input / 210;
    expect(perCriterionCombined).toBeLessThan(perCriterion / 3);
  });

  it('asks again when a criterion is missing from a combined reply', async () => {
    server.reset({ keys: Object.values(KEYS), latencyMs: 1, fault: onFirstSight((r) => (r.model === 'gpt-fake' && r.index % 3 === 0 ? { kind: 'malformed', text: '{"verdicts": {}}' } : undefined)) });
    const dir = workspace(combined(server.url));
    dirs.push(dir);
    setup(dir);
    expect((await jury(dir, ['run'])).code).toBe(0);
    expect(server.calls.filter((c) => c.outcome === 'malformed').length).toBeGreaterThan(0);
    expectAllScored(report(dir));
    expect(run(dir).judges.gpt.retries).toBe(server.calls.filter((c) => c.outcome === 'malformed').length);
  });
});

describe('batch APIs', () => {
  it('--batch sends every call through OpenAI Batch and Anthropic Message Batches, and journals the batch ids', async () => {
    server.reset({ keys: Object.values(KEYS), latencyMs: 1 });
    server.batches.options = { delayMs: 100 };
    const before = { ...server.batches.received };
    const dir = workspace(config(server.url));
    dirs.push(dir);
    const result = await jury(dir, ['run', '--batch', '--batch-poll', '0.05']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    expect(server.calls).toHaveLength(0);
    expect(server.batches.received.openai - before.openai).toBe(420);
    expect(server.batches.received.anthropic - before.anthropic).toBe(210);
    expect(result.stderr).toMatch(/batch batch_\d+ \(gpt\): \d+\/210 done/);
    expect(result.stderr).toMatch(/batch msgbatch_\d+ \(claude\): 210\/210 done/);
    expectAllScored(report(dir));
    const journal = readFileSync(path.join(dir, 'reports/real/verdicts.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(journal.filter((l) => l.kind === 'batch').map((l) => l.judge).sort()).toEqual(['claude', 'gpt', 'qwen']);
  });

  it('--batch with a server that has no batch API (Ollama, vLLM) sends that judge\'s calls as ordinary calls, with one note', async () => {
    server.reset({ keys: Object.values(KEYS), latencyMs: 1 });
    server.batches.options = { delayMs: 20, noOpenaiBatches: true };
    const before = { ...server.batches.received };
    const dir = workspace(config(server.url));
    dirs.push(dir);
    const result = await jury(dir, ['run', '--batch', '--batch-poll', '0.02']);
    expect(result.stderr).not.toMatch(/internal error|bug in jury/);
    expect(result.code).toBe(0);
    expect(result.stderr.match(/judge gpt: its server has no batch API \(.*404.*\); its calls go out as ordinary calls/g)).toHaveLength(1);
    expect(result.stderr.match(/judge qwen: its server has no batch API/g)).toHaveLength(1);
    // The two OpenAI-compatible judges were asked live (210 each); Claude's batch went through.
    expect(server.calls).toHaveLength(420);
    expect(server.batches.received.anthropic - before.anthropic).toBe(210);
    expect(server.batches.received.openai - before.openai).toBe(0);
    expectAllScored(report(dir));
  });

  it('retries the requests that failed inside a batch as ordinary calls', async () => {
    server.reset({ keys: Object.values(KEYS), latencyMs: 1 });
    server.batches.options = { delayMs: 20, fails: (id) => Number(id.slice(1)) % 50 === 7 };
    const dir = workspace(config(server.url));
    dirs.push(dir);
    expect((await jury(dir, ['run', '--batch', '--batch-poll', '0.02'])).code).toBe(0);
    // j7, j57, j107, j157, j207 of each judge's 210: five per judge, asked again live.
    expect(server.calls).toHaveLength(15);
    expectAllScored(report(dir));
  });

  it('resumes across a restart by collecting the journaled batches, never submitting them again', async () => {
    server.reset({ keys: Object.values(KEYS), latencyMs: 1 });
    server.batches.options = { delayMs: 2500 };
    const dir = workspace(config(server.url));
    dirs.push(dir);
    const journal = path.join(dir, 'reports/real/verdicts.jsonl');
    const { child, done } = startCli(['run', '--batch', '--batch-poll', '0.1'], { cwd: dir, env: cleanEnv(KEYS) });
    await waitFor(() => existsSync(journal) && (readFileSync(journal, 'utf8').match(/"kind":"batch"/g) ?? []).length === 3);
    child.kill('SIGKILL');
    await done;
    const submitted = { ...server.batches.received };
    const resumed = await jury(dir, ['run', '--resume', 'reports/real', '--batch', '--batch-poll', '0.1']);
    expect(resumed.code).toBe(0);
    expect(server.batches.received).toEqual(submitted);
    expect(server.calls).toHaveLength(0);
    expectAllScored(report(dir));
  });
});

describe('secrets', () => {
  it('no key appears in any output or any file written', () => {
    expect(dirs.length).toBeGreaterThan(5);
    const leaks: string[] = [];
    // Any 8 characters in a row of a key count as a leak (the scrubbing promise), not only the whole key.
    const fragments = Object.values(KEYS).flatMap((key) => Array.from({ length: key.length - 7 }, (_, i) => key.slice(i, i + 8)));
    const leaked = (text: string) => fragments.find((f) => text.includes(f));
    for (const text of outputs) if (leaked(text)) leaks.push(`output: ${leaked(text)}`);
    for (const dir of dirs) {
      for (const file of walk(dir)) {
        const text = readFileSync(file, 'utf8');
        if (leaked(text)) leaks.push(`${path.relative(dir, file)}: ${leaked(text)}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
