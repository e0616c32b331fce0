import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JudgeSchema } from '../../src/config/config.js';
import { ReplyCache } from '../../src/engine/reply-cache.js';
import type { Provider } from '../../src/judges/provider.js';
import { meets, searchCatalogue, type Track } from '../../src/simulate/catalogue.js';
import type { ListenerTurn, SimConversation } from '../../src/simulate/conversation.js';
import { SimJournal } from '../../src/simulate/journal.js';
import { ListenerError, modelListener } from '../../src/simulate/listener.js';
import type { ListenerView } from '../../src/simulate/listener-view.js';
import { conversationMetrics } from '../../src/simulate/metrics.js';
import { mockListenerReply } from '../../src/simulate/mock-listener.js';
import { knowsTrack, openingLine, ScenarioSchema } from '../../src/simulate/scenario.js';
import type { Message } from '../../src/transcript/transcript.js';

const t = (id: string, title: string, extra: Record<string, unknown> = {}): Track => ({ id, title, artist: `${title} Band`, energy: 'low', ...extra });
const A = t('a', 'Alpha');
const B = t('b', 'Beta');
const C = t('c', 'Gamma', { energy: 'high' });
const scenario = ScenarioSchema.parse({ id: 's', kind: 'vague', persona: 'p', persona_text: 'P.', goal: 'g', constraints: [{ id: 'calm', field: 'energy', equals: 'low', say: 'Calm.' }] });
const user = (content: string): Message => ({ role: 'user', content });
const said = (content: string): Message => ({ role: 'assistant', content });
const tool = (id: string, tracks: Track[]): Message[] => [
  { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'search', arguments: '{}' } }] },
  { role: 'tool', tool_call_id: id, content: JSON.stringify({ result: { tracks } }) },
];
const conv = (messages: Message[], listener: ListenerTurn[], outcome?: SimConversation['outcome']): SimConversation => ({ id: 's.r1', scenario, repeat: 1, seed: 1, messages, listener, ...(outcome ? { outcome } : {}) });
const recs = (...tracks: Track[]) => said(tracks.map((x) => `"${x.title}"`).join(' or '));

describe('metrics at their boundaries', () => {
  it('a question changed what came next when one new track follows, even beside an old one', () => {
    const messages = [user('hi'), ...tool('1', [A, B, C]), recs(A), user('no'), said('Calm or loud?'), user('Calm.'), recs(A, B), user('B!')];
    const listener: ListenerTurn[] = [{ at: 0, signal: 'continue', revealed: [] }, { at: 4, signal: 'continue', revealed: [] }, { at: 6, signal: 'continue', revealed: ['calm'] }, { at: 8, signal: 'accepted', revealed: [], accepted: 'BETA' }];
    const m = conversationMetrics(conv(messages, listener, 'accepted'));
    expect(m.questions).toEqual([{ at: 5, changed: true }]);
    expect([m.success, m.turns_to_success, m.repeated]).toEqual([1, 3, 1]);
  });

  it('a question followed by no recommendation at all changed nothing; an answer after the question counts, not one before', () => {
    const messages = [user('Calm.'), said('Anything else?'), user('Calm.')];
    const m = conversationMetrics(conv(messages, [{ at: 0, signal: 'continue', revealed: ['calm'] }, { at: 2, signal: 'gave_up', revealed: [] }], 'gave_up'));
    expect(m.questions).toEqual([{ at: 1, changed: false }]);
    expect([m.abandoned, m.success, m.turns_to_success]).toEqual([1, 0, undefined]);
  });

  it('a constraint revealed in the same message that follows a turn does not count against that turn', () => {
    const messages = [user('hi'), ...tool('1', [C]), recs(C), user('Calm.'), recs(C), user('bye')];
    const listener: ListenerTurn[] = [{ at: 0, signal: 'continue', revealed: [] }, { at: 4, signal: 'continue', revealed: ['calm'] }, { at: 6, signal: 'gave_up', revealed: [] }];
    const m = conversationMetrics(conv(messages, listener, 'gave_up'));
    expect(m.recommending).toEqual([{ at: 3, kept: true }, { at: 5, kept: false }]);
    expect(m.violations).toBe(1);
  });

  it('a track accepted in the message that recommends it... cannot be: it must have been recommended before', () => {
    const messages = [user('hi'), ...tool('1', [A]), user('Alpha!'), recs(A)];
    const m = conversationMetrics(conv(messages, [{ at: 0, signal: 'continue', revealed: [] }, { at: 3, signal: 'accepted', revealed: [], accepted: 'Alpha' }], 'accepted'));
    expect(m.success).toBe(0);
  });

  it('without a recorded outcome: accepted when the listener accepted, else out_of_turns', () => {
    expect(conversationMetrics(conv([user('hi'), said('x')], [{ at: 0, signal: 'continue', revealed: [] }])).outcome).toBe('out_of_turns');
    expect(conversationMetrics(conv([user('hi')], [{ at: 0, signal: 'accepted', revealed: [] }])).outcome).toBe('accepted');
    expect(conversationMetrics(conv([user('hi')], [{ at: 0, signal: 'accepted', revealed: [] }], 'agent_error'))).toMatchObject({ outcome: 'agent_error', success: 0, abandoned: 0 });
  });
});

describe('catalogue edges', () => {
  const tracks = [t('x', 'X', { moods: ['focus'], instrumental: true, explicit: false, year: 2001 }), t('y', 'Y', { moods: ['party'], instrumental: false, explicit: true, year: 2019 }), t('z', 'Z', { year: '1990' })];
  it('filters by mood, instrumental, explicit and years, each alone', () => {
    const ids = (args: Parameters<typeof searchCatalogue>[1]) => searchCatalogue(tracks, args).tracks.map((x) => x.id);
    expect(ids({ mood: 'focus' })).toEqual(['x']);
    expect(ids({ instrumental: false })).toEqual(['y']);
    expect(ids({ explicit: true })).toEqual(['y']);
    expect(ids({ year_min: 2002 })).toEqual(['y']);
    expect(ids({ year_max: 2002 })).toEqual(['x']);
    expect(ids({ query: 'party band' })).toEqual(['y', 'x', 'z']);
  });
  it('meets: numbers are not strings, a string year is not a number, a null attribute says nothing', () => {
    expect(meets({ year: '1990' }, { field: 'year', max: 2000 })).toBe(false);
    expect(meets({ year: 1990 }, { field: 'year', equals: '1990' })).toBe(false);
    expect(meets({ genre: null }, { field: 'genre', equals: 'x' })).toBeUndefined();
    expect(meets({ genre: 'Rock' }, { field: 'genre', in: ['pop'] })).toBe(false);
    expect(meets({ genre: 'Rock' }, { field: 'genre', not_in: ['pop'] })).toBe(true);
    expect(meets({ moods: 'calm' }, { field: 'moods', includes: 'calm' })).toBe(false);
  });
  it('knows a track by id or title, in any case; opens with several stated constraints in order', () => {
    expect(knowsTrack({ knows: ['ALPHA'] }, A)).toBe(true);
    expect(knowsTrack({ knows: ['A'] }, A)).toBe(true);
    expect(knowsTrack({ knows: ['Beta'] }, A)).toBe(false);
    const two = ScenarioSchema.parse({ ...scenario, constraints: [{ id: 'a', field: 'f', equals: 1, say: 'One.', hidden: false }, { id: 'b', field: 'f', equals: 1, say: 'Hidden.' }, { id: 'c', field: 'f', equals: 1, say: 'Two.', hidden: false }] });
    expect(openingLine(two)).toBe("I'm looking for g. One. Two.");
  });
});

describe('the mock listener, other turns', () => {
  const view = (turns: ListenerView['turns']): ListenerView => ({ scenario: { ...scenario, knows: ['Alpha'] }, told: [], sent: 1, seed: 0, turns });
  it('says it knows the tracks when that is all that is wrong, and asks for a track when the assistant neither asks nor recommends', () => {
    expect(mockListenerReply(view([{ from: 'assistant', text: 'Here.', heard: [A] }]))).toMatchObject({ signal: 'continue', revealed: [], message: expect.stringContaining('I already know "Alpha".') });
    expect(['Could you suggest a track?', 'So what would you play?']).toContain(mockListenerReply(view([{ from: 'assistant', text: 'Hello there.' }])).message);
    expect(mockListenerReply(view([{ from: 'you', text: 'A?' }])).signal).toBe('continue');
  });
  it('reads the last assistant turn, not an earlier one', () => {
    const reply = mockListenerReply(view([{ from: 'assistant', text: 'Beta?', heard: [B] }, { from: 'you', text: 'hm' }, { from: 'assistant', text: 'Gamma?', heard: [C] }]));
    expect(reply).toMatchObject({ signal: 'continue', revealed: ['calm'] });
  });
});

describe('a model listener', () => {
  const config = JudgeSchema.parse({ id: 'listener', provider: 'openai', model: 'm', base_url: 'http://127.0.0.1:9/v1', api_key_env: null });
  const view: ListenerView = { scenario, told: [], sent: 1, seed: 4, turns: [{ from: 'assistant', text: 'Hi?' }] };
  const good = '{"message":"Calm.","signal":"continue","revealed":["calm"],"accepted":""}';
  const provider = (texts: (string | Error)[]): Provider & { calls: number } => {
    const p = {
      simulated: false, calls: 0,
      async judge() {
        const next = texts[p.calls++]!;
        if (next instanceof Error) throw next;
        return { text: next, usage: { inputTokens: 10, outputTokens: 2, cachedInputTokens: 0 } };
      },
      classify: (error: unknown) => ({ cause: (error as Error).message === 'down' ? 'auth' as const : 'transient' as const, message: (error as Error).message }),
    };
    return p;
  };
  const retries = { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 };

  it('asks again after a reply that does not parse, then keeps the good one in the cache', async () => {
    const cache = new ReplyCache(mkdtempSync(path.join(tmpdir(), 'jury-cache-')));
    const p = provider(['not json', good]);
    const first = await modelListener(config, p, retries, cache).reply(view, new AbortController().signal);
    expect(first).toEqual({ reply: { message: 'Calm.', signal: 'continue', revealed: ['calm'], accepted: '' }, usage: { inputTokens: 10, outputTokens: 2, cachedInputTokens: 0 }, cached: false });
    expect(p.calls).toBe(2);
    const again = await modelListener(config, provider([]), retries, cache).reply(view, new AbortController().signal);
    expect(again).toMatchObject({ cached: true, usage: { inputTokens: 0 } });
    // Another seed is another request.
    const other = provider([good]);
    await modelListener(config, other, retries, cache).reply({ ...view, seed: 5 }, new AbortController().signal);
    expect(other.calls).toBe(1);
  });

  it('gives up after its attempts, or at once on an error that is not worth retrying, naming the model', async () => {
    const flaky = provider([new Error('reset'), new Error('reset'), new Error('reset'), good]);
    await expect(modelListener(config, flaky, retries, undefined).reply(view, new AbortController().signal)).rejects.toEqual(new ListenerError('the simulated listener (openai m) failed after 3 attempts: reset'));
    const refused = provider([new Error('down'), good]);
    await expect(modelListener(config, refused, retries, undefined).reply(view, new AbortController().signal)).rejects.toEqual(new ListenerError('the simulated listener (openai m) failed after 1 attempt: down'));
    expect(refused.calls).toBe(1);
  });
});

describe('the journal refuses what is not its own', () => {
  it('another format or version on line 1, with the line and the way out', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jury-sim-'));
    const file = path.join(dir, 'journal.jsonl');
    for (const head of ['{"format":"jury.journal","version":1,"config_hash":"h"}', '{"format":"jury.simulation-journal","version":2,"config_hash":"h"}']) {
      writeFileSync(file, `${head}\n`);
      expect(() => SimJournal.open(file, 'h', false)).toThrow(expect.objectContaining({ diagnostics: [expect.objectContaining({ line: 1, message: 'this is not a jury simulation journal (version 1)', hint: 'run with --fresh to start over' })] }));
    }
    writeFileSync(file, '{"format":"jury.simulation-journal","version":1,"config_hash":"h"}\n{"c":"a","kind":"end","outcome":"gave_up"}\n\nnot json\n');
    expect(() => SimJournal.open(file, 'h', false)).toThrow(expect.objectContaining({ diagnostics: [expect.objectContaining({ line: 4 })] }));
    writeFileSync(file, '{"format":"jury.simulation-jou');
    expect(SimJournal.open(file, 'h', false).records).toEqual([]);
  });
});

describe('questions between questions, and tracks deep in tool results', () => {
  const turns = (reveals: Record<number, string[]>, messages: Message[]): ListenerTurn[] =>
    messages.flatMap((m, at) => (m.role === 'user' ? [{ at, signal: 'continue' as const, revealed: reveals[at] ?? [] }] : []));

  it('the recommendation before a question is the last one that recommended, not a question in between', () => {
    const messages = [user('hi'), ...tool('1', [A, B]), recs(A), user('hm'), said('Why?'), user('dunno'), said('Calm?'), user('Calm.'), recs(A), user('same')];
    expect(conversationMetrics(conv(messages, turns({ 8: ['calm'] }, messages))).questions).toEqual([{ at: 5, changed: false }, { at: 7, changed: false }]);
  });

  it('the recommendation after an answer is the next one that recommends, past another question', () => {
    const messages = [user('hi'), said('Calm?'), user('Calm.'), said('Vocals?'), user('dunno'), ...tool('1', [A]), recs(A), user('ok')];
    expect(conversationMetrics(conv(messages, turns({ 2: ['calm'] }, messages))).questions).toEqual([{ at: 1, changed: true }, { at: 3, changed: false }]);
  });

  it('reads tracks in arrays and nested objects up to eight levels, once per title and artist in any case', async () => {
    const { tracksIn, recommendingTurns } = await import('../../src/simulate/recommendations.js');
    expect(tracksIn(JSON.stringify([{ title: 'T', artist: 'A' }, { data: { items: [{ title: 'U', artist: 'B', id: 'u1' }] } }])).map((x) => x.id)).toEqual(['T', 'u1']);
    expect(tracksIn(JSON.stringify({ title: 'T' }))).toEqual([]);
    expect(tracksIn(JSON.stringify({ title: 1, artist: 'A' }))).toEqual([]);
    expect(tracksIn('{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"title":"Deep","artist":"X"}}}}}}}}}')).toHaveLength(1);
    expect(tracksIn('{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":{"title":"Deeper","artist":"X"}}}}}}}}}}')).toHaveLength(0);
    expect(tracksIn('not json')).toEqual([]);
    const seen = recommendingTurns([...tool('1', [A]), ...tool('2', [{ ...A, title: 'ALPHA', artist: 'alpha band', id: 'other' }]), said('"Alpha" it is.'), said('   '), said('"Alphabet" soup, Alphas.')]);
    expect(seen.map((x) => [x.at, x.tracks.map((y) => y.id)])).toEqual([[4, ['a']], [6, []]]);
  });
});
