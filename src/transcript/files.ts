import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import { unreadable } from '../config/read-text.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { decodeUtf8 } from '../diagnostics/source.js';

/** How a dataset file is read: line by line (JSONL), or whole (JSON, YAML); gzipped or not. */
export type FileKind = { lines: boolean; gzip: boolean };

const READ = '.jsonl, .json, .yaml or .yml (each may be gzipped: .jsonl.gz)';

/** The kind of a dataset file from its name, or the one error that says what jury reads and what to use instead. */
export function fileKind(file: string): FileKind | Diagnostic {
  const gzip = /\.gz$/i.test(file);
  const name = gzip ? file.slice(0, -3) : file;
  if (/\.jsonl$/i.test(name)) return { lines: true, gzip };
  if (/\.(json|ya?ml)$/i.test(name)) return { lines: false, gzip };
  const ext = path.extname(name).toLowerCase();
  const instead: Record<string, string> = {
    '.csv': 'a CSV of ratings is labels (`jury calibrate --labels`) or judgments made elsewhere (`jury import verdicts`)',
    '.tsv': 'a TSV of ratings is labels (`jury calibrate --labels`) or judgments made elsewhere (`jury import verdicts`)',
    '.txt': 'plain text has no turns: write one JSON object per conversation (see README, "Transcripts")',
  };
  return {
    code: 'transcript/unsupported-file',
    severity: 'error',
    file,
    path: [],
    message: `\`${path.basename(file)}\` is not a transcript file jury reads${ext ? ` (${ext})` : ''}`,
    expected: `transcripts in ${READ}`,
    hint: `${instead[ext] ? `${instead[ext]}; ` : ''}logs in other shapes come in with \`jury import otel\` (OpenTelemetry GenAI traces), \`jury import crsarena-dial\` or \`jury import ab-redial\``,
  };
}

/** The text of a whole-file dataset (JSON, YAML), gunzipped when it is. */
export async function readWhole(file: string, kind: FileKind): Promise<{ ok: true; text: string } | { ok: false; diagnostic: Diagnostic }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { ok: false, diagnostic: unreadable(file, error) };
  }
  if (kind.gzip) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      return { ok: false, diagnostic: notGzip(file, error) };
    }
  }
  const decoded = decodeUtf8(file, bytes);
  return decoded.ok ? decoded : { ok: false, diagnostic: decoded.diagnostic };
}

/**
 * A gzipped JSONL file, unpacked as a stream into a private temporary folder: the run reads transcripts back by
 * their byte position, which a gzip stream cannot seek to. `remove` deletes the copy.
 */
export async function gunzipToTemp(file: string): Promise<{ ok: true; path: string; remove: () => void } | { ok: false; diagnostic: Diagnostic }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'jury-dataset-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const out = path.join(dir, path.basename(file, path.extname(file)));
  try {
    await pipeline(createReadStream(file), createGunzip(), createWriteStream(out));
    return { ok: true, path: out, remove };
  } catch (error) {
    remove();
    return { ok: false, diagnostic: (error as NodeJS.ErrnoException).code?.startsWith('Z_') ? notGzip(file, error) : unreadable(file, error) };
  }
}

function notGzip(file: string, error: unknown): Diagnostic {
  return { code: 'file/encoding', severity: 'error', file, path: [], message: `not a readable gzip file (${(error as Error).message})`, expected: 'a file written by gzip, or the name without .gz' };
}
