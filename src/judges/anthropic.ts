import Anthropic from '@anthropic-ai/sdk';
import { sdkClientOptions, type ProviderFactory } from './provider.js';
import { classifySdkError, exhaustedFor } from './sdk-errors.js';

const TOOL_NAME = 'record_verdict';

/**
 * Anthropic messages with forced tool use: the verdict arrives as the tool call's input, checked against
 * the schema by the API. The transcript block is marked for prompt caching, as the criteria of one
 * item share it.
 */
export const anthropic: ProviderFactory = (judge, { apiKey }) => {
  const client = new Anthropic(sdkClientOptions(judge, apiKey));
  return {
    simulated: false,
    async judge(request, signal) {
      const body: Anthropic.MessageCreateParamsNonStreaming = {
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
      const { data: message, response } = await client.messages.create(body, { signal }).withResponse();
      const exhausted = exhaustedFor(response.headers);
      const toolUse = message.content.find((block) => block.type === 'tool_use');
      const text = toolUse
        ? JSON.stringify(toolUse.input)
        : message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
      return {
        text,
        usage: {
          inputTokens: (message.usage.input_tokens ?? 0) + (message.usage.cache_read_input_tokens ?? 0) + (message.usage.cache_creation_input_tokens ?? 0),
          outputTokens: message.usage.output_tokens ?? 0,
          cachedInputTokens: message.usage.cache_read_input_tokens ?? 0,
        },
        ...(exhausted ? { exhaustedForMs: exhausted } : {}),
      };
    },
    classify: (error) => classifySdkError(error, Anthropic),
  };
};
