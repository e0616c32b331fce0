import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'dist/jury.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * A clean environment for the CLI: no key from the developer's shell can leak in, and nothing points the
 * SDKs at a remote host.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), NO_COLOR: '1', ...extra };
}

/** Starts the built CLI as a user would; asynchronous so an in-process test server keeps serving. */
export function startCli(args: string[], options: { cwd: string; env?: Record<string, string> }): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return startCli(args, options).done;
}

/** A temp folder holding a copy of the shipped rubrics and datasets, and the given jury.yaml. */
export function workspace(config?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'jury-test-'));
  cpSync(path.join(ROOT, 'rubrics'), path.join(dir, 'rubrics'), { recursive: true });
  cpSync(path.join(ROOT, 'datasets'), path.join(dir, 'datasets'), { recursive: true });
  writeFileSync(path.join(dir, 'jury.yaml'), config ?? '');
  if (config === undefined) cpSync(path.join(ROOT, 'jury.yaml'), path.join(dir, 'jury.yaml'));
  return dir;
}
