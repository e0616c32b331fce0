/** What a command may touch of the outside world; tests pass their own. */
export interface CliContext {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /** Set by a command whose quality gate failed: exit code 1. */
  gateFailed?: boolean;
  /** Set by a run stopped with Ctrl-C: exit code 130, as shells expect after SIGINT. */
  interrupted?: boolean;
}
