#!/usr/bin/env node
// "Tempo", a small rule-based music assistant: the example agent under test for `jury simulate`. It speaks jury's
// agent contract as a local command (the request as JSON on stdin, its turn as JSON on stdout) and searches
// catalogue.jsonl itself, reporting its tool calls and results in the turn. `respond()` is the same agent as a
// "model" (one assistant message at a time), which the project's tests serve behind an OpenAI-compatible endpoint.
//
//   node agent.mjs [--version v1|v2]
//
// v1 keeps every wish the listener has said and never offers a track twice; v2 reads only the listener's latest
// message and forgets its own picks (it loses context), and asks a generic question where v1 asks a concrete one. Written for jury's example; not a real recommender.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const GENRES = ['bossa nova', 'lo-fi', 'neoclassical', 'post-rock', 'trip hop', 'synth-pop', 'hip hop', 'ambient', 'classical', 'electronic', 'techno', 'trance', 'house', 'jazz', 'folk', 'rock', 'soul', 'reggae', 'metal', 'indie', 'pop'];
const WISHES = [
  [/no vocals|instrumental|no lyrics|without (lyrics|words|vocals)|words distract|no singing/, { instrumental: true }],
  [/\b(calm|chill|relax\w*|quiet|sleep\w*|wind(ing)? down|soft|mellow|low[- ]energy)\b/, { energy: 'low' }],
  [/\b(upbeat|energetic|workout|gym|run|running|pump\w*|party|dance|high[- ]energy)\b/, { energy: 'high' }],
  [/\b(clean|no explicit|no swearing|kids|children|family)\b/, { explicit: false }],
  [/\b(focus|study|studying|concentrat\w*|work(ing)?)\b/, { mood: 'focus' }],
  [/\b(sad|breakup|heartbroken|cry)\b/, { mood: 'sad' }],
  [/\b(romantic|date night|anniversary)\b/, { mood: 'romantic' }],
  [/\b(older|oldies|classics?|vintage|before 2000)\b/, { year_max: 1999 }],
  [/\b(recent|newer|modern|after 2010)\b/, { year_min: 2010 }],
];

/** The wishes in one message: catalogue filters, and titles the listener already knows. */
export function wishesIn(text) {
  const lower = text.toLowerCase();
  const out = {};
  for (const [pattern, wish] of WISHES) if (pattern.test(lower)) Object.assign(out, wish);
  const genre = GENRES.find((g) => new RegExp(`\\b${g}\\b`).test(lower));
  if (genre) out.genre = genre;
  const known = [...text.matchAll(/(?:already know|heard|know) "([^"]+)"/gi)].map((m) => m[1]);
  if (known.length) out.exclude = known;
  return out;
}

function userTexts(messages) {
  return messages.filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join('')));
}

/** Every track recommended so far: titles found in earlier tool results and named in an assistant message. */
function recommendedSoFar(messages) {
  const said = messages.filter((m) => m.role === 'assistant' && m.content).map((m) => m.content).join('\n');
  const titles = new Set();
  for (const m of messages) {
    if (m.role !== 'tool') continue;
    try {
      for (const t of JSON.parse(m.content).tracks ?? []) if (said.includes(`"${t.title}"`)) titles.add(t.title);
    } catch { /* not a search result */ }
  }
  return [...titles];
}

/** The agent's next message: a question, a catalogue search (a tool call), or recommendations from the last search. */
export function respond(messages, version = 'v1') {
  const last = messages.at(-1);
  if (last?.role === 'tool') {
    const { tracks = [] } = JSON.parse(last.content);
    if (tracks.length === 0) return { role: 'assistant', content: "I couldn't find anything that fits all of that. Could you loosen one of your wishes?" };
    const picks = tracks.slice(0, 2).map((t) => `"${t.title}" by ${t.artist}`);
    return { role: 'assistant', content: `How about ${picks.join(', or ')}?` };
  }
  const texts = userTexts(messages);
  const read = version === 'v1' ? texts : texts.slice(-1);
  const wishes = {};
  const exclude = [];
  for (const text of read) {
    const w = wishesIn(text);
    if (w.exclude) exclude.push(...w.exclude);
    delete w.exclude;
    Object.assign(wishes, w);
  }
  const asked = messages.some((m) => m.role === 'assistant' && typeof m.content === 'string' && m.content.endsWith('?') && !m.content.includes('"'));
  if (!asked && Object.keys(wishes).length < 2) {
    return { role: 'assistant', content: version === 'v1' ? 'Happy to help. What is it for (focus, a workout, winding down, a party), any genre in mind, and are vocals OK?' : 'Sure! What kind of music do you like?' };
  }
  // v2 keeps no memory of its own picks either: it can offer a rejected track again.
  const args = { ...wishes, exclude: version === 'v1' ? [...exclude, ...recommendedSoFar(messages)] : exclude, limit: 3 };
  const id = `call_${texts.length}_${messages.length}`;
  return { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'search_catalogue', arguments: JSON.stringify(args) } }] };
}

/** The catalogue search, as the command runs it (jury's mock catalogue behaves the same for these filters). */
export function search(tracks, args) {
  const excluded = new Set((args.exclude ?? []).map((e) => e.toLowerCase()));
  const fits = (t) =>
    !excluded.has(t.title.toLowerCase()) &&
    (args.genre === undefined || t.genre === args.genre) &&
    (args.mood === undefined || t.moods.includes(args.mood)) &&
    (args.energy === undefined || t.energy === args.energy) &&
    (args.instrumental === undefined || t.instrumental === args.instrumental) &&
    (args.explicit === undefined || t.explicit === args.explicit) &&
    (args.year_min === undefined || t.year >= args.year_min) &&
    (args.year_max === undefined || t.year <= args.year_max);
  return { tracks: tracks.filter(fits).slice(0, args.limit ?? 5) };
}

async function main() {
  const version = process.argv.includes('--version') ? process.argv[process.argv.indexOf('--version') + 1] : 'v1';
  const tracks = readFileSync(new URL('./catalogue.jsonl', import.meta.url), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const request = JSON.parse(input);
  const turn = [];
  for (let round = 0; round < 3; round++) {
    const message = respond([...request.messages, ...turn], version);
    turn.push(message);
    if (!message.tool_calls) break;
    for (const call of message.tool_calls) turn.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(search(tracks, JSON.parse(call.function.arguments))) });
  }
  process.stdout.write(JSON.stringify({ messages: turn }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
