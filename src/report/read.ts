import { readText } from '../config/read-text.js';
import { InputError } from '../diagnostics/diagnostic.js';
import { checkReport } from './check.js';
import { REPORT_FORMAT, type Report } from './report.js';

/** Reads a report.json, refusing other files, newer format versions and reports that contradict themselves. */
export async function readReport(file: string): Promise<Report> {
  const read = await readText(file);
  if (!read.ok) throw new InputError(read.diagnostics);
  let value: Partial<Report>;
  try {
    value = JSON.parse(read.text) as Partial<Report>;
  } catch (error) {
    throw new InputError([{ code: 'report/invalid', severity: 'error', file, path: [], message: `not JSON: ${(error as Error).message.split(' in JSON')[0]}`, expected: 'a report.json written by jury run' }]);
  }
  if (value.format !== REPORT_FORMAT.format) {
    throw new InputError([{ code: 'report/invalid', severity: 'error', file, path: ['format'], message: 'not a jury report', expected: `"format": "${REPORT_FORMAT.format}"` }]);
  }
  if (typeof value.version !== 'number' || value.version > REPORT_FORMAT.version) {
    throw new InputError([{ code: 'report/newer-format', severity: 'error', file, path: ['version'], message: `report format v${value.version} is newer than this jury reads (v${REPORT_FORMAT.version})`, hint: 'upgrade jury' }]);
  }
  if (!Array.isArray(value.items) || !Array.isArray(value.criteria) || !value.run) {
    throw new InputError([{ code: 'report/invalid', severity: 'error', file, path: [], message: 'the report has no items, criteria or run section', expected: 'a report.json written by jury run' }]);
  }
  // Schema, scales and summaries recomputed from the items: a hand-edited report is refused, never gated.
  const problems = checkReport(value, file);
  if (problems.length) throw new InputError(problems);
  return value as Report;
}
