import { parseEach } from '../config/read-text.js';
import type { Loaded } from '../diagnostics/diagnostic.js';
import { parseTranscripts } from './parse.js';
import type { Transcript } from './transcript.js';

/** Loads every transcript file; ids must be unique across the whole dataset. Sorted by id. */
export async function loadDataset(files: string[]): Promise<Loaded<Transcript[]>> {
  const { values: transcripts, diagnostics } = await parseEach(files, parseTranscripts);
  const byId = new Map<string, Transcript>();
  for (const transcript of transcripts) {
    const earlier = byId.get(transcript.id);
    if (earlier) {
      diagnostics.push({ code: 'transcript/duplicate-id', severity: 'error', file: transcript.file, line: transcript.line, path: ['id'], message: `transcript id \`${transcript.id}\` is also used at ${earlier.file}${earlier.line ? `:${earlier.line}` : ''}`, expected: 'a distinct id per transcript' });
    }
    byId.set(transcript.id, transcript);
  }
  if (diagnostics.length) return { ok: false, diagnostics };
  return { ok: true, value: transcripts.sort((a, b) => compareIds(a.id, b.id)), warnings: [] };
}

/** Code-point order, not locale order, so sorting is the same on every machine. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
