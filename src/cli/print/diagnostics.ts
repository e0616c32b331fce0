import path from 'node:path';
import { formatPath, type Diagnostic } from '../../diagnostics/diagnostic.js';

/** At most this many problems are printed per file; the rest are counted. */
export const MAX_PER_FILE = 20;
/** A code frame shows at most this many characters of its line, around the column. */
export const FRAME_WIDTH = 200;

/** Renders diagnostics as `file:line:col  code`, the message, a code frame, and what was expected. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], cwd = process.cwd()): string {
  const shown = new Map<string, number>();
  const hidden = new Map<string, number>();
  const blocks: string[] = [];
  for (const d of diagnostics) {
    const file = path.isAbsolute(d.file) ? path.relative(cwd, d.file) || d.file : d.file;
    const count = shown.get(file) ?? 0;
    if (count >= MAX_PER_FILE) {
      hidden.set(file, (hidden.get(file) ?? 0) + 1);
      continue;
    }
    shown.set(file, count + 1);
    blocks.push(formatOne(d, file));
  }
  for (const [file, n] of hidden) blocks.push(`${file}: ${n} more problem${n === 1 ? '' : 's'} not shown (the first ${MAX_PER_FILE} are above)`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  blocks.push(`${errors} error${errors === 1 ? '' : 's'} found`);
  return `${blocks.join('\n\n')}\n`;
}

function formatOne(d: Diagnostic, file: string): string {
  const where = `${file}${d.line ? `:${d.line}` : ''}${d.line && d.column ? `:${d.column}` : ''}`;
  const lines = [`${where}  ${d.code}`];
  const field = d.path.length ? ` (at ${formatPath(d.path)})` : '';
  lines.push(`  ${d.severity === 'error' ? '✖' : '⚠'} ${d.message}${field}`);
  if (d.source !== undefined && d.line) {
    const gutter = String(d.line);
    const frame = frameWindow(d.source, d.column ?? 1);
    lines.push(`  > ${gutter} | ${frame.text}`);
    if (d.column) lines.push(`    ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, frame.column - 1))}^`);
  }
  if (d.expected) lines.push(`  expected: ${d.expected}`);
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join('\n');
}

/**
 * At most FRAME_WIDTH characters of a source line around `column` (1-based), with … where it was cut, and the
 * column within the window: a JSONL line can be megabytes long, and echoing it whole buries the message.
 */
export function frameWindow(source: string, column: number): { text: string; column: number } {
  if (source.length <= FRAME_WIDTH) return { text: source, column };
  const at = Math.min(Math.max(column - 1, 0), source.length);
  const start = Math.max(0, Math.min(at - Math.floor(FRAME_WIDTH / 2), source.length - FRAME_WIDTH));
  const end = start + FRAME_WIDTH;
  const before = start > 0 ? '…' : '';
  const after = end < source.length ? '…' : '';
  return { text: `${before}${source.slice(start, end)}${after}`, column: at - start + 1 + before.length };
}
