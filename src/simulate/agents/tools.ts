import { CATALOGUE_TOOLS, searchCatalogue, type SearchArgs, type Track } from '../catalogue.js';
import { AgentError } from './contract.js';
import { withDeadline } from '../deadline.js';

/** Where an OpenAI-compatible agent's tool calls go: the mock catalogue, or the user's HTTP tool server. */
export interface ToolBox {
  /** The tools offered to the model, in OpenAI's function format. */
  definitions(): Promise<unknown[]>;
  /** Runs one call; a failing tool is a result the agent sees (`is_error`), not the end of the conversation. */
  call(name: string, args: string, signal: AbortSignal): Promise<{ content: string; is_error?: true }>;
}

export function catalogueTools(tracks: readonly Track[]): ToolBox {
  return {
    definitions: async () => CATALOGUE_TOOLS,
    async call(name, args) {
      if (name !== 'search_catalogue') return { content: JSON.stringify({ error: `unknown tool ${name}` }), is_error: true };
      let parsed: SearchArgs;
      try {
        parsed = JSON.parse(args || '{}') as SearchArgs;
      } catch {
        return { content: JSON.stringify({ error: 'the arguments are not JSON' }), is_error: true };
      }
      return { content: JSON.stringify(searchCatalogue(tracks, parsed)) };
    },
  };
}

/**
 * A tool server: `GET <url>` lists its tools (an array in OpenAI's function format), `POST <url>/<name>` runs one
 * with the call's arguments as the JSON body and answers with the result.
 */
export function httpTools(url: string, timeoutMs: number): ToolBox {
  const base = url.replace(/\/+$/, '');
  let listed: Promise<unknown[]> | undefined;
  return {
    definitions: () =>
      (listed ??= (async () => {
        const response = await fetch(base, { signal: AbortSignal.timeout(timeoutMs) }).catch((error: Error) => {
          throw new AgentError(`the tool server at ${base} cannot be reached: ${(error as Error & { cause?: Error }).cause?.message ?? error.message}`);
        });
        const value = (await response.json().catch(() => undefined)) as unknown;
        if (!response.ok || !Array.isArray(value)) throw new AgentError(`the tool server at ${base} did not list its tools (GET ${base} should answer a JSON array of OpenAI function tools; it answered ${response.status})`);
        return value;
      })()),
    async call(name, args, signal) {
      try {
        return await withDeadline(signal, timeoutMs, async (deadline) => {
          const response = await fetch(`${base}/${encodeURIComponent(name)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: args || '{}', signal: deadline });
          const text = await response.text();
          return response.ok ? { content: text } : { content: text || `status ${response.status}`, is_error: true as const };
        });
      } catch (error) {
        if (signal.aborted) throw error;
        return { content: JSON.stringify({ error: `the tool server failed: ${(error as Error).message}` }), is_error: true };
      }
    },
  };
}
