import { seededRng } from '../stats/rng.js';
import { meets, type Track } from './catalogue.js';
import type { ListenerReply, ListenerView } from './listener-view.js';
import { knowsTrack, type Constraint } from './scenario.js';

/**
 * A rule-based listener for newcomers and tests (`provider: mock`): accepts the first track it hears that meets
 * every constraint and is new to it; says what is wrong with one that is not (revealing the constraint if it had
 * kept it); answers a question by revealing the constraints the question asks about; gives up when its patience
 * runs out. Its wording varies with the conversation's seed, its decisions do not.
 */
export function mockListenerReply(view: ListenerView): ListenerReply {
  const { scenario } = view;
  const rng = seededRng((view.seed * 7919 + view.sent) >>> 0);
  const pick = (options: string[]) => options[rng.int(options.length)]!;
  const last = [...view.turns].reverse().find((t) => t.from === 'assistant');
  const heard = last?.heard ?? [];
  const told = new Set(view.told);
  const broken = (t: Track) => scenario.constraints.find((c) => meets(t, c) === false);
  const fit = heard.find((t) => !knowsTrack(scenario, t) && !broken(t));
  if (fit) return { message: `${pick(['Yes!', 'Perfect.', 'Oh, that works.'])} "${fit.title}" is what I wanted, I'll play it. Thanks!`, signal: 'accepted', revealed: [], accepted: fit.title };
  const patience = view.sent >= scenario.patience;
  if (patience) return { message: pick(["I don't think this is working, I'll look elsewhere.", "Never mind, I'll find something myself."]), signal: 'gave_up', revealed: [], accepted: '' };
  if (heard.length) {
    const known = heard.filter((t) => knowsTrack(scenario, t));
    const wrong = heard.map(broken).find((c): c is Constraint => c !== undefined);
    if (wrong) return { message: told.has(wrong.id) ? `I already said: ${wrong.say}` : `${pick(['Hmm, not quite.', 'Not really.'])} ${wrong.say}`, signal: 'continue', revealed: told.has(wrong.id) ? [] : [wrong.id], accepted: '' };
    if (known.length) return { message: `I already know ${known.map((t) => `"${t.title}"`).join(' and ')}. ${pick(['Something new?', 'Anything I might not know?'])}`, signal: 'continue', revealed: [], accepted: '' };
  }
  if (last && last.text.includes('?')) {
    const question = last.text.toLowerCase();
    const asked = scenario.constraints.filter((c) => !told.has(c.id) && c.asked_by.some((w) => question.includes(w.toLowerCase())));
    if (asked.length) return { message: asked.map((c) => c.say).join(' '), signal: 'continue', revealed: asked.map((c) => c.id), accepted: '' };
    return { message: `${pick(["I don't really mind.", 'Not sure, honestly.'])} Just ${scenario.goal}.`, signal: 'continue', revealed: [], accepted: '' };
  }
  return { message: pick(['Could you suggest a track?', 'So what would you play?']), signal: 'continue', revealed: [], accepted: '' };
}
