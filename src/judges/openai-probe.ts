import type OpenAI from 'openai';

/** What an OpenAI-compatible endpoint really honours, found by asking it (not by what it says it supports). */
export interface Capabilities {
  /** `response_format: json_schema`, strictly: the reply follows a schema a free answer would not. */
  json_schema: boolean;
  /** `tools` with a forced `tool_choice`: the call comes back, with arguments that follow the schema. */
  tools: boolean;
  /** `response_format: json_object`: the reply is a bare JSON object. */
  json_object: boolean;
  /** `logprobs` with `top_logprobs`: alternatives come back for the generated tokens. */
  logprobs: boolean;
}

export type StructuredMode = 'json_schema' | 'tools' | 'json_object' | 'none';

/** Strongest first: a schema the server enforces, then a forced tool call, then JSON mode, then text. */
export function strongestMode(capabilities: Capabilities, options: { needsContent?: boolean } = {}): StructuredMode {
  if (capabilities.json_schema) return 'json_schema';
  // A logprob-weighted judge needs its verdict in the message content: tool-call arguments carry no logprobs.
  if (capabilities.tools && !options.needsContent) return 'tools';
  if (capabilities.json_object) return 'json_object';
  return 'none';
}

// Values no model writes unprompted: a reply that has them exactly was made to follow the schema.
const MARKER = 'jury-probe-7f3a';
const NUMBER = 4217;
export const PROBE_SCHEMA = {
  type: 'object',
  properties: { marker: { type: 'string', enum: [MARKER] }, number: { type: 'integer', enum: [NUMBER] } },
  required: ['marker', 'number'],
  additionalProperties: false,
} as const;
export const PROBE_TOOL = 'record_probe';
const QUESTION = 'Say hello in one short sentence.';

export function followsProbeSchema(text: string | null | undefined): boolean {
  try {
    const value = JSON.parse(text ?? '') as unknown;
    return typeof value === 'object' && value !== null && (value as Record<string, unknown>).marker === MARKER && (value as Record<string, unknown>).number === NUMBER && Object.keys(value).length === 2;
  } catch {
    return false;
  }
}

function isBareJsonObject(text: string | null | undefined): boolean {
  try {
    const value = JSON.parse((text ?? '').trim()) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Four small requests, one per capability, sent together. A request the server refuses (400, 422, 500) means
 * "not honoured"; a connection or key problem is thrown, since then nothing was learned about the endpoint.
 */
export async function probeEndpoint(client: OpenAI, model: string, options: { signal?: AbortSignal; isRefusal: (error: unknown) => boolean }): Promise<Capabilities> {
  const base = { model, max_tokens: 64, temperature: 0, messages: [{ role: 'user' as const, content: QUESTION }] };
  const ask = async <T>(body: OpenAI.ChatCompletionCreateParamsNonStreaming, honoured: (completion: OpenAI.ChatCompletion) => T): Promise<T | false> => {
    try {
      return honoured(await client.chat.completions.create({ ...body, stream: false }, { signal: options.signal }));
    } catch (error) {
      if (options.isRefusal(error)) return false;
      throw error;
    }
  };
  const [json_schema, tools, json_object, logprobs] = await Promise.all([
    ask({ ...base, response_format: { type: 'json_schema', json_schema: { name: 'probe', strict: true, schema: PROBE_SCHEMA as unknown as Record<string, unknown> } } }, (c) => followsProbeSchema(c.choices?.[0]?.message?.content)),
    ask(
      { ...base, tools: [{ type: 'function', function: { name: PROBE_TOOL, description: 'Record the probe values.', parameters: PROBE_SCHEMA as unknown as Record<string, unknown> } }], tool_choice: { type: 'function', function: { name: PROBE_TOOL } } },
      (c) => {
        const call = c.choices?.[0]?.message?.tool_calls?.[0];
        return call?.type === 'function' && call.function.name === PROBE_TOOL && followsProbeSchema(call.function.arguments);
      },
    ),
    ask({ ...base, messages: [{ role: 'user', content: `${QUESTION} Answer in JSON.` }], response_format: { type: 'json_object' } }, (c) => isBareJsonObject(c.choices?.[0]?.message?.content)),
    ask({ ...base, max_tokens: 8, logprobs: true, top_logprobs: 5 }, (c) => (c.choices?.[0]?.logprobs?.content ?? []).some((t) => (t.top_logprobs?.length ?? 0) > 0)),
  ]);
  return { json_schema: json_schema === true, tools: tools === true, json_object: json_object === true, logprobs: logprobs === true };
}
