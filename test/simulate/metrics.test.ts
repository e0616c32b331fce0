import { describe, expect, it } from 'vitest';
import type { Track } from '../../src/simulate/catalogue.js';
import type { ListenerTurn, SimConversation } from '../../src/simulate/conversation.js';
import { conversationMetrics } from '../../src/simulate/metrics.js';
import { recommendingTurns } from '../../src/simulate/recommendations.js';
import { ScenarioSchema, type Scenario } from '../../src/simulate/scenario.js';
import { summarize, summarizeGroup } from '../../src/simulate/summary.js';
import type { Message } from '../../src/transcript/transcript.js';

const track = (id: string, title: string, artist: string, instrumental: boolean, energy = 'low'): Track => ({ id, title, artist, instrumental, energy });
const SAYS = track('says', 'Says', 'Nils Frahm', true);
const HOLOCENE = track('holocene', 'Holocene', 'Bon Iver', false);
const WEIGHTLESS = track('weightless', 'Weightless', 'Marconi Union', true);
const BLUE = track('blue', 'Blue in Green', 'Miles Davis', true);

const scenario: Scenario = ScenarioSchema.parse({
  id: 'focus', kind: 'mood_activity', persona: 'student', persona_text: 'A student.', goal: 'calm music', knows: ['Says'],
  constraints: [
    { id: 'calm', field: 'energy', equals: 'low', say: 'Calm.', hidden: false },
    { id: 'no-vocals', field: 'instrumental', equals: true, say: 'No vocals.' },
  ],
});

const user = (content: string): Message => ({ role: 'user', content });
const said = (content: string): Message => ({ role: 'assistant', content });
const search = (id: string, tracks: Track[]): Message[] => [
  { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'search_catalogue', arguments: '{}' } }] },
  { role: 'tool', tool_call_id: id, content: JSON.stringify({ tracks }) },
];

function conversation(messages: Message[], listener: ListenerTurn[], outcome?: SimConversation['outcome']): SimConversation {
  return { id: 'focus.r1', scenario, repeat: 1, seed: 1, messages, listener, ...(outcome ? { outcome } : {}) };
}

// Indexes: 0 user, 1 question, 2 user (reveals no-vocals), 3-4 search, 5 recommends Says + Holocene, 6 user,
// 7 question, 8 user (reveals nothing), 9 recommends Holocene again + Weightless (+ Blue in Green, from no tool),
// 10 user accepts Weightless.
const messages: Message[] = [
  user('I want something calm.'),
  said('Do you mind vocals?'),
  user('No vocals.'),
  ...search('c1', [SAYS, HOLOCENE, WEIGHTLESS]),
  said('How about "Says" by Nils Frahm or "Holocene" by Bon Iver?'),
  user('I already know Says, and Holocene has vocals.'),
  said('Any particular genre?'),
  user('Not sure.'),
  said('Try Holocene by Bon Iver, Weightless by Marconi Union, or "Blue in Green" by Miles Davis.'),
  user('Weightless it is.'),
];
const listener: ListenerTurn[] = [
  { at: 0, signal: 'continue', revealed: [] },
  { at: 2, signal: 'continue', revealed: ['no-vocals'] },
  { at: 6, signal: 'continue', revealed: [] },
  { at: 8, signal: 'continue', revealed: [] },
  { at: 10, signal: 'accepted', revealed: [], accepted: 'Weightless' },
];

describe('conversation metrics, on a hand-built conversation', () => {
  it('counts every figure as defined: success, turns, questions, violations, repeats, known and ungrounded tracks', () => {
    const m = conversationMetrics(conversation(messages, listener, 'accepted'), [SAYS, HOLOCENE, WEIGHTLESS, BLUE]);
    expect(m).toEqual({
      outcome: 'accepted', success: 1, abandoned: 0, turns_to_success: 4, listener_turns: 5,
      // The first question's answer revealed a constraint and new tracks followed; the second's revealed nothing.
      questions: [{ at: 1, changed: true }, { at: 7, changed: false }],
      // Holocene has vocals, and the listener had said "no vocals" (at 2) before both turns that offered it.
      recommending: [{ at: 5, kept: false }, { at: 9, kept: false }],
      recommendations: 4, violations: 2, repeated: 1, known: 1, ungrounded: 1,
      tracks: ['holocene', 'says', 'weightless'], artists: ['Bon Iver', 'Marconi Union', 'Nils Frahm'],
    });
  });

  it('is no success when the accepted track breaks a constraint, was known, or was never recommended', () => {
    for (const accepted of ['Holocene', 'Says', 'Blue in Green', 'Something else']) {
      const turns = listener.map((l) => (l.signal === 'accepted' ? { ...l, accepted } : l));
      const m = conversationMetrics(conversation(messages, turns, 'accepted'), [SAYS, HOLOCENE, WEIGHTLESS, BLUE]);
      expect([accepted, m.success, m.turns_to_success]).toEqual([accepted, 0, undefined]);
    }
  });

  it('a violation counts only against constraints stated by then: before "no vocals" was said, Holocene broke nothing', () => {
    const early: Message[] = [user('I want something calm.'), ...search('c1', [HOLOCENE]), said('Try "Holocene" by Bon Iver.'), user('It has vocals. No vocals.'), ...search('c2', [WEIGHTLESS]), said('Then "Weightless" by Marconi Union.'), user('Great.')];
    const turns: ListenerTurn[] = [{ at: 0, signal: 'continue', revealed: [] }, { at: 4, signal: 'continue', revealed: ['no-vocals'] }, { at: 8, signal: 'accepted', revealed: [], accepted: 'weightless' }];
    const m = conversationMetrics(conversation(early, turns, 'accepted'));
    expect([m.violations, m.recommending, m.success, m.turns_to_success]).toEqual([0, [{ at: 3, kept: true }, { at: 7, kept: true }], 1, 2]);
  });

  it('a question whose answer revealed something but was followed by the same tracks changed nothing', () => {
    const same: Message[] = [user('Calm please.'), ...search('c1', [WEIGHTLESS]), said('"Weightless" by Marconi Union?'), user('Hmm.'), said('Do you mind vocals?'), user('No vocals.'), said('Then "Weightless" by Marconi Union.'), user('Fine, I give up.')];
    const turns: ListenerTurn[] = [{ at: 0, signal: 'continue', revealed: [] }, { at: 4, signal: 'continue', revealed: [] }, { at: 6, signal: 'continue', revealed: ['no-vocals'] }, { at: 8, signal: 'gave_up', revealed: [] }];
    const m = conversationMetrics(conversation(same, turns, 'gave_up'));
    expect([m.questions, m.repeated, m.success, m.abandoned, m.outcome]).toEqual([[{ at: 5, changed: false }], 1, 0, 1, 'gave_up']);
  });

  it('reads recommendations from tool results named in the text: not a title used as a word, nor a track no tool returned', () => {
    const turns = recommendingTurns([...search('c1', [SAYS]), said('She says this is calm. What do you think?')], [SAYS, BLUE]);
    expect(turns).toEqual([{ at: 2, tracks: [], ungrounded: [], question: true }]);
    const quoted = recommendingTurns([...search('c1', [SAYS]), said('Play "Says".'), said('"Blue in Green" by Miles Davis?')], [SAYS, BLUE]);
    expect(quoted.map((t) => [t.tracks.map((x) => x.id), t.ungrounded.map((x) => x.id), t.question])).toEqual([[['says'], [], false], [[], ['blue'], false]]);
  });
});

describe('the summary over conversations', () => {
  const row = (scenarioId: string, success: 0 | 1, extra: Partial<ReturnType<typeof conversationMetrics>> = {}) => ({
    scenario: scenarioId, kind: 'k', persona: 'p',
    metrics: { outcome: success ? 'accepted' as const : 'gave_up' as const, success, abandoned: (1 - success) as 0 | 1, listener_turns: 2, questions: [], recommending: [], recommendations: 2, violations: 0, repeated: 0, known: 0, ungrounded: 0, tracks: [], artists: [], ...(success ? { turns_to_success: 2 } : {}), ...extra },
  });

  it('takes shares as ratios of sums (questions over all questions, not a mean of per-conversation shares)', () => {
    const s = summarizeGroup([
      row('a', 1, { questions: [{ at: 1, changed: true }], tracks: ['t1'], artists: ['x'] }),
      row('b', 0, { questions: [{ at: 1, changed: false }, { at: 3, changed: false }, { at: 5, changed: false }], known: 1, tracks: ['t1', 't2'], artists: ['x', 'y'] }),
      row('c', 1),
      row('d', 1, { turns_to_success: 4 }),
    ], 10);
    expect(s.success_rate.value).toBe(0.75);
    expect(s.abandonment_rate.value).toBe(0.25);
    expect(s.turns_to_success).toMatchObject({ value: (2 + 2 + 4) / 3, n: 3 });
    expect(s.questions_that_changed_next).toMatchObject({ value: 0.25, n: 4 });
    expect(s.novelty).toMatchObject({ value: 7 / 8, n: 8 });
    expect([s.catalogue_coverage, s.distinct_tracks, s.distinct_artists, s.outcomes]).toEqual([0.2, 2, 2, { accepted: 3, gave_up: 1 }]);
    expect(s.success_rate.ci!.low).toBeLessThanOrEqual(0.75);
    expect(s.success_rate.ci!.high).toBe(1);
  });

  it('resamples scenarios, not conversations: the repeats of one scenario give no interval', () => {
    const s = summarizeGroup([row('a', 1), row('a', 0), row('a', 1)], 0);
    expect(s.success_rate).toEqual({ value: 2 / 3, ci: null, n: 3 });
    expect(s.catalogue_coverage).toBeNull();
    expect(summarizeGroup([row('a', 1), row('b', 0)], 0).success_rate.ci).not.toBeNull();
  });

  it('groups by kind and by persona, sorted, each over its own conversations, and says whether the listener was the mock', () => {
    const rows = [{ ...row('a', 1), kind: 'vague', persona: 'zed' }, { ...row('b', 0), kind: 'specific', persona: 'amy' }, { ...row('c', 1), kind: 'vague', persona: 'amy' }];
    const s = summarize('v1', rows, 4, true, 3);
    expect([s.format, s.version, s.label, s.simulated_listener]).toEqual(['jury.simulation-summary', 1, 'v1', true]);
    expect(Object.keys(s.by_kind)).toEqual(['specific', 'vague']);
    expect(Object.keys(s.by_persona)).toEqual(['amy', 'zed']);
    expect([s.by_kind.vague!.success_rate.value, s.by_kind.specific!.success_rate.value, s.by_persona.amy!.conversations, s.overall.conversations]).toEqual([1, 0, 2, 3]);
    expect(summarize('v1', rows, 4, false).simulated_listener).toBe(false);
  });
});
