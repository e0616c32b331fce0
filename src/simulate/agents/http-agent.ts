import { AgentError, readAgentReply, type Agent } from './contract.js';
import { withDeadline } from '../deadline.js';

/** An agent behind an HTTP endpoint: POST the request as JSON, read the reply as JSON. 429 and 5xx are transient. */
export function httpAgent(url: string, timeoutMs: number, headers: Record<string, string> = {}): Agent {
  const name = `the agent at ${url}`;
  return {
    async respond(request, signal) {
      let response: Response;
      let text: string;
      try {
        [response, text] = await withDeadline(signal, timeoutMs, async (deadline) => {
          const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(request), signal: deadline });
          return [answer, await answer.text()] as const;
        });
      } catch (error) {
        if (signal.aborted) throw error;
        const timedOut = (error as Error).name === 'TimeoutError';
        throw new AgentError(timedOut ? `${name} did not answer within ${timeoutMs / 1000} s` : `${name} cannot be reached: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`, true);
      }
      if (!response.ok) throw new AgentError(`${name} answered ${response.status}: ${text.slice(0, 200)}`, response.status === 429 || response.status >= 500);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new AgentError(`${name} answered with something that is not JSON: ${text.slice(0, 120)}`);
      }
      return readAgentReply(value, name);
    },
  };
}
