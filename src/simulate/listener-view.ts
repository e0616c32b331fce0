import { contentText } from '../transcript/transcript.js';
import type { Track } from './catalogue.js';
import type { SimConversation, Signal } from './conversation.js';
import { recommendingTurns } from './recommendations.js';
import type { Scenario } from './scenario.js';

/**
 * What the simulated listener sees: the words exchanged (never the tool calls), and for each assistant turn the
 * tracks it named as the listener would hear them (with their attributes: a person playing a track knows whether
 * it has vocals). The same view feeds the mock listener and a model's prompt.
 */
export interface ListenerView {
  scenario: Scenario;
  /** Constraint ids the listener has already told (stated in the opening, or revealed since). */
  told: string[];
  /** Listener messages sent so far. */
  sent: number;
  seed: number;
  turns: { from: 'you' | 'assistant'; text: string; heard?: Track[] }[];
}

export function listenerView(conversation: SimConversation, catalogue: readonly Track[]): ListenerView {
  const heard = new Map(recommendingTurns(conversation.messages, catalogue).map((t) => [t.at, [...t.tracks, ...t.ungrounded]]));
  const turns: ListenerView['turns'] = [];
  conversation.messages.forEach((m, at) => {
    const text = contentText(m.content);
    if (m.role === 'user') turns.push({ from: 'you', text });
    if (m.role === 'assistant' && text.trim() !== '') turns.push({ from: 'assistant', text, ...(heard.get(at)?.length ? { heard: heard.get(at) } : {}) });
  });
  const told = [...conversation.scenario.constraints.filter((c) => !c.hidden).map((c) => c.id), ...conversation.listener.flatMap((l) => l.revealed)];
  return { scenario: conversation.scenario, told: [...new Set(told)], sent: turns.filter((t) => t.from === 'you').length, seed: conversation.seed, turns };
}

/** The listener's structured answer: its next message and the signal recorded beside it. */
export interface ListenerReply {
  message: string;
  signal: Signal;
  revealed: string[];
  /** The accepted track's title, or "" when none is. */
  accepted: string;
}

export const LISTENER_SCHEMA = {
  type: 'object',
  properties: {
    message: { type: 'string' },
    signal: { type: 'string', enum: ['continue', 'accepted', 'gave_up'] },
    revealed: { type: 'array', items: { type: 'string' } },
    accepted: { type: 'string' },
  },
  required: ['message', 'signal', 'revealed', 'accepted'],
  additionalProperties: false,
} as const;
