import path from 'node:path';
import { formatPath, type Diagnostic } from '../../diagnostics/diagnostic.js';

/** Renders diagnostics as `file:line:col  code`, the message, a code frame, and what was expected. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], cwd = process.cwd()): string {
  const blocks = diagnostics.map((d) => {
    const file = path.isAbsolute(d.file) ? path.relative(cwd, d.file) || d.file : d.file;
    const where = `${file}${d.line ? `:${d.line}` : ''}${d.line && d.column ? `:${d.column}` : ''}`;
    const lines = [`${where}  ${d.code}`];
    const field = d.path.length ? ` (at ${formatPath(d.path)})` : '';
    lines.push(`  ${d.severity === 'error' ? '✖' : '⚠'} ${d.message}${field}`);
    if (d.source !== undefined && d.line) {
      const gutter = String(d.line);
      lines.push(`  > ${gutter} | ${d.source}`);
      if (d.column) lines.push(`    ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, d.column - 1))}^`);
    }
    if (d.expected) lines.push(`  expected: ${d.expected}`);
    if (d.hint) lines.push(`  hint: ${d.hint}`);
    return lines.join('\n');
  });
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  blocks.push(`${errors} error${errors === 1 ? '' : 's'} found`);
  return `${blocks.join('\n\n')}\n`;
}
