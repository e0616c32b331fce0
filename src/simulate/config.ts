import { z } from 'zod';
import { JudgeSchema, LABEL_PATTERN, RetriesSchema } from '../config/config.js';

const Seconds = z.number().positive().max(3600);
const KeyEnv = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name').nullable().optional();

/** How jury reaches the agent under test. */
export const AgentSchema = z.discriminatedUnion('adapter', [
  z.strictObject({
    /** An OpenAI-compatible chat model with tools; jury runs the tool calls. */
    adapter: z.literal('openai'),
    base_url: z.url().optional(),
    model: z.string().min(1),
    /** The variable holding the agent endpoint's key; `null` for none. Default OPENAI_API_KEY. */
    api_key_env: KeyEnv,
    system_prompt: z.string().min(1),
    /** `mock-catalogue` (search over `catalogue`), `none`, or a tool server: `{url}` (GET lists, POST <url>/<name> runs). */
    tools: z.union([z.literal('mock-catalogue'), z.literal('none'), z.strictObject({ url: z.url() })]).default('mock-catalogue'),
    max_tool_rounds: z.number().int().min(1).max(20).default(5),
    temperature: z.number().min(0).max(2).optional(),
    seed: z.number().int().optional(),
    max_tokens: z.number().int().positive().default(1024),
    timeout_s: Seconds.default(60),
    /** US dollars per million tokens, for the agent's share of the cost. */
    price: z.strictObject({ input: z.number().min(0), output: z.number().min(0) }).optional(),
  }),
  z.strictObject({
    /** Any endpoint that takes the conversation and answers the next turn (the agent contract, docs/simulation.md). */
    adapter: z.literal('http'),
    url: z.url(),
    /** A variable whose value is sent as a bearer token. */
    api_key_env: KeyEnv,
    timeout_s: Seconds.default(60),
  }),
  z.strictObject({
    /** A local command run once per turn: the request on stdin, the reply on stdout (the same contract). */
    adapter: z.literal('command'),
    command: z.array(z.string().min(1)).min(1),
    timeout_s: Seconds.default(60),
  }),
]);
export type AgentConfig = z.infer<typeof AgentSchema>;

export const SimulationSchema = z.strictObject({
  version: z.literal(1).default(1),
  /** The agent version simulated: names the output folder and the transcripts' metadata (default: the file's name). */
  label: z.string().regex(LABEL_PATTERN, 'expected a label usable as a folder name').optional(),
  /** The scenario file (YAML), relative to this file. */
  scenarios: z.string().min(1),
  /** A JSONL file of tracks: the mock catalogue's contents, and what recommendations are checked against. */
  catalogue: z.string().min(1).optional(),
  /** The simulated listener: a model through the judges' providers, or `provider: mock`. */
  listener: z.preprocess((v) => (v && typeof v === 'object' && !Array.isArray(v) && !('id' in v) ? { id: 'listener', ...v } : v), JudgeSchema),
  agent: AgentSchema,
  /** Conversations per scenario, each with its own seed: the run-to-run variance of the agent. */
  repeat: z.number().int().min(1).max(100).default(1),
  /** Listener messages a conversation may take before it ends as out_of_turns (patience usually ends it first). */
  max_turns: z.number().int().min(1).max(40).default(12),
  /** Conversations in flight at once. */
  concurrency: z.number().int().min(1).max(256).default(4),
  seed: z.number().int().min(0).default(0),
  /** Where `<label>/` is written: transcripts.jsonl, journal.jsonl, metrics.json, summary.json. */
  output: z.string().min(1).default('simulations'),
  cache: z.string().min(1).default('.jury/cache'),
  retries: RetriesSchema,
});
export type SimulationConfig = z.infer<typeof SimulationSchema> & { file: string; dir: string; label: string };
