import OpenAI from 'openai';
import { sdkClientOptions, type ProviderFactory } from './provider.js';
import { userText } from './request.js';
import { classifySdkError, exhaustedFor } from './sdk-errors.js';

/**
 * OpenAI chat completions, and so any OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio) through
 * `base_url`. Strict json_schema output by default; json_object or plain text for servers without it.
 */
export const openai: ProviderFactory = (judge, { apiKey }) => {
  const client = new OpenAI(sdkClientOptions(judge, apiKey));
  return {
    simulated: false,
    async judge(request, signal) {
      const responseFormat =
        judge.structured_output === 'json_schema'
          ? { type: 'json_schema' as const, json_schema: { name: 'verdict', strict: true, schema: request.schema } }
          : judge.structured_output === 'json_object'
            ? { type: 'json_object' as const }
            : undefined;
      const body: OpenAI.ChatCompletionCreateParamsNonStreaming = {
        model: judge.model,
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: userText(request) },
        ],
        ...(judge.temperature !== undefined ? { temperature: judge.temperature } : {}),
        max_tokens: judge.max_tokens,
        ...(judge.seed !== undefined ? { seed: judge.seed } : {}),
        ...(responseFormat ? { response_format: responseFormat } : {}),
        ...(judge.options as Partial<OpenAI.ChatCompletionCreateParamsNonStreaming>),
        stream: false,
      };
      const { data: completion, response } = await client.chat.completions.create(body, { signal }).withResponse();
      const exhausted = exhaustedFor(response.headers);
      const message = completion.choices[0]?.message;
      const usage = completion.usage;
      return {
        text: message?.content ?? message?.refusal ?? '',
        usage: {
          inputTokens: usage?.prompt_tokens ?? 0,
          outputTokens: usage?.completion_tokens ?? 0,
          cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
        },
        ...(exhausted ? { exhaustedForMs: exhausted } : {}),
      };
    },
    classify: (error) => classifySdkError(error, OpenAI),
  };
};
