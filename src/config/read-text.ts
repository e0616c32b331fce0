import { readFile } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { decodeUtf8 } from '../diagnostics/source.js';

/** Reads a UTF-8 text file, turning a missing or undecodable file into a diagnostic. */
export async function readText(file: string): Promise<{ ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { ok: false, diagnostics: [unreadable(file, error)] };
  }
  const decoded = decodeUtf8(file, bytes);
  return decoded.ok ? decoded : { ok: false, diagnostics: [decoded.diagnostic] };
}

/** A file that cannot be read, said in words (missing, a folder, or the system's error code). */
export function unreadable(file: string, error: unknown): Diagnostic {
  const code = (error as NodeJS.ErrnoException).code;
  const message = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot read the file (${code ?? 'unknown error'})`;
  return { code: 'file/unreadable', severity: 'error', file, path: [], message };
}

/**
 * Reads and parses every file, collecting every problem rather than stopping at the first: each loader
 * (rubrics, transcripts, labels) differs only in how one file's text is parsed.
 */
export async function parseEach<T>(files: readonly string[], parse: (file: string, text: string) => { ok: true; value: T[] } | { ok: false; diagnostics: Diagnostic[] }): Promise<{ values: T[]; diagnostics: Diagnostic[] }> {
  const values: T[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const read = await readText(file);
    if (!read.ok) {
      diagnostics.push(...read.diagnostics);
      continue;
    }
    const parsed = parse(file, read.text);
    if (parsed.ok) values.push(...parsed.value);
    else diagnostics.push(...parsed.diagnostics);
  }
  return { values, diagnostics };
}
