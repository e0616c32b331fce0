import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../format/canonical-json.js';

/** Report numbers are rounded to this many decimals so that reruns and platforms give the same bytes. */
export const REPORT_DECIMALS = 4;

/** Writes a file whole or not at all: temp file in the same folder, then rename. */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/** Deterministic JSON: sorted keys, fixed rounding, two-space indent, a final newline. */
export function writeJson(file: string, value: unknown): void {
  writeAtomic(file, `${canonicalJson(value, { decimals: REPORT_DECIMALS, indent: 2 })}\n`);
}
