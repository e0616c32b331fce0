import { readFile } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { decodeUtf8 } from '../diagnostics/source.js';

/** Reads a UTF-8 text file, turning a missing or undecodable file into a diagnostic. */
export async function readText(file: string): Promise<{ ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot read the file (${code ?? 'unknown error'})`;
    return { ok: false, diagnostics: [{ code: 'file/unreadable', severity: 'error', file, path: [], message }] };
  }
  const decoded = decodeUtf8(file, bytes);
  return decoded.ok ? decoded : { ok: false, diagnostics: [decoded.diagnostic] };
}
