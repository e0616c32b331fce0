import Anthropic from '@anthropic-ai/sdk';
import type { JudgeConfig } from '../config/config.js';
import { sdkClientOptions, type BatchResult, type ProviderFactory, type ProviderReply } from './provider.js';
import type { JudgeRequest } from './request.js';
import { BadReplyError, classifySdkError, exhaustedFor } from './sdk-errors.js';

const TOOL_NAME = 'record_verdict';

/** The messages body for one verdict; the same for a live call and a request of a batch. */
function messagesBody(judge: JudgeConfig, request: JudgeRequest): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: judge.model,
    max_tokens: judge.max_tokens,
    system: request.system,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: request.transcript, cache_control: { type: 'ephemeral' } },
          { type: 'text', text: request.criterion },
        ],
      },
    ],
    tools: [
      {
        name: TOOL_NAME,
        description: 'Record your verdict on the criterion: reasoning first, then the score and the cited turns.',
        input_schema: request.schema as Anthropic.Tool.InputSchema,
      },
    ],
    tool_choice: { type: 'tool', name: TOOL_NAME },
    // `temperature` is deprecated in this SDK's types but still accepted by older models; sent only when set.
    ...(judge.temperature !== undefined ? { temperature: judge.temperature } : {}),
    ...(judge.options as Partial<Anthropic.MessageCreateParamsNonStreaming>),
    stream: false,
  };
}

function toReply(message: Anthropic.Message): ProviderReply {
  if (!message || typeof message !== 'object' || !Array.isArray(message.content) || typeof message.usage !== 'object') throw new BadReplyError('a message', message);
  const toolUse = message.content.find((block) => block.type === 'tool_use');
  const text = toolUse ? JSON.stringify(toolUse.input) : message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  return {
    text,
    usage: {
      inputTokens: (message.usage.input_tokens ?? 0) + (message.usage.cache_read_input_tokens ?? 0) + (message.usage.cache_creation_input_tokens ?? 0),
      outputTokens: message.usage.output_tokens ?? 0,
      cachedInputTokens: message.usage.cache_read_input_tokens ?? 0,
    },
  };
}

/**
 * Anthropic messages with forced tool use: the verdict arrives as the tool call's input, checked against
 * the schema by the API. The transcript block is marked for prompt caching, as the criteria of one
 * item share it. Batches go through Message Batches.
 */
export const anthropic: ProviderFactory = (judge, { apiKey, sendGate }) => {
  const client = new Anthropic(sdkClientOptions(judge, apiKey, sendGate));
  return {
    simulated: false,
    gated: sendGate !== undefined,
    async judge(request, signal) {
      const { data: message, response } = await client.messages.create(messagesBody(judge, request), { signal }).withResponse();
      const exhausted = exhaustedFor(response.headers);
      return { ...toReply(message), ...(exhausted ? { exhaustedForMs: exhausted } : {}) };
    },
    classify: (error) => classifySdkError(error, Anthropic),
    batch: {
      async submit(requests) {
        const batch = await client.messages.batches.create({
          requests: requests.map(({ id, request }) => {
            const { stream: _stream, ...params } = messagesBody(judge, request);
            return { custom_id: id, params };
          }),
        });
        return batch.id;
      },
      async status(id) {
        const batch = await client.messages.batches.retrieve(id);
        const c = batch.request_counts;
        const total = c.processing + c.succeeded + c.errored + c.canceled + c.expired;
        return { done: batch.processing_status === 'ended', completed: total - c.processing, total };
      },
      async results(id) {
        const out = new Map<string, BatchResult>();
        for await (const row of await client.messages.batches.results(id)) {
          if (row.result.type === 'succeeded') out.set(row.custom_id, { ok: true, reply: toReply(row.result.message) });
          else out.set(row.custom_id, { ok: false, message: row.result.type === 'errored' ? `errored: ${JSON.stringify(row.result.error).slice(0, 300)}` : row.result.type });
        }
        return out;
      },
    },
  };
};
