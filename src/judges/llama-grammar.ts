/**
 * The verdict schema as a generation grammar for an embedded llama.cpp judge. The JSON schema jury sends to APIs
 * is tightened where a free-running local model would otherwise go wrong: cited turns are limited to turns that
 * exist, the reasoning to a length that fits in max_tokens (so the object always closes), and an enumerated
 * integer is written as node-llama-cpp's enum form. Pure: tested on its own.
 */
export interface GrammarLimits {
  /** Highest turn a verdict may cite. */
  maxTurn: number;
  /** Longest reasoning, in characters. */
  reasoningMaxChars: number;
}

/** Above this many turns, cited turns are any integer (the verdict parser still drops the ones out of range). */
const MAX_ENUMERATED_TURNS = 512;

export function grammarSchema(schema: unknown, limits: GrammarLimits): unknown {
  return convert(schema, limits, undefined);
}

function convert(node: unknown, limits: GrammarLimits, key: string | undefined): unknown {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
  const schema = node as Record<string, unknown>;
  if (Array.isArray(schema.enum)) return { enum: schema.enum };
  if (schema.type === 'string' && key === 'reasoning') return { type: 'string', maxLength: limits.reasoningMaxChars };
  if (schema.type === 'array' && key === 'cited_turns') {
    const turns = Array.from({ length: Math.max(0, limits.maxTurn) }, (_, i) => i + 1);
    const items = turns.length > 0 && turns.length <= MAX_ENUMERATED_TURNS ? { enum: turns } : { type: 'integer' };
    return { type: 'array', items, maxItems: Math.min(Math.max(1, limits.maxTurn), 20) };
  }
  if (schema.type === 'object' && schema.properties && typeof schema.properties === 'object') {
    const properties = Object.fromEntries(Object.entries(schema.properties as Record<string, unknown>).map(([name, sub]) => [name, convert(sub, limits, name)]));
    return { type: 'object', properties, ...(Array.isArray(schema.required) ? { required: schema.required } : {}), additionalProperties: false };
  }
  return schema;
}
