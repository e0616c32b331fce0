import type { Track } from './catalogue.js';
import { meets } from './catalogue.js';
import type { Outcome, SimConversation } from './conversation.js';
import { recommendingTurns } from './recommendations.js';
import { knowsTrack } from './scenario.js';

/**
 * What one simulated conversation measured: computed from its messages, the scenario and the listener's
 * recorded signals, never judged. Definitions in docs/simulation.md.
 */
export interface ConversationMetrics {
  outcome: Outcome;
  /** The listener accepted a track that meets every constraint (as the tool results show it) and did not know. */
  success: 0 | 1;
  /** The listener gave up, or the run's turn limit ended the conversation first. */
  abandoned: 0 | 1;
  /** Assistant turns read up to the one whose recommendation was accepted (successes only). */
  turns_to_success?: number;
  listener_turns: number;
  /** Assistant turns that ask and recommend nothing, with whether each changed what came next. */
  questions: { at: number; changed: boolean }[];
  /** Assistant turns that recommend, with whether each kept every constraint the listener had stated by then. */
  recommending: { at: number; kept: boolean }[];
  recommendations: number;
  /** Recommended tracks that break a constraint the listener had already stated or revealed. */
  violations: number;
  /** Recommendations of a track already recommended in this conversation. */
  repeated: number;
  /** Recommended tracks the listener already knew. */
  known: number;
  /** Catalogue tracks named that no tool result had returned. */
  ungrounded: number;
  /** Distinct tracks and artists recommended (for coverage over a set). */
  tracks: string[];
  artists: string[];
}

export function conversationMetrics(conversation: SimConversation, catalogue: readonly Track[] = []): ConversationMetrics {
  const { scenario, messages, listener } = conversation;
  const turns = recommendingTurns(messages, catalogue);
  const revealedBy = (at: number) => new Set([...scenario.constraints.filter((c) => !c.hidden).map((c) => c.id), ...listener.filter((l) => l.at < at).flatMap((l) => l.revealed)]);
  const previously = new Set<string>();
  let violations = 0;
  let repeated = 0;
  let known = 0;
  let recommendations = 0;
  const recommending: ConversationMetrics['recommending'] = [];
  for (const turn of turns) {
    if (turn.tracks.length === 0) continue;
    const stated = revealedBy(turn.at);
    let kept = true;
    for (const track of turn.tracks) {
      recommendations++;
      if (scenario.constraints.some((c) => stated.has(c.id) && meets(track, c) === false)) {
        violations++;
        kept = false;
      }
      if (previously.has(track.id)) repeated++;
      if (knowsTrack(scenario, track)) known++;
    }
    for (const track of turn.tracks) previously.add(track.id);
    recommending.push({ at: turn.at, kept });
  }
  const questions = turns.filter((t) => t.question).map((q) => ({ at: q.at, changed: questionChanged(q.at, turns, listener) }));
  const accepting = listener.find((l) => l.signal === 'accepted');
  const outcome: Outcome = conversation.outcome ?? (accepting ? 'accepted' : 'out_of_turns');
  const success = accepting && outcome === 'accepted' && acceptedFits(accepting.accepted, accepting.at, turns, conversation) ? 1 : 0;
  const tracks = new Map<string, Track>();
  for (const turn of turns) for (const t of turn.tracks) tracks.set(t.id, t);
  return {
    outcome,
    success,
    abandoned: outcome === 'gave_up' || outcome === 'out_of_turns' ? 1 : 0,
    ...(success ? { turns_to_success: turns.filter((t) => t.at < accepting!.at).length } : {}),
    listener_turns: messages.filter((m) => m.role === 'user').length,
    questions,
    recommending,
    recommendations,
    violations,
    repeated,
    known,
    ungrounded: turns.reduce((n, t) => n + t.ungrounded.length, 0),
    tracks: [...tracks.keys()].sort(),
    artists: [...new Set([...tracks.values()].map((t) => t.artist))].sort(),
  };
}

/**
 * A question changed what was recommended next when the listener's answer told the assistant something (revealed
 * a constraint) and the next recommendation differs from the last one before the question. A question answered
 * with nothing new, or followed by the same tracks, cost the listener a turn.
 */
function questionChanged(at: number, turns: ReturnType<typeof recommendingTurns>, listener: SimConversation['listener']): boolean {
  const answer = listener.find((l) => l.at > at);
  if (!answer || answer.revealed.length === 0) return false;
  const before = [...turns].reverse().find((t) => t.at < at && t.tracks.length > 0);
  const after = turns.find((t) => t.at > answer.at && t.tracks.length > 0);
  if (!after) return false;
  const earlier = new Set(before?.tracks.map((t) => t.id) ?? []);
  return after.tracks.some((t) => !earlier.has(t.id));
}

/** The accepted track was recommended before the acceptance, meets every constraint and was new to the listener. */
function acceptedFits(accepted: string | undefined, at: number, turns: ReturnType<typeof recommendingTurns>, conversation: SimConversation): boolean {
  if (!accepted) return false;
  const wanted = accepted.toLowerCase();
  const track = turns.filter((t) => t.at < at).flatMap((t) => t.tracks).find((t) => t.id.toLowerCase() === wanted || t.title.toLowerCase() === wanted);
  if (!track) return false;
  const { scenario } = conversation;
  return scenario.constraints.every((c) => meets(track, c) !== false) && !knowsTrack(scenario, track);
}
