import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import { InputError } from '../diagnostics/diagnostic.js';
import type { Env } from '../engine/panel.js';
import { redact } from '../engine/redact.js';
import { costOf, priceOf } from '../judges/prices.js';
import { lockRunFolder } from '../journal/lock.js';
import { writeAtomic, writeJson } from '../report/write.js';
import type { AgentTurn } from '../simulate/agents/contract.js';
import { conversationId, type SimConversation } from '../simulate/conversation.js';
import { SimJournal, type SimRecord } from '../simulate/journal.js';
import { ListenerError } from '../simulate/listener.js';
import { loadSimulation, type LoadedSimulation } from '../simulate/load.js';
import { conversationMetrics } from '../simulate/metrics.js';
import { metricsReport } from '../simulate/metrics-report.js';
import { applyRecord, runConversation } from '../simulate/run-conversation.js';
import { summarize, type SimulationSummary } from '../simulate/summary.js';
import { conversationSeed, simulationActors, simulationHash } from './simulate-setup.js';

// `jury simulate`: simulated listeners talk to the agent under test; the conversations become a dataset, and their
// computed metrics a report (docs/simulation.md).
export interface SimulateOptions {
  configPath: string;
  env: Env;
  label?: string;
  repeat?: number;
  concurrency?: number;
  /** The rule-based listener instead of the configured model (no key, no cost). */
  mock?: boolean;
  maxCost?: number;
  fresh?: boolean;
  noCache?: boolean;
  onProgress?: (progress: SimulationProgress) => void;
}

export interface SimulationProgress {
  total: number;
  finished: number;
  turns: number;
  costUsd: number;
}

export interface SimulationResult {
  label: string;
  dir: string;
  files: { transcripts: string; metrics: string; summary: string; journal: string };
  conversations: number;
  finished: number;
  /** Stopped by the budget: a later run resumes them. */
  paused: number;
  /** The listener could not answer (after retries): resumable too. */
  failed: { id: string; message: string }[];
  costUsd: number;
  /** True when some agent turns' cost is unknown (an HTTP or command agent that does not report it). */
  agentCostUnknown: boolean;
  summary: SimulationSummary;
}

export interface SimulationPlan {
  label: string;
  conversations: number;
  scenarios: number;
  repeat: number;
  maxListenerCalls: number;
  listener: string;
  agent: string;
  /** An upper bound on the listener's cost: every conversation to max_turns at ~2,000 input and 150 output tokens a call. */
  listenerCostBound: number | null;
}

async function loaded(opts: SimulateOptions): Promise<LoadedSimulation> {
  const result = await loadSimulation(opts.configPath);
  if (!result.ok) throw new InputError(result.diagnostics);
  const { config } = result.value;
  if (opts.label) config.label = opts.label;
  if (opts.repeat) config.repeat = opts.repeat;
  if (opts.concurrency) config.concurrency = opts.concurrency;
  if (opts.mock) config.listener = { ...config.listener, provider: 'mock', base_url: undefined, api_key_env: undefined, model: 'mock-listener' };
  return result.value;
}

function conversationsOf(sim: LoadedSimulation): SimConversation[] {
  return sim.scenarios.flatMap((scenario) => Array.from({ length: sim.config.repeat }, (_, r) => ({ id: conversationId(scenario, r + 1), scenario, repeat: r + 1, seed: conversationSeed(sim.config, scenario, r + 1), messages: [], listener: [] })));
}

function describeAgent(sim: LoadedSimulation): string {
  const a = sim.config.agent;
  return a.adapter === 'command' ? `command: ${a.command.join(' ')}` : a.adapter === 'http' ? `http: ${a.url}` : `openai: ${a.model}${a.base_url ? ` at ${a.base_url}` : ''}`;
}

/** What a run would do, without calling anything. */
export async function planSimulation(opts: SimulateOptions): Promise<SimulationPlan> {
  const sim = await loaded(opts);
  const conversations = conversationsOf(sim);
  const calls = conversations.length * sim.config.max_turns;
  const price = priceOf(sim.config.listener);
  return {
    label: sim.config.label, conversations: conversations.length, scenarios: sim.scenarios.length, repeat: sim.config.repeat,
    maxListenerCalls: calls, listener: `${sim.config.listener.provider} ${sim.config.listener.model}`, agent: describeAgent(sim),
    listenerCostBound: price.source === 'unknown' ? null : calls * costOf({ inputTokens: 2000, outputTokens: 150, cachedInputTokens: 0 }, price.price),
  };
}

export async function simulate(opts: SimulateOptions): Promise<SimulationResult> {
  const sim = await loaded(opts);
  const { config, catalogue } = sim;
  // A budget over a listener whose price is unknown would count its calls as free and never stop.
  if (opts.maxCost !== undefined && priceOf(config.listener).source === 'unknown') {
    throw new InputError([{ code: 'config/invalid', severity: 'error', file: config.file, path: ['listener', 'price'], message: `--max-cost needs the listener's price, and ${config.listener.model} has no built-in one`, expected: '`price: {input, output}` (dollars per million tokens) on the listener' }]);
  }
  const dir = path.resolve(config.dir, config.output, config.label);
  mkdirSync(dir, { recursive: true });
  const unlock = lockRunFolder(dir);
  try {
    const retries = { maxAttempts: config.retries.max_attempts, baseDelayMs: config.retries.base_delay_ms, maxDelayMs: config.retries.max_delay_ms };
    const actors = await simulationActors(sim, opts.env, { ...(opts.noCache ? {} : { cacheDir: path.resolve(config.dir, config.cache) }), retries });
    if (!actors.ok) throw new InputError(actors.diagnostics);
    const { listener, agent, secrets } = actors.actors;
    const files = { transcripts: path.join(dir, 'transcripts.jsonl'), metrics: path.join(dir, 'metrics.json'), summary: path.join(dir, 'summary.json'), journal: path.join(dir, 'journal.jsonl') };
    const { journal, records } = SimJournal.open(files.journal, simulationHash(sim), opts.fresh === true);
    const conversations = conversationsOf(sim);
    const byId = new Map(conversations.map((c) => [c.id, c]));
    let costUsd = 0;
    let turns = 0;
    let agentCostUnknown = false;
    const spend = (record: SimRecord) => {
      if (record.kind !== 'end') costUsd += record.cost_usd ?? 0;
      if (record.kind === 'agent' && record.cost_usd === undefined) agentCostUnknown = true;
    };
    for (const record of records) {
      const conversation = byId.get(record.c);
      if (!conversation) continue;
      applyRecord(conversation, record);
      spend(record);
    }
    const listenerPrice = priceOf(config.listener).price;
    const agentPrice = config.agent.adapter === 'openai' && config.agent.price ? config.agent.price : undefined;
    let finished = conversations.filter((c) => c.outcome).length;
    const progress = () => opts.onProgress?.({ total: conversations.length, finished, turns, costUsd });
    const failed: SimulationResult['failed'] = [];
    const abort = new AbortController();
    let paused = 0;
    const limit = pLimit(config.concurrency);
    await Promise.all(conversations.filter((c) => !c.outcome).map((conversation) => limit(async () => {
      try {
        const state = await runConversation(conversation, {
          agent, listener, catalogue, maxTurns: config.max_turns, retries, signal: abort.signal,
          record: (c, record) => {
            const safe = record.kind === 'end' && record.error ? { ...record, error: redact(record.error, secrets) } : record;
            journal.append(safe);
            const open = !c.outcome;
            applyRecord(c, safe);
            if (open && c.outcome) finished++;
            spend(safe);
            turns++;
            progress();
          },
          mayPay: () => opts.maxCost === undefined || costUsd < opts.maxCost,
          listenerCost: (usage) => costOf({ ...usage, cachedInputTokens: 0 }, listenerPrice),
          agentCost: (turn: AgentTurn) => turn.cost_usd ?? (agentPrice && turn.usage ? costOf({ inputTokens: turn.usage.input_tokens, outputTokens: turn.usage.output_tokens, cachedInputTokens: 0 }, { ...agentPrice, cached_input: agentPrice.input }) : undefined),
        });
        if (state === 'paused') paused++;
      } catch (error) {
        if (!(error instanceof ListenerError)) throw error;
        failed.push({ id: conversation.id, message: redact(error.message, secrets) });
      }
    })));
    journal.close();
    return { label: config.label, dir, files, ...writeOutputs(sim, conversations, files, listener.simulated), conversations: conversations.length, paused, failed, costUsd, agentCostUnknown };
  } finally {
    unlock();
  }
}

/** The finished conversations as a dataset, their metrics as a report, and the summary with intervals. */
function writeOutputs(sim: LoadedSimulation, conversations: readonly SimConversation[], files: SimulationResult['files'], mockListener: boolean): { finished: number; summary: SimulationSummary } {
  const { config, catalogue } = sim;
  const done = conversations.filter((c) => c.outcome).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const measured = done.map((c) => {
    const metrics = conversationMetrics(c, catalogue);
    const { tracks: _t, artists: _a, questions, recommending, ...figures } = metrics;
    const accepted = c.listener.find((l) => l.signal === 'accepted')?.accepted;
    const metadata: Record<string, unknown> = {
      simulated: true, agent: config.label, scenario: c.scenario.id, kind: c.scenario.kind, persona: c.scenario.persona, repeat: c.repeat, seed: c.seed,
      outcome: c.outcome, ...(accepted ? { accepted } : {}), ...(c.error ? { agent_error: c.error } : {}),
      listener: c.listener.map((l) => ({ turn: l.at + 1, signal: l.signal, ...(l.revealed.length ? { revealed: l.revealed } : {}) })),
      metrics: { ...figures, clarifying_questions: questions.length, questions_that_changed_next: questions.filter((q) => q.changed).length, recommending_turns: recommending.length },
    };
    return { conversation: c, metrics, metadata };
  });
  writeAtomic(files.transcripts, measured.map((m) => `${JSON.stringify({ id: m.conversation.id, messages: m.conversation.messages, metadata: m.metadata })}\n`).join(''));
  writeJson(files.metrics, metricsReport(config.label, simulationHash(sim), measured.map((m) => ({ id: m.conversation.id, metadata: m.metadata, metrics: m.metrics })), mockListener));
  const summary = summarize(config.label, measured.map((m) => ({ scenario: m.conversation.scenario.id, kind: m.conversation.scenario.kind, persona: m.conversation.scenario.persona, metrics: m.metrics })), catalogue.length, mockListener, config.seed);
  writeJson(files.summary, summary);
  return { finished: done.length, summary };
}
