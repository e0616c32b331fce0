/** What a command may touch of the outside world; tests pass their own. */
export interface CliContext {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /** Set by a command whose quality gate failed: exit code 1. */
  gateFailed?: boolean;
  /** Set by a run stopped by a signal: its exit code, as shells expect (SIGINT 130, SIGTERM 143, SIGHUP 129). */
  interrupted?: 130 | 143 | 129;
}
