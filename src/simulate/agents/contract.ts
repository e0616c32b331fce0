import { z } from 'zod';
import { contentText, Message, type Message as MessageType } from '../../transcript/transcript.js';

/**
 * The agent contract shared by the HTTP and command adapters (docs/simulation.md): jury sends the conversation so
 * far, the agent answers with the messages of its next turn (tool calls and results it made, then its reply).
 */
export const AGENT_CONTRACT_VERSION = 1;

export interface AgentRequest {
  version: typeof AGENT_CONTRACT_VERSION;
  conversation_id: string;
  /** Every message so far, in jury's transcript format (OpenAI chat): user, assistant and tool messages. */
  messages: MessageType[];
}

const AgentReplySchema = z.strictObject({
  messages: z.array(Message).min(1),
  usage: z.strictObject({ input_tokens: z.number().int().min(0), output_tokens: z.number().int().min(0) }).optional(),
  cost_usd: z.number().min(0).optional(),
});

/** One agent turn: the messages it added, and what it spent when it says. */
export interface AgentTurn {
  messages: MessageType[];
  usage?: { input_tokens: number; output_tokens: number };
  cost_usd?: number;
}

export interface Agent {
  respond(request: AgentRequest, signal: AbortSignal): Promise<AgentTurn>;
  close?(): Promise<void>;
}

/** The agent did not answer as the contract says, or could not be reached: the conversation ends as agent_error. */
export class AgentError extends Error {
  override name = 'AgentError';
  constructor(message: string, readonly transient = false) {
    super(message);
  }
}

/**
 * Reads an agent's reply against the contract: only assistant and tool messages, every tool result answering a
 * call made in this turn, and an assistant message with text last (what the listener reads).
 */
export function readAgentReply(value: unknown, source: string): AgentTurn {
  const parsed = AgentReplySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AgentError(`${source} answered outside the agent contract: ${issue.path.length ? `at ${issue.path.join('.')}: ` : ''}${issue.message} (expected {"messages": [assistant and tool messages, the last an assistant message with text]})`);
  }
  const { messages } = parsed.data;
  const calls = new Set<string>();
  messages.forEach((m, i) => {
    if (m.role !== 'assistant' && m.role !== 'tool') throw new AgentError(`${source} answered outside the agent contract: messages.${i} has role ${m.role}; an agent's turn holds assistant and tool messages only`);
    if (m.role === 'assistant') for (const call of m.tool_calls ?? []) calls.add(call.id);
    if (m.role === 'tool' && !calls.has(m.tool_call_id)) throw new AgentError(`${source} answered outside the agent contract: messages.${i} is the result of tool call ${JSON.stringify(m.tool_call_id)}, which no assistant message of this turn made`);
  });
  const last = messages.at(-1)!;
  if (last.role !== 'assistant' || contentText(last.content).trim() === '') throw new AgentError(`${source} answered outside the agent contract: the last message must be an assistant message with text (what the listener reads)`);
  return parsed.data;
}
