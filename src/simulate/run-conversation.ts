import { decideRetry, type RetryPolicy } from '../engine/retry.js';
import type { Track } from './catalogue.js';
import type { SimConversation } from './conversation.js';
import type { SimRecord } from './journal.js';
import { ListenerError, type Listener } from './listener.js';
import { listenerView } from './listener-view.js';
import { openingLine } from './scenario.js';
import { AgentError, type Agent, type AgentTurn } from './agents/contract.js';
import { withDeadline } from './deadline.js';

export interface TurnContext {
  agent: Agent;
  listener: Listener;
  catalogue: readonly Track[];
  /** Listener messages a conversation may take. */
  maxTurns: number;
  retries: RetryPolicy;
  /** Journals a record (and applies it to the conversation): called the moment a turn is paid for. */
  record(conversation: SimConversation, record: SimRecord): void;
  /** False once the budget (`--max-cost`) is spent: no new paid turn starts. */
  mayPay(): boolean;
  listenerCost(usage: { inputTokens: number; outputTokens: number }): number;
  agentCost(turn: AgentTurn): number | undefined;
  signal: AbortSignal;
}

/** Applies one journal record to its conversation: how a run is replayed on resume, and how a live turn lands. */
export function applyRecord(conversation: SimConversation, record: SimRecord): void {
  if (record.kind === 'listener') {
    conversation.listener.push({ at: conversation.messages.length, ...record.turn });
    conversation.messages.push(record.message);
    if (record.turn.signal === 'accepted') conversation.outcome = 'accepted';
    if (record.turn.signal === 'gave_up') conversation.outcome = 'gave_up';
  } else if (record.kind === 'agent') conversation.messages.push(...record.messages);
  else {
    conversation.outcome = record.outcome;
    if (record.error) conversation.error = record.error;
  }
}

/**
 * Plays one conversation to its end from wherever it stands: the listener opens, the agent answers, the listener
 * replies, until the listener accepts or gives up, the turn limit comes, or the agent fails. Returns 'paused' when
 * the budget stops it (a later run resumes it). A listener that cannot answer throws ListenerError.
 */
export async function runConversation(conversation: SimConversation, context: TurnContext): Promise<'done' | 'paused'> {
  while (!conversation.outcome) {
    const last = conversation.messages.at(-1);
    // The scenario's opening line as written; without one, the mock writes it from the goal and a model in persona.
    if (!last && (conversation.scenario.opening !== undefined || context.listener.simulated)) {
      context.record(conversation, { c: conversation.id, kind: 'listener', message: { role: 'user', content: openingLine(conversation.scenario) }, turn: { signal: 'continue', revealed: [] } });
      continue;
    }
    if (!context.mayPay()) return 'paused';
    if (last?.role === 'user') {
      await agentTurn(conversation, context);
      continue;
    }
    const sent = conversation.messages.filter((m) => m.role === 'user').length;
    if (sent >= context.maxTurns) {
      context.record(conversation, { c: conversation.id, kind: 'end', outcome: 'out_of_turns' });
      continue;
    }
    // An opening is never an acceptance or a goodbye, whatever the model says.
    const opening = !last;
    // Each call gets a signal of its own (the SDKs leave a listener on the signal they are given).
    const { reply, usage, cached } = await withDeadline(context.signal, undefined, (signal) => context.listener.reply(listenerView(conversation, context.catalogue), signal));
    const cost = cached ? 0 : context.listenerCost(usage);
    context.record(conversation, {
      c: conversation.id, kind: 'listener', message: { role: 'user', content: reply.message },
      turn: opening ? { signal: 'continue', revealed: reply.revealed } : { signal: reply.signal, revealed: reply.revealed, ...(reply.accepted ? { accepted: reply.accepted } : {}) },
      ...(cached ? { cached: true } : { usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens }, cost_usd: cost }),
    });
  }
  return 'done';
}

async function agentTurn(conversation: SimConversation, context: TurnContext): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const turn = await withDeadline(context.signal, undefined, (signal) => context.agent.respond({ version: 1, conversation_id: conversation.id, messages: conversation.messages }, signal));
      const cost = context.agentCost(turn);
      context.record(conversation, { c: conversation.id, kind: 'agent', messages: turn.messages, ...(turn.usage ? { usage: turn.usage } : {}), ...(cost === undefined ? {} : { cost_usd: cost }) });
      return;
    } catch (error) {
      if (context.signal.aborted || error instanceof ListenerError || !(error instanceof AgentError)) throw error;
      const decision = error.transient ? decideRetry({ cause: 'transient' }, attempt, context.retries, Math.random()) : { retry: false as const };
      if (!decision.retry) {
        context.record(conversation, { c: conversation.id, kind: 'end', outcome: 'agent_error', error: error.message });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    }
  }
}
