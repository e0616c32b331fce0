import OpenAI from 'openai';
import { contentText, type Message } from '../../transcript/transcript.js';
import { AgentError, type Agent } from './contract.js';
import type { ToolBox } from './tools.js';

export interface OpenAiAgentOptions {
  baseUrl?: string;
  apiKey?: string;
  model: string;
  systemPrompt: string;
  temperature?: number;
  seed?: number;
  maxTokens: number;
  timeoutMs: number;
  /** Model calls a turn may take (each tool round is one); past it the turn fails. */
  maxToolRounds: number;
}

/**
 * The agent as an OpenAI-compatible chat model with tools: jury plays the agent's runtime, sending the system
 * prompt and the conversation, running each tool call against the tool box and sending the results back, until the
 * model answers in text. The calls and results go into the transcript as they happened.
 */
export function openAiAgent(options: OpenAiAgentOptions, tools: ToolBox): Agent {
  const client = new OpenAI({ apiKey: options.apiKey ?? 'no-key', baseURL: options.baseUrl, maxRetries: 2, timeout: options.timeoutMs, logLevel: 'off' });
  return {
    async respond(request, signal) {
      const added: Message[] = [];
      const usage = { input_tokens: 0, output_tokens: 0 };
      const definitions = (await tools.definitions()) as OpenAI.ChatCompletionTool[];
      for (let round = 0; round < options.maxToolRounds; round++) {
        let completion: OpenAI.ChatCompletion;
        try {
          completion = await client.chat.completions.create({
            model: options.model,
            messages: [{ role: 'system', content: options.systemPrompt }, ...(request.messages as OpenAI.ChatCompletionMessageParam[]), ...(added as OpenAI.ChatCompletionMessageParam[])],
            ...(definitions.length ? { tools: definitions } : {}),
            max_tokens: options.maxTokens,
            ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
            ...(options.seed === undefined ? {} : { seed: options.seed }),
          }, { signal });
        } catch (error) {
          if (signal.aborted) throw error;
          const status = (error as { status?: number }).status;
          throw new AgentError(`the agent model ${options.model} failed: ${(error as Error).message}`, status === undefined || status === 429 || status >= 500);
        }
        usage.input_tokens += completion.usage?.prompt_tokens ?? 0;
        usage.output_tokens += completion.usage?.completion_tokens ?? 0;
        const message = completion.choices?.[0]?.message;
        if (!message) throw new AgentError(`the agent model ${options.model} answered without a message`);
        const calls = (message.tool_calls ?? []).filter((c): c is OpenAI.ChatCompletionMessageFunctionToolCall => c.type === 'function');
        if (calls.length === 0) {
          if (contentText(message.content).trim() === '') throw new AgentError(`the agent model ${options.model} answered with neither text nor a tool call`);
          added.push({ role: 'assistant', content: message.content ?? '' });
          return { messages: added, usage };
        }
        added.push({ role: 'assistant', content: message.content || null, tool_calls: calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.function.name, arguments: c.function.arguments } })) });
        for (const call of calls) {
          const result = await tools.call(call.function.name, call.function.arguments, signal);
          added.push({ role: 'tool', tool_call_id: call.id, content: result.content, ...(result.is_error ? { is_error: true } : {}) });
        }
      }
      throw new AgentError(`the agent model ${options.model} was still calling tools after ${options.maxToolRounds} rounds`);
    },
  };
}
