import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { CATALOGUE_TOOLS, searchCatalogue, type Track } from '../../src/simulate/catalogue.js';
import type { ListenerView } from '../../src/simulate/listener-view.js';
import { mockListenerReply } from '../../src/simulate/mock-listener.js';
import { openingLine, ScenarioFileSchema, type Scenario } from '../../src/simulate/scenario.js';
import { ROOT } from './cli.js';
import type { ChatAnswer, FakeRequest } from './fake-llm-server.js';

// The project's test server as both sides of a simulated conversation: the example agent (datasets/music-sim/agent.mjs)
// as an OpenAI-compatible model that calls tools, and the rule-based listener answering a model listener's prompt.

export const SIM_DIR = path.join(ROOT, 'datasets/music-sim');
export const CATALOGUE: Track[] = readFileSync(path.join(SIM_DIR, 'catalogue.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Track);
export const SCENARIOS: Scenario[] = ScenarioFileSchema.parse(parse(readFileSync(path.join(SIM_DIR, 'scenarios.yaml'), 'utf8'))).scenarios;

type Respond = (messages: unknown[], version: string) => ChatAnswer & { role: 'assistant' };
export const exampleAgent = (await import(pathToFileURL(path.join(SIM_DIR, 'agent.mjs')).href)) as { respond: Respond };

/** Answers as the agent for model `agent-<version>`, as the listener for model `listener`; anything else falls through. */
export function simulatedChat(request: FakeRequest): ChatAnswer | undefined {
  const body = request.body as { model: string; messages: { role: string; content: string | null | { text?: string }[] }[] };
  const text = (content: string | null | { text?: string }[]) => (Array.isArray(content) ? content.map((p) => p.text ?? '').join('\n') : (content ?? ''));
  if (body.model.startsWith('agent-')) return exampleAgent.respond(body.messages.filter((m) => m.role !== 'system'), body.model.slice('agent-'.length));
  if (body.model === 'listener') {
    const view = viewFromPrompt(body.messages.map((m) => text(m.content)).join('\n'));
    // Asked to open the conversation, it says what the scenario's goal says.
    const reply = view.turns.length ? mockListenerReply(view) : { message: openingLine(view.scenario), signal: 'continue', revealed: [], accepted: '' };
    return { content: JSON.stringify(reply) };
  }
  return undefined;
}

/** The listener's view rebuilt from the prompt jury sent: the persona card names the scenario by its goal. */
function viewFromPrompt(text: string): ListenerView {
  const between = (open: string, close: string) => text.slice(text.indexOf(open) + open.length, text.indexOf(close)).trim();
  const card = JSON.parse(between('<persona_card>', '</persona_card>')) as { goal: string; persona: string; constraints: { id: string; hidden: boolean }[]; messages_sent: number };
  const scenario = SCENARIOS.find((s) => s.goal === card.goal && s.persona_text === card.persona);
  if (!scenario) throw new Error(`no scenario with goal ${card.goal}`);
  const turns = between('<conversation>', '</conversation>').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ListenerView['turns'][number]);
  return { scenario, told: card.constraints.filter((c) => !c.hidden).map((c) => c.id), sent: card.messages_sent, seed: 0, turns };
}

/** A catalogue tool server on 127.0.0.1: GET / lists the tools, POST /search_catalogue searches; every call recorded. */
export async function startToolServer(): Promise<{ url: string; calls: { name: string; args: unknown }[]; close(): Promise<void> }> {
  const calls: { name: string; args: unknown }[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET') return res.end(JSON.stringify(CATALOGUE_TOOLS));
      const name = decodeURIComponent((req.url ?? '').replace(/^\/tools\/?/, ''));
      const args = JSON.parse(raw || '{}') as Parameters<typeof searchCatalogue>[1];
      calls.push({ name, args });
      if (name !== 'search_catalogue') {
        res.statusCode = 404;
        return res.end(JSON.stringify({ error: `no tool ${name}` }));
      }
      res.end(JSON.stringify(searchCatalogue(CATALOGUE, args)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tools`, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
