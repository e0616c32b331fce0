/** A problem found in the user's input, as data. Loaders collect these; the CLI prints them once. */
export type DiagnosticCode =
  | 'config/not-found'
  | 'config/invalid'
  | 'config/unknown-key'
  | 'config/no-match'
  | 'config/missing-key'
  | 'config/judge-setup'
  | 'yaml/syntax'
  | 'json/syntax'
  | 'file/unreadable'
  | 'file/encoding'
  | 'file/too-deep'
  | 'rubric/invalid'
  | 'rubric/unknown-key'
  | 'rubric/anchors'
  | 'rubric/duplicate-id'
  | 'transcript/invalid'
  | 'transcript/unknown-key'
  | 'transcript/duplicate-id'
  | 'transcript/orphan-tool-result'
  | 'transcript/empty'
  | 'transcript/no-assistant-turn'
  | 'journal/mismatch'
  | 'run/locked'
  | 'review/conflict'
  | 'transcript/too-long'
  | 'transcript/unsupported-file'
  | 'transcript/read-past'
  | 'journal/invalid'
  | 'report/invalid'
  | 'report/newer-format'
  | 'report/incomparable'
  | 'usage/invalid'
  | 'ratings/ragged-row'
  | 'ratings/not-numeric'
  | 'ratings/one-rater'
  | 'ratings/duplicate'
  | 'ratings/invalid'
  | 'simulate/invalid'
  | 'simulate/unknown-key'
  | 'simulate/journal';

export interface Diagnostic {
  code: DiagnosticCode;
  severity: 'error' | 'warning';
  file: string;
  line?: number;
  column?: number;
  /** Field path inside the file, e.g. ['criteria', 2, 'anchors']. */
  path: (string | number)[];
  /** What is wrong. */
  message: string;
  /** What would be right. */
  expected?: string;
  /** How to fix it, e.g. "did you mean `anchors`?" */
  hint?: string;
  /** The source line, for a code frame. */
  source?: string;
}

export type Loaded<T> = { ok: true; value: T; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** Thrown by api.ts when input is bad; carries every problem found, not just the first. */
export class InputError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.file}: ${d.message}`).join('\n'));
    this.name = 'InputError';
    this.diagnostics = diagnostics;
  }
}

/** Thrown when the run itself cannot go on (judges unreachable, keys missing at run time). Exit code 3. */
export class RunError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunError';
  }
}

export function formatPath(path: (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}
