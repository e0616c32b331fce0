import type { Gates } from '../config/config.js';
import type { ReportHead } from '../report/report.js';
import type { GateCheck } from './gate.js';

// The gates of a pairwise run: the candidate's win rate not ruled below a floor, and no criterion lost for sure.

const fmt = (x: number | null) => (x === null ? 'undefined' : String(Math.round(x * 1000) / 1000));

/** Most specific threshold first: `rubric/criterion`, the criterion id, then `*`. */
function thresholdOf(table: Record<string, number>, rubric: string, criterion: string): number | undefined {
  return table[`${rubric}/${criterion}`] ?? table[criterion] ?? table['*'];
}

export function pairwiseChecks(report: ReportHead, gates: Gates): GateCheck[] {
  const wanted = [gates.min_win_rate && Object.keys(gates.min_win_rate).length ? 'min_win_rate' : undefined, gates.no_significant_loss ? 'no_significant_loss' : undefined].filter((g): g is 'min_win_rate' | 'no_significant_loss' => g !== undefined);
  if (wanted.length === 0) return [];
  const pw = report.pairwise;
  if (!pw) {
    return wanted.map((gate) => ({ gate, subject: 'report', passed: false, actual: null, threshold: gate === 'min_win_rate' ? 0 : gates.significance, message: `${gate} gates pairwise runs (jury run --pairwise), and this report scores one dataset: nothing could be checked` }));
  }
  const checks: GateCheck[] = [];
  for (const c of pw.criteria) {
    const subject = `${c.rubric}/${c.criterion}`;
    const floor = gates.min_win_rate ? thresholdOf(gates.min_win_rate, c.rubric, c.criterion) : undefined;
    if (floor !== undefined) {
      const { value, ci } = c.win_rate;
      // Fails only when the data rule the floor out (the interval lies wholly below it); no interval, no pass.
      const passed = ci !== null && ci.high >= floor;
      const message = value === null ? `no win rate (${c.win_rate.reason ?? 'no pair judged'}): the floor could not be checked`
        : ci === null ? `win rate ${fmt(value)} has no interval: the floor could not be checked`
        : `${pw.candidate} win rate ${fmt(value)} (95% CI ${fmt(ci.low)}–${fmt(ci.high)}) ${passed ? 'does not rule out' : 'is below'} ${floor}`;
      checks.push({ gate: 'min_win_rate', subject, passed, actual: value, threshold: floor, message });
    }
    if (gates.no_significant_loss) {
      const p = c.sign_test.p_holm;
      const lost = p !== null && p < gates.significance && c.losses > c.wins;
      const message = c.pairs === 0 ? 'no pair has a panel verdict: a loss could not be ruled out'
        : p === null ? `no decisive pair (${c.ties} ties): no loss`
        : `${c.wins} wins, ${c.ties} ties, ${c.losses} losses for ${pw.candidate}; sign test Holm p ${p < 0.001 ? '<0.001' : fmt(p)}${lost ? `: ${pw.base} is significantly better` : ''}`;
      checks.push({ gate: 'no_significant_loss', subject, passed: c.pairs > 0 && !lost, actual: p, threshold: gates.significance, message });
    }
  }
  if (checks.length === 0) {
    checks.push({ gate: 'min_win_rate', subject: 'report', passed: false, actual: null, threshold: 0, message: 'min_win_rate names no criterion of this report: nothing was checked' });
  }
  return checks;
}
