import type { JudgeConfig } from '../config/config.js';
import type { Capabilities, StructuredMode } from '../judges/openai-probe.js';
import { textTable } from './table.js';

/** One judge's line of `jury probe`. */
export interface ProbeRow {
  judge: string;
  provider: JudgeConfig['provider'];
  model: string;
  endpoint: string;
  /** Present when the endpoint was probed (and answered). */
  capabilities?: Capabilities;
  /** What jury.yaml says (`auto` included). */
  configured: NonNullable<JudgeConfig['structured_output']>;
  /** What a run would ask for, or how verdicts are constrained where nothing is probed. */
  used: StructuredMode | 'tool use' | 'grammar' | 'simulated';
  /** Why a row has no capabilities, or a mismatch worth fixing. */
  note?: string;
}

const mark = (value: boolean | undefined) => (value === undefined ? '–' : value ? 'yes' : 'no');

/** `jury probe`'s table: one row per judge, what its endpoint honours and the mode a run uses; notes below. */
export function renderProbe(rows: readonly ProbeRow[]): string {
  const table = textTable(
    ['judge', 'endpoint', 'model', 'json_schema', 'tools', 'json_object', 'logprobs', 'configured', 'used'],
    rows.map((r) => [r.judge, r.endpoint, r.model, mark(r.capabilities?.json_schema), mark(r.capabilities?.tools), mark(r.capabilities?.json_object), mark(r.capabilities?.logprobs), r.configured, r.used]),
  );
  const notes = rows.filter((r) => r.note).map((r) => `${r.judge}: ${r.note}`);
  return `${table}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`;
}
