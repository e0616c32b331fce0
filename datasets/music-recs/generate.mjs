// Writes v1.jsonl and v2.jsonl from scenarios.mjs: `node datasets/music-recs/generate.mjs`.
// Both versions share every turn except the deliberate change that scenario names (see README.md).
import { writeFileSync } from 'node:fs';
import { scenarios } from './scenarios.mjs';

const SYSTEM = 'You are Tempo, a music recommendation assistant. Use the catalogue tools, recommend only tracks the tools return, and keep every constraint the listener sets for the whole conversation.';

const track = (scenario, prefix, [title, artist, year, tags], index) => ({ id: `${scenario.id}-${prefix}${index + 1}`, title, artist, year, tags });
const mention = (t) => `"${t.title}" by ${t.artist} (${t.year})`;

function conversation(scenario, version) {
  const v2 = version === 'v2';
  const results = scenario.results.map((t, i) => track(scenario, 's', t, i));
  const similar = scenario.similar.map((t, i) => track(scenario, 'r', t, i));
  const messages = [{ role: 'system', content: SYSTEM }, { role: 'user', content: scenario.request }];

  if (scenario.change === 'better_question' && !v2) {
    // The weak question gets a shrug, and the assistant has to ask again: one more exchange.
    messages.push({ role: 'assistant', content: scenario.weakQuestion });
    messages.push({ role: 'user', content: 'Hmm, all sorts really. I am not sure.' });
    messages.push({ role: 'assistant', content: `No problem, let me narrow it down. ${scenario.goodQuestion}` });
  } else {
    messages.push({ role: 'assistant', content: scenario.goodQuestion });
  }
  messages.push({ role: 'user', content: scenario.answer });

  messages.push({ role: 'assistant', content: null, tool_calls: [{ id: 'call_search', type: 'function', function: { name: 'search_catalogue', arguments: JSON.stringify({ ...scenario.search, limit: 4 }) } }] });
  messages.push({ role: 'tool', tool_call_id: 'call_search', content: JSON.stringify({ tracks: results }) });

  const picks = results.slice(0, 3).map(mention);
  if (scenario.change === 'invents_track' && v2) picks[2] = `"${scenario.invented[0]}" by ${scenario.invented[1]}`;
  messages.push({ role: 'assistant', content: `Here are three picks that fit (${scenario.constraint}): ${picks.join('; ')}. Want more in the direction of one of them?` });
  messages.push({ role: 'user', content: scenario.followup });

  // The follow-up names the track it builds on (by artist or title); the search starts from that one.
  const seed = results.find((r) => scenario.followup.includes(r.title) || scenario.followup.includes(r.artist.split(' ')[0])) ?? results[0];
  const forget = scenario.change === 'forgets_constraint' && v2;
  const similarArgs = forget ? { track_id: seed.id, limit: 3 } : { track_id: seed.id, limit: 3, constraint: scenario.constraint };
  messages.push({ role: 'assistant', content: null, tool_calls: [{ id: 'call_similar', type: 'function', function: { name: 'get_similar', arguments: JSON.stringify(similarArgs) } }] });
  messages.push({ role: 'tool', tool_call_id: 'call_similar', content: JSON.stringify({ tracks: similar }) });

  const fitting = similar.filter((_, i) => i !== scenario.violation);
  if (forget) {
    const breaking = similar[scenario.violation];
    messages.push({ role: 'assistant', content: `More like that: ${mention(breaking)} and ${mention(fitting[0])}.` });
    messages.push({ role: 'user', content: `Wait, ${scenario.violationNote}. I said ${scenario.constraint}.` });
    messages.push({ role: 'assistant', content: `You are right, sorry. Keeping to ${scenario.constraint}: ${fitting.map(mention).join(' and ')}.` });
  } else {
    messages.push({ role: 'assistant', content: `More like that, still ${scenario.constraint}: ${fitting.map(mention).join(' and ')}.` });
  }
  messages.push({ role: 'user', content: scenario.accept });
  messages.push({ role: 'assistant', content: 'Enjoy! Come back any time you want something new.' });

  const userTurns = messages.filter((m) => m.role === 'user').length;
  return {
    id: scenario.id,
    messages,
    metadata: { agent: 'tempo', version, scenario: scenario.id, change: scenario.change, constraint: scenario.constraint, outcome: 'accepted', user_turns_to_acceptance: userTurns },
  };
}

const folder = new URL('.', import.meta.url);
for (const version of ['v1', 'v2']) {
  const lines = scenarios.map((s) => JSON.stringify(conversation(s, version)));
  writeFileSync(new URL(`${version}.jsonl`, folder), `${lines.join('\n')}\n`);
}
console.log(`wrote ${scenarios.length} scenarios in v1.jsonl and v2.jsonl`);
