import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { FakeBatches } from './fake-batches.js';

/**
 * A local stand-in for the OpenAI chat-completions and Anthropic messages APIs, speaking their wire formats
 * well enough for the official SDKs: structured output (json_schema), forced tool use, usage. It listens on
 * 127.0.0.1 only, injects faults on demand and records every call with a concurrency high-water mark.
 */

export type Api = 'openai' | 'anthropic';

export interface FakeRequest {
  api: Api;
  /** Order of arrival, from 0. */
  index: number;
  model: string;
  body: any;
  /** The user prompt text, for matching an item or criterion. */
  text: string;
  headers: IncomingMessage['headers'];
  at: number;
  /** Calls of the same model already in flight when this one arrived. */
  inFlightAtArrival: number;
}

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; message?: string }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'malformed'; text?: string }
  | { kind: 'off_scale' }
  /** Exactly this status, content type and body: an HTML page from a proxy, a JSON body of another shape, a redirect. */
  | { kind: 'raw'; status: number; contentType: string; body: string; headers?: Record<string, string> };

export interface FakeServerOptions {
  latencyMs?: number;
  /** Called for every request; a fault, or undefined for a valid verdict. */
  fault?: (request: FakeRequest, server: FakeLlmServer) => Fault | undefined;
  /** Keys the server accepts; a request with another key gets 401 (echoing the key, as OpenAI does). */
  keys?: string[];
  /** How a 401 echoes the refused key (default: whole); real providers echo a part, e.g. without its prefix. */
  echoKey?: (key: string) => string;
  /** Extra headers on a successful reply (e.g. rate-limit headers). */
  replyHeaders?: (request: FakeRequest) => Record<string, string> | undefined;
  /** Serve https with this certificate and key (PEM) instead of plain http. */
  tls?: { cert: string; key: string };
  /** How an "OpenAI-compatible" server falls short of OpenAI, as some versions of Ollama, llama.cpp and vLLM do. */
  quirks?: Quirks;
  /**
   * The probability of each candidate at the score token (OpenAI chat, with `logprobs`); default: a distribution
   * centred on the verdict's score (see scoreDistribution). Candidates need not be on the scale.
   */
  scoreProbabilities?: (request: FakeRequest, points: (number | string)[]) => Record<string, number>;
  /** Draw the written score from the score distribution at random on each call (a noisy judge), not its mode. */
  noisyScores?: () => number;
  /** Answers a chat request itself (OpenAI; Anthropic as text or forced tool input) (an agent under test, a simulated listener): text or tool calls; undefined falls through. */
  chat?: (request: FakeRequest) => ChatAnswer | undefined;
}

export interface ChatAnswer {
  content?: string | null;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
}

export interface Quirks {
  /** Answers as if `response_format: json_schema` were not there (chatty text). */
  ignoresSchema?: boolean;
  /** Answers as if `response_format: json_object` were not there. */
  ignoresJsonObject?: boolean;
  /** Refuses any request with `tools` (400). */
  noTools?: boolean;
  /** Returns `logprobs: null` whatever was asked. */
  dropsLogprobs?: boolean;
}

export interface RecordedCall {
  request: FakeRequest;
  outcome: 'ok' | Fault['kind'];
  /** Date.now() once its reply was handed to the socket (or the call otherwise ended). */
  repliedAt?: number;
}

export class FakeLlmServer {
  readonly calls: RecordedCall[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** TCP (or TLS) connections opened to the server: far fewer than calls when the client keeps them alive. */
  connections = 0;
  /** performance.now() when the last call finished (its reply written): a bench's end-of-run clock. */
  lastReplyAt = 0;
  readonly maxInFlightByModel = new Map<string, number>();
  private readonly inFlightByModel = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  url = '';

  constructor(public options: FakeServerOptions = {}) {}

  async start(): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = this.options.tls ? createTlsServer(this.options.tls, handler) : createServer(handler);
    this.server.on(this.options.tls ? 'secureConnection' : 'connection', (socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  reset(options?: FakeServerOptions): void {
    this.calls.length = 0;
    this.maxInFlight = 0;
    this.connections = 0;
    this.maxInFlightByModel.clear();
    if (options) this.options = options;
  }

  callsFor(model: string): RecordedCall[] {
    return this.calls.filter((c) => c.request.model === model);
  }

  /** OpenAI Batch API and Anthropic Message Batches, answered with the same verdicts as live calls. */
  readonly batches = new FakeBatches(() => this.url, (api, body) => {
    const text = promptText(api, body);
    const verdict = makeVerdict(api, body, text);
    return api === 'openai' ? openaiReply(body, JSON.stringify(verdict), text) : anthropicReply(body, JSON.stringify(verdict), verdict, text);
  });

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (this.batches.handle(req, raw, res, send)) return;
    const api: Api | undefined = req.url === '/v1/chat/completions' ? 'openai' : req.url === '/v1/messages' ? 'anthropic' : undefined;
    if (req.method !== 'POST' || !api) return send(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, 400, { error: { message: 'body is not JSON' } });
    }
    const model = String(body.model);
    const request: FakeRequest = { api, index: this.calls.length, model, body, text: promptText(api, body), headers: req.headers, at: Date.now(), inFlightAtArrival: this.inFlightByModel.get(model) ?? 0 };
    const call: RecordedCall = { request, outcome: 'ok' };
    this.calls.push(call);
    this.enter(request.model);
    try {
      // OpenAI sends a bearer token; Anthropic's API takes x-api-key, and its newer SDKs send a bearer token.
      const key = String(req.headers['x-api-key'] ?? req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (this.options.keys && !this.options.keys.includes(key)) {
        call.outcome = 'status';
        return sendError(res, api, 401, `Incorrect API key provided: ${this.options.echoKey ? this.options.echoKey(key) : key}. You can find your API key in your account settings.`);
      }
      const fault = this.options.fault?.(request, this);
      if (fault) call.outcome = fault.kind;
      if (fault?.kind === 'hang') return await new Promise<void>((resolve) => req.socket.on('close', resolve));
      if (fault?.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (this.options.latencyMs) await sleep(this.options.latencyMs);
      if (fault?.kind === 'status') return sendError(res, api, fault.status, fault.message ?? `injected ${fault.status}`, fault.headers);
      if (fault?.kind === 'raw') {
        res.writeHead(fault.status, { 'content-type': fault.contentType, ...fault.headers });
        res.end(fault.body);
        return;
      }
      const quirks = this.options.quirks ?? {};
      if (api === 'openai') {
        if (quirks.noTools && body.tools) return sendError(res, api, 400, 'tools are not supported by this server');
        if (quirks.ignoresSchema && body.response_format?.type === 'json_schema') delete body.response_format;
        if (quirks.ignoresJsonObject && body.response_format?.type === 'json_object') delete body.response_format;
        if (quirks.dropsLogprobs) delete body.logprobs;
      }
      const answer = this.options.chat?.(request);
      if (answer && api === 'openai') return send(res, 200, chatReply(body, answer, request.text));
      // Anthropic: a forced tool call carries the answer's JSON as its input.
      if (answer) return send(res, 200, anthropicReply(body, answer.content ?? '', body.tool_choice?.type === 'tool' ? JSON.parse(answer.content ?? '{}') : undefined, request.text));
      const schema = schemaOf(api, body);
      // A schema that is not a verdict's (the capability probe's): followed exactly, as a constraining server would.
      if (api === 'openai' && schema && !schema.properties?.score && !schema.properties?.verdicts && fault === undefined) {
        return send(res, 200, openaiReply(body, JSON.stringify(valueOf(schema)), request.text));
      }
      const combined = schema?.properties?.verdicts?.properties as Record<string, any> | undefined;
      const verdict = fault?.kind === 'off_scale'
        ? { reasoning: 'Off the scale on purpose.', score: 99, cited_turns: [1] }
        : combined
          ? { verdicts: Object.fromEntries(Object.entries(combined).map(([id, sub]) => [id, makeVerdict(api, { ...body, response_format: { json_schema: { schema: sub } }, tools: [{ input_schema: sub }] }, `${id}\u0000${request.text}`)])) }
          : makeVerdict(api, body, request.text);
      const wantsLogprobs = api === 'openai' && body.logprobs === true && !combined && fault === undefined;
      const points = allowedScores(api, body, request.text);
      // A noisy judge writes a score drawn from its distribution whether or not logprobs were asked for.
      const single = (wantsLogprobs || this.options.noisyScores) && 'score' in verdict && !combined && fault === undefined ? verdict : undefined;
      const distribution = single ? (this.options.scoreProbabilities?.(request, points) ?? scoreDistribution(points, single.score)) : undefined;
      if (single && distribution && this.options.noisyScores) single.score = drawFrom(distribution, points, this.options.noisyScores()) ?? single.score;
      const text = fault?.kind === 'malformed' ? (fault.text ?? 'I would say it is quite good, maybe a four?') : JSON.stringify(verdict);
      if (distribution && wantsLogprobs) return send(res, 200, withLogprobs(openaiReply(body, text, request.text), distribution, body.top_logprobs ?? 0));
      return send(res, 200, api === 'openai' ? openaiReply(body, text, request.text) : anthropicReply(body, text, fault?.kind === 'malformed' ? undefined : verdict, request.text), this.options.replyHeaders?.(request) ?? {});
    } finally {
      call.repliedAt = Date.now();
      this.leave(request.model);
    }
  }

  private enter(model: string): void {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const n = (this.inFlightByModel.get(model) ?? 0) + 1;
    this.inFlightByModel.set(model, n);
    this.maxInFlightByModel.set(model, Math.max(this.maxInFlightByModel.get(model) ?? 0, n));
  }

  private leave(model: string): void {
    this.lastReplyAt = performance.now();
    this.inFlight--;
    this.inFlightByModel.set(model, (this.inFlightByModel.get(model) ?? 1) - 1);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString()));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, api: Api, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = api === 'openai'
    ? { error: { message, type: status === 429 ? 'requests' : 'server_error', code: status === 429 ? 'rate_limit_exceeded' : null } }
    : { type: 'error', error: { type: status === 429 ? 'rate_limit_error' : status === 529 ? 'overloaded_error' : status === 401 ? 'authentication_error' : 'api_error', message } };
  send(res, status, body, headers);
}

function promptText(api: Api, body: any): string {
  const contents = (body.messages ?? []).map((m: any) => (typeof m.content === 'string' ? m.content : (m.content ?? []).map((p: any) => p.text ?? '').join('\n')));
  return [api === 'anthropic' ? String(body.system ?? '') : '', ...contents].join('\n');
}

/** The allowed scores, from the schema the client sent, else from the scale line of the prompt. */
function allowedScores(api: Api, body: any, text: string): (number | string)[] {
  const schema = schemaOf(api, body);
  const fromSchema = schema?.properties?.score?.enum;
  if (Array.isArray(fromSchema)) return fromSchema;
  const likert = /Score: an integer from (\d+) to (\d+)/.exec(text);
  if (likert) {
    const out: number[] = [];
    for (let s = Number(likert[1]); s <= Number(likert[2]); s++) out.push(s);
    return out;
  }
  if (/Score: 0 \(no\) or 1 \(yes\)/.test(text)) return [0, 1];
  const labels = /(?:Score|Verdict): one of the labels (.*)\. What/.exec(text);
  if (labels) return JSON.parse(`[${labels[1]}]`);
  return [1];
}

/** A deterministic verdict: a hash of model and prompt picks the score, so reruns agree. */
function makeVerdict(api: Api, body: any, text: string): { reasoning: string; score: number | string; cited_turns: number[] } {
  const scores = allowedScores(api, body, text);
  const digest = createHash('sha256').update(`${body.model}\u0000${text}`).digest();
  return { reasoning: `Fake ${body.model} verdict.`, score: scores[digest.readUInt32BE(0) % scores.length]!, cited_turns: [1] };
}

function tokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function schemaOf(api: Api, body: any): any {
  if (api === 'anthropic') return body.tools?.[0]?.input_schema;
  const forced = body.tool_choice?.type === 'function' ? body.tools?.find((t: any) => t.function?.name === body.tool_choice.function?.name) : undefined;
  return body.response_format?.json_schema?.schema ?? forced?.function?.parameters;
}

/** The first value a schema allows: what a server constraining its output to the schema would produce. */
function valueOf(schema: any): unknown {
  if (Array.isArray(schema?.enum)) return schema.enum[0];
  if (schema?.type === 'object') return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, sub]) => [key, valueOf(sub)]));
  if (schema?.type === 'array') return [];
  if (schema?.type === 'integer' || schema?.type === 'number') return 1;
  if (schema?.type === 'boolean') return true;
  return 'fake';
}

/** Default probabilities at the score token: most on the score written, the rest on its neighbours. */
export function scoreDistribution(points: (number | string)[], score: number | string): Record<string, number> {
  const at = points.indexOf(score);
  const weights = points.map((_, i) => Math.exp(-((i - at) ** 2) / 0.9));
  const total = weights.reduce((a, b) => a + b, 0);
  return Object.fromEntries(points.map((p, i) => [String(p), weights[i]! / total]));
}

function drawFrom(distribution: Record<string, number>, points: (number | string)[], u: number): number | string | undefined {
  let acc = 0;
  for (const point of points) {
    acc += distribution[String(point)] ?? 0;
    if (u < acc) return point;
  }
  return undefined;
}

/**
 * OpenAI's `logprobs.content` for a reply: the text cut into tokens (a run of digits is one token, as in
 * OpenAI's tokenizers for small numbers), each certain except the score's, whose alternatives are the distribution.
 */
function withLogprobs(reply: any, distribution: Record<string, number>, top: number): unknown {
  const content: string = reply.choices[0].message.content;
  const tokens = content.match(/\d+|[A-Za-z_]+|\s+|[^\sA-Za-z_\d]/g) ?? [];
  const scoreAt = /"score"\s*:\s*"?/.exec(content);
  const scoreOffset = scoreAt ? scoreAt.index + scoreAt[0].length : -1;
  let offset = 0;
  const entries = tokens.map((token) => {
    const here = offset;
    offset += token.length;
    const bytes = [...Buffer.from(token)];
    if (here !== scoreOffset) return { token, logprob: 0, bytes, top_logprobs: top > 0 ? [{ token, logprob: 0, bytes }] : [] };
    const ranked = Object.entries(distribution).sort((a, b) => b[1] - a[1]);
    return {
      token,
      logprob: Math.log(distribution[token] ?? 1e-9),
      bytes,
      top_logprobs: ranked.slice(0, top).map(([t, p]) => ({ token: t, logprob: Math.log(p), bytes: [...Buffer.from(t)] })),
    };
  });
  reply.choices[0].logprobs = { content: entries, refusal: null };
  return reply;
}

function openaiReply(body: any, content: string, prompt: string): unknown {
  // Without json_schema the fake answers as a chatty model would: JSON inside prose and a code fence.
  const constrained = body.response_format?.type === 'json_schema' || body.response_format?.type === 'json_object';
  const tool = body.tool_choice?.type === 'function' ? body.tool_choice.function?.name : undefined;
  const wrapped = constrained ? content : `Here is my verdict:\n\`\`\`json\n${content}\n\`\`\``;
  const message = tool
    ? { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'call_fake', type: 'function', function: { name: tool, arguments: content } }] }
    : { role: 'assistant', content: wrapped, refusal: null };
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: body.model,
    choices: [{ index: 0, message, finish_reason: tool ? 'tool_calls' : 'stop', logprobs: null }],
    usage: { prompt_tokens: tokens(prompt), completion_tokens: tokens(wrapped), total_tokens: tokens(prompt) + tokens(wrapped), prompt_tokens_details: { cached_tokens: 0 } },
  };
}

function chatReply(body: any, answer: ChatAnswer, prompt: string): unknown {
  const content = answer.content ?? null;
  const message = { role: 'assistant', content, refusal: null, ...(answer.tool_calls?.length ? { tool_calls: answer.tool_calls } : {}) };
  const out = tokens(content ?? JSON.stringify(answer.tool_calls ?? []));
  return {
    id: 'chatcmpl-fake', object: 'chat.completion', created: 1_700_000_000, model: body.model,
    choices: [{ index: 0, message, finish_reason: answer.tool_calls?.length ? 'tool_calls' : 'stop', logprobs: null }],
    usage: { prompt_tokens: tokens(prompt), completion_tokens: out, total_tokens: tokens(prompt) + out, prompt_tokens_details: { cached_tokens: 0 } },
  };
}

function anthropicReply(body: any, text: string, verdict: unknown, prompt: string): unknown {
  const forced = body.tool_choice?.type === 'tool' && verdict !== undefined;
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model: body.model,
    content: forced ? [{ type: 'tool_use', id: 'toolu_fake', name: body.tool_choice.name, input: verdict }] : [{ type: 'text', text }],
    stop_reason: forced ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: tokens(prompt), output_tokens: tokens(text), cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
