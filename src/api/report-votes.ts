import { InputError } from '../diagnostics/diagnostic.js';
import { namesCriterion } from '../format/criterion-name.js';
import type { Vote } from '../ratings/votes.js';
import { readReport } from '../report/read.js';

// A pairwise report as votes for `jury rank`: each pair's panel verdict on a criterion is one battle between the
// base and the candidate, grouped by pair so the bootstrap resamples pairs, not verdicts of one pair apart.

/** True for a file `jury rank` should read as a report rather than a votes table. */
export function isReportFile(file: string): boolean {
  return /\.json$/i.test(file);
}

export async function votesFromReport(file: string, criterion?: string): Promise<Vote[]> {
  const report = await readReport(file);
  const pw = report.pairwise;
  if (!pw) throw new InputError([{ code: 'ratings/invalid', severity: 'error', file, path: ['pairwise'], message: 'this report scores one dataset; it holds no pairwise verdicts', expected: 'the report.json of a `jury run --pairwise`, or a votes file (CSV or JSONL)' }]);
  const named = criterion === undefined ? pw.criteria : pw.criteria.filter((c) => namesCriterion(criterion, c.rubric, c.criterion));
  if (named.length === 0) {
    throw new InputError([{ code: 'ratings/invalid', severity: 'error', file, path: ['--criterion'], message: `no pairwise criterion \`${criterion}\` in this report`, expected: pw.criteria.map((c) => `${c.rubric}/${c.criterion}`).join(', ') }]);
  }
  const wanted = new Set(named.map((c) => `${c.rubric}/${c.criterion}`));
  const votes: Vote[] = [];
  for (const item of report.items) {
    for (const p of item.preferences ?? []) {
      if (p.winner === null || !wanted.has(`${p.rubric}/${p.criterion}`)) continue;
      votes.push({ a: pw.base, b: pw.candidate, outcome: p.winner === 'base' ? 'a' : p.winner === 'candidate' ? 'b' : 'tie', cluster: `${file}\u0000${item.id}` });
    }
  }
  return votes;
}
