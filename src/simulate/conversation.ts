import type { Message } from '../transcript/transcript.js';
import type { Scenario } from './scenario.js';

/** How a listener turn ends the conversation, or not. */
export const SIGNALS = ['continue', 'accepted', 'gave_up'] as const;
export type Signal = (typeof SIGNALS)[number];

/** What the simulated listener decided on one turn: recorded beside the conversation, never shown to the agent. */
export interface ListenerTurn {
  /** Index of the listener's message in `messages`. */
  at: number;
  signal: Signal;
  /** Ids of the scenario's constraints this message reveals. */
  revealed: string[];
  /** The track accepted (id, or title as the listener said it). */
  accepted?: string;
}

/** How a conversation ended. `out_of_turns`: the run's turn limit came first; `agent_error`: the agent failed. */
export type Outcome = 'accepted' | 'gave_up' | 'out_of_turns' | 'agent_error';

export interface SimConversation {
  /** `<scenario>.r<repeat>`: the same id for every version of the agent, so reports pair them. */
  id: string;
  scenario: Scenario;
  repeat: number;
  seed: number;
  /** What was said and done, in the transcript format (user, assistant, tool messages). */
  messages: Message[];
  listener: ListenerTurn[];
  outcome?: Outcome;
  /** Why the agent failed (`agent_error`). */
  error?: string;
}

export function conversationId(scenario: Pick<Scenario, 'id'>, repeat: number): string {
  return `${scenario.id}.r${repeat}`;
}
