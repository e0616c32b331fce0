import { spawn } from 'node:child_process';
import { AgentError, readAgentReply, type Agent } from './contract.js';

const MAX_OUTPUT = 16 * 1024 * 1024;

/** An agent run as a local command per turn: the request as JSON on stdin, the reply as JSON on stdout. */
export function commandAgent(command: readonly string[], cwd: string, timeoutMs: number): Agent {
  const name = `the agent command (${command.join(' ')})`;
  return {
    respond: (request, signal) =>
      new Promise((resolve, reject) => {
        const child = spawn(command[0]!, command.slice(1), { cwd, stdio: ['pipe', 'pipe', 'pipe'], signal });
        const out: Buffer[] = [];
        let size = 0;
        let err = '';
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new AgentError(`${name} did not answer within ${timeoutMs / 1000} s`, true));
        }, timeoutMs);
        child.stdout.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_OUTPUT) child.kill('SIGKILL');
          else out.push(chunk);
        });
        child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString('utf8')).slice(-2000)));
        child.on('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          reject(error.name === 'AbortError' ? error : new AgentError(error.code === 'ENOENT' ? `${name} cannot be started: ${command[0]} not found` : `${name} cannot be started: ${error.message}`));
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          if (size > MAX_OUTPUT) return reject(new AgentError(`${name} wrote more than ${MAX_OUTPUT} bytes`));
          if (code !== 0) return reject(new AgentError(`${name} exited with code ${code}${err.trim() ? `: ${err.trim().split('\n').slice(-3).join(' | ')}` : ''}`));
          const text = Buffer.concat(out).toString('utf8');
          try {
            resolve(readAgentReply(JSON.parse(text), name));
          } catch (error) {
            reject(error instanceof AgentError ? error : new AgentError(`${name} wrote something that is not JSON on stdout: ${text.slice(0, 120)}`));
          }
        });
        // A command that exits without reading its input is its own business; the reply decides.
        child.stdin.on('error', () => undefined);
        child.stdin.end(JSON.stringify(request));
      }),
  };
}
