import type { Llama, LlamaContext, LlamaGrammar, LlamaModel } from 'node-llama-cpp';
import type { JudgeConfig } from '../config/config.js';
import { grammarSchema } from './llama-grammar.js';
import { SetupError, type Failure, type ProviderFactory } from './provider.js';
import { userText, type JudgeRequest } from './request.js';

/** The exact version jury is tested with; the error for a missing install names it. */
export const NODE_LLAMA_CPP_VERSION = '3.21.1';
const DEFAULT_CONTEXT = 8192;
const DEFAULT_REASONING_CHARS = 1500;
/** Room for the chat template's own tokens around the system and user messages. */
const TEMPLATE_TOKENS = 64;

class ContextTooSmall extends Error {}

type Library = typeof import('node-llama-cpp');
let library: Promise<Library> | undefined;
let runtime: Promise<Llama> | undefined;

/** node-llama-cpp is an optional dependency, loaded only when a llama-cpp judge runs. */
async function loadLibrary(): Promise<Library> {
  try {
    return await import('node-llama-cpp');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new SetupError(`provider llama-cpp needs the optional package node-llama-cpp, which is not installed: run \`npm install node-llama-cpp@${NODE_LLAMA_CPP_VERSION}\``, 'provider');
    }
    throw new SetupError(`node-llama-cpp could not be loaded on this machine: ${(error as Error).message}`, 'provider');
  }
}

/** One llama.cpp runtime per process, shared by every local judge; never builds from source or downloads. */
async function loadRuntime(lib: Library): Promise<Llama> {
  return lib.getLlama({ build: 'never', progressLogs: false, logLevel: lib.LlamaLogLevel.error, logger: () => undefined });
}

interface Loaded {
  model: LlamaModel;
  context: LlamaContext;
  lib: Library;
  llama: Llama;
}

/**
 * A GGUF model run in this process through node-llama-cpp: each call takes one of the context's parallel
 * sequences (max_concurrency of them), so the engine's concurrency is the model's batch. The verdict is generated
 * under a grammar made from the verdict schema: a local model cannot answer off scale or with broken JSON.
 */
export const llamaCpp: ProviderFactory = (judge) => {
  let loading: Promise<Loaded> | undefined;
  const grammars = new WeakMap<object, Map<number, Promise<LlamaGrammar>>>();
  const load = () => (loading ??= loadModel(judge));
  const grammarFor = (loaded: Loaded, request: JudgeRequest): Promise<LlamaGrammar> => {
    let byTurn = grammars.get(request.schema);
    if (!byTurn) grammars.set(request.schema, (byTurn = new Map()));
    let grammar = byTurn.get(request.maxTurn);
    if (!grammar) {
      const schema = grammarSchema(request.schema, { maxTurn: request.maxTurn, reasoningMaxChars: judge.reasoning_max_chars ?? DEFAULT_REASONING_CHARS });
      grammar = loaded.llama.createGrammarForJsonSchema(schema as Parameters<Llama['createGrammarForJsonSchema']>[0]);
      byTurn.set(request.maxTurn, grammar);
    }
    return grammar;
  };
  return {
    simulated: false,
    async prepare() {
      const loaded = await load();
      return { backend: loaded.llama.gpu === false ? 'cpu' : loaded.llama.gpu, gpu_layers: loaded.model.gpuLayers, context_size: loaded.context.contextSize, sequences: loaded.context.totalSequences };
    },
    async judge(request, signal) {
      const loaded = await load();
      const grammar = await grammarFor(loaded, request);
      const user = userText(request);
      // A prompt longer than the context would be cut by node-llama-cpp's context shift: refuse it instead.
      const needed = loaded.model.tokenize(request.system).length + loaded.model.tokenize(user).length + judge.max_tokens + TEMPLATE_TOKENS;
      if (needed > loaded.context.contextSize) {
        throw new ContextTooSmall(`the request needs about ${needed} tokens (prompt and max_tokens), but the context holds ${loaded.context.contextSize}: raise context_size or lower max_tokens`);
      }
      const sequence = loaded.context.getSequence();
      try {
        const session = new loaded.lib.LlamaChatSession({ contextSequence: sequence, systemPrompt: request.system, autoDisposeSequence: false });
        const text = await session.prompt(user, {
          grammar,
          maxTokens: judge.max_tokens,
          signal,
          ...(judge.temperature !== undefined ? { temperature: judge.temperature } : {}),
          // The seed moves with the sample number: k samples of one verdict are k different draws.
          ...(judge.seed !== undefined ? { seed: judge.seed + request.sample } : {}),
        });
        session.dispose({ disposeSequence: false });
        const meter = sequence.tokenMeter;
        return { text, usage: { inputTokens: meter.usedInputTokens, outputTokens: meter.usedOutputTokens, cachedInputTokens: 0 } };
      } finally {
        await sequence.dispose();
      }
    },
    classify(error): Failure {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof Error && error.name === 'AbortError') return { cause: 'aborted', message };
      // A prompt longer than the context cannot fit on a retry either.
      if (error instanceof SetupError || error instanceof ContextTooSmall) return { cause: 'bad_request', message };
      return { cause: 'transient', message };
    },
    async close() {
      if (!loading) return;
      const loaded = await loading.catch(() => undefined);
      await loaded?.context.dispose();
      await loaded?.model.dispose();
    },
  };
};

async function loadModel(judge: JudgeConfig): Promise<Loaded> {
  const lib = await (library ??= loadLibrary());
  const llama = await (runtime ??= loadRuntime(lib));
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: judge.model_path!, gpuLayers: judge.gpu_layers ?? 'auto' });
  } catch (error) {
    throw new SetupError(`${judge.model_path} could not be loaded as a GGUF model: ${(error as Error).message}`, 'model_path');
  }
  try {
    const context = await model.createContext({
      sequences: judge.max_concurrency,
      contextSize: judge.context_size ?? { max: DEFAULT_CONTEXT },
      ...(judge.threads !== undefined ? { threads: judge.threads } : {}),
    });
    return { model, context, lib, llama };
  } catch (error) {
    await model.dispose();
    throw new SetupError(`${judge.model_path}: no context of ${judge.context_size ?? `up to ${DEFAULT_CONTEXT}`} tokens × ${judge.max_concurrency} sequences fits in this machine's memory (${(error as Error).message}); lower context_size or max_concurrency`, 'context_size');
  }
}
