/**
 * The vendor family of a model name, for self-preference: a judge may favour conversations produced by a model
 * of its own family. Matched on the name's words, case-insensitively; null for a name no rule knows (a local
 * fine-tune, the mock), which then takes no part in the comparison rather than a guessed one.
 */
const FAMILIES: readonly [family: string, pattern: RegExp][] = [
  ['openai', /(^|[^a-z])(gpt|chatgpt|o[1-9](-mini|-pro)?|davinci|text-embedding)([^a-z]|$)/i],
  ['anthropic', /claude/i],
  ['google', /gemini|gemma|palm|bard/i],
  ['meta', /llama/i],
  ['mistral', /mistral|mixtral|codestral|ministral|magistral/i],
  ['qwen', /qwen|qwq/i],
  ['deepseek', /deepseek/i],
  ['cohere', /command-r|cohere|aya/i],
  ['microsoft', /(^|[^a-z])phi-?\d/i],
  ['xai', /grok/i],
];

export function modelFamily(model: string): string | null {
  // A provider prefix (`openai/gpt-4o`, `anthropic.claude-3`) or a path (`~/models/llama-3-8b.gguf`) names the same model.
  const name = model.split('/').pop()!;
  for (const [family, pattern] of FAMILIES) if (pattern.test(name)) return family;
  return null;
}
