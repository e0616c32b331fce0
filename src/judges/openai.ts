import OpenAI, { toFile } from 'openai';
import type { JudgeConfig } from '../config/config.js';
import { sdkClientOptions, type BatchResult, type ProviderFactory, type ProviderReply } from './provider.js';
import { userText, type JudgeRequest } from './request.js';
import { BadReplyError, classifySdkError, exhaustedFor } from './sdk-errors.js';
import { probeEndpoint, strongestMode, type Capabilities, type StructuredMode } from './openai-probe.js';
import type { JudgeSetup, SetupContext } from './provider.js';
import { scoreProbabilities, type ScoreProbabilities } from './score-logprobs.js';

/** A refusal (400, 422, 500…) means the feature is not honoured; a missing key, model or rate limit teaches nothing. */
function probe(client: OpenAI, judge: JudgeConfig, signal?: AbortSignal): Promise<Capabilities> {
  return probeEndpoint(client, judge.model, { ...(signal ? { signal } : {}), isRefusal: (error) => error instanceof OpenAI.APIError && error.status !== undefined && ![401, 403, 404, 429].includes(error.status) });
}

/** The endpoint's capabilities: remembered from an earlier probe of this base_url and model, or probed now. */
async function capabilitiesOf(client: OpenAI, judge: JudgeConfig, context: SetupContext): Promise<{ capabilities: Capabilities; when: 'now' | 'remembered' } | { failed: string }> {
  const key = `${judge.base_url ?? 'https://api.openai.com/v1'} ${judge.model}`;
  const remembered = context.endpoints?.get(key);
  if (remembered && !context.fresh) return { capabilities: remembered, when: 'remembered' };
  try {
    const capabilities = await probe(client, judge, context.signal);
    context.endpoints?.set(key, capabilities);
    return { capabilities, when: 'now' };
  } catch (error) {
    // Down or refusing the key: nothing was learned. The judge is asked as json_schema, and the engine deals with
    // it like any judge that is down (judge_down), reporting it once.
    return { failed: classifySdkError(error, OpenAI).message };
  }
}

const VERDICT_TOOL = 'record_verdict';

/** The scale points' probabilities at the score token of a reply asked with logprobs (score-logprobs.ts reads them). */
function readScoreProbabilities(completion: OpenAI.ChatCompletion, request: JudgeRequest, viaTool: boolean): ScoreProbabilities {
  if (request.criteria) return { problem: 'a combined request (mode: combined) holds several scores; logprob scores are read one criterion a call' };
  // OpenAI gives logprobs for message content only: a verdict written as a tool call's arguments has none.
  if (viaTool) return { problem: 'the verdict came as a tool call, whose arguments carry no logprobs' };
  const content = completion.choices?.[0]?.logprobs?.content;
  if (!content) return { problem: 'the endpoint returned no logprobs' };
  return scoreProbabilities(content.map((t) => ({ token: t.token, logprob: t.logprob, top: (t.top_logprobs ?? []).map((a) => ({ token: a.token, logprob: a.logprob })) })), request.scale);
}

/** The chat-completions body for one verdict; the same for a live call and a line of a batch. */
function chatBodyFor(judge: JudgeConfig, request: JudgeRequest, mode: StructuredMode): OpenAI.ChatCompletionCreateParamsNonStreaming {
  const responseFormat =
    mode === 'json_schema'
      ? { type: 'json_schema' as const, json_schema: { name: 'verdict', strict: true, schema: request.schema } }
      : mode === 'json_object'
        ? { type: 'json_object' as const }
        : undefined;
  // A server that enforces a forced tool call's arguments but not json_schema (the probe found it) gets the verdict as one.
  const tools = mode === 'tools'
    ? { tools: [{ type: 'function' as const, function: { name: VERDICT_TOOL, description: 'Record your verdict.', parameters: request.schema } }], tool_choice: { type: 'function' as const, function: { name: VERDICT_TOOL } } }
    : {};
  return {
    model: judge.model,
    messages: [
      { role: 'system', content: request.system },
      { role: 'user', content: userText(request) },
    ],
    ...(judge.temperature !== undefined ? { temperature: judge.temperature } : {}),
    max_tokens: judge.max_tokens,
    ...(judge.seed !== undefined ? { seed: judge.seed } : {}),
    ...(responseFormat ? { response_format: responseFormat } : {}),
    ...tools,
    // OpenAI returns at most 20 alternatives a token: enough for any scale of up to 20 points.
    ...(judge.score_mode === 'logprob' ? { logprobs: true, top_logprobs: 20 } : {}),
    ...(judge.options as Partial<OpenAI.ChatCompletionCreateParamsNonStreaming>),
    stream: false,
  };
}

function toReply(completion: OpenAI.ChatCompletion, request?: JudgeRequest): ProviderReply {
  if (!completion || typeof completion !== 'object' || !Array.isArray(completion.choices)) throw new BadReplyError('a chat completion', completion);
  const message = completion.choices[0]?.message;
  const usage = completion.usage;
  const call = message?.tool_calls?.find((c) => c.type === 'function' && c.function.name === VERDICT_TOOL);
  const probabilities = request ? { scoreProbabilities: readScoreProbabilities(completion, request, call !== undefined) } : {};
  return {
    ...probabilities,
    text: call?.type === 'function' ? call.function.arguments : message?.content ?? message?.refusal ?? '',
    usage: {
      inputTokens: usage?.prompt_tokens ?? 0,
      outputTokens: usage?.completion_tokens ?? 0,
      cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    },
  };
}

/**
 * OpenAI chat completions, and so any OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio) through
 * `base_url`. Strict json_schema output by default; json_object or plain text for servers without it.
 * Batches go through the Batch API: a JSONL file of chat-completion requests, uploaded, then polled.
 */
export const openai: ProviderFactory = (judge, { apiKey, sendGate }) => {
  const client = new OpenAI(sdkClientOptions(judge, apiKey, sendGate));
  // `auto` is settled by the probe in prepare(); used without it (the library, a test), it asks for json_schema.
  let mode: StructuredMode = judge.structured_output === 'auto' ? 'json_schema' : judge.structured_output;
  const chatBody = (j: JudgeConfig, request: JudgeRequest) => chatBodyFor(j, request, mode);
  return {
    simulated: false,
    gated: sendGate !== undefined,
    async prepare(context): Promise<JudgeSetup> {
      if (judge.structured_output !== 'auto') return {};
      const found = await capabilitiesOf(client, judge, context);
      if ('failed' in found) return { structured_output: mode, probed: 'failed', probe_error: found.failed };
      mode = strongestMode(found.capabilities, { needsContent: judge.score_mode === 'logprob' });
      return { structured_output: mode, probed: found.when, capabilities: { ...found.capabilities } };
    },
    probe: (signal) => probe(client, judge, signal),
    async judge(request, signal) {
      const { data: completion, response } = await client.chat.completions.create(chatBody(judge, request), { signal }).withResponse();
      const exhausted = exhaustedFor(response.headers);
      return { ...toReply(completion, judge.score_mode === 'logprob' ? request : undefined), ...(exhausted ? { exhaustedForMs: exhausted } : {}) };
    },
    classify: (error) => classifySdkError(error, OpenAI),
    batch: {
      async submit(requests) {
        const lines = requests.map(({ id, request }) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body: chatBody(judge, request) }));
        const file = await client.files.create({ file: await toFile(Buffer.from(`${lines.join('\n')}\n`), 'jury-batch.jsonl'), purpose: 'batch' });
        const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
        return batch.id;
      },
      async status(id) {
        const batch = await client.batches.retrieve(id);
        const counts = batch.request_counts;
        const ended = ['completed', 'failed', 'expired', 'cancelled'].includes(batch.status);
        return { done: ended, completed: (counts?.completed ?? 0) + (counts?.failed ?? 0), total: counts?.total ?? 0, ...(batch.status === 'completed' ? {} : ended ? { problem: `batch ${batch.status}` } : {}) };
      },
      async results(id) {
        const batch = await client.batches.retrieve(id);
        const out = new Map<string, BatchResult>();
        for (const fileId of [batch.output_file_id, batch.error_file_id]) {
          if (!fileId) continue;
          const text = await (await client.files.content(fileId)).text();
          for (const line of text.split('\n')) {
            if (!line.trim()) continue;
            const row = JSON.parse(line) as { custom_id: string; response?: { status_code: number; body: OpenAI.ChatCompletion }; error?: { message?: string } };
            if (row.response && row.response.status_code === 200) out.set(row.custom_id, { ok: true, reply: toReply(row.response.body) });
            else out.set(row.custom_id, { ok: false, message: row.error?.message ?? `status ${row.response?.status_code ?? 'unknown'}` });
          }
        }
        return out;
      },
    },
  };
};
