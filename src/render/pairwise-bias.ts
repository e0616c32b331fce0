import type { PairwiseBias } from '../calibrate/pairwise-bias.js';
import type { Stat } from '../stats/stat.js';
import { textTable } from './table.js';

// `jury bias` on a pairwise report: position and length, one row per judge, then what the intervals support.

const share = (s: Stat) => (s.value === null ? '–' : `${s.value.toFixed(2)}${s.ci ? ` [${s.ci.low.toFixed(2)}, ${s.ci.high.toFixed(2)}]` : ''}`);
const beyondHalf = (s: Stat) => s.ci !== null && (s.ci.low > 0.5 || s.ci.high < 0.5);

export function pairwiseText(p: PairwiseBias, md: boolean): string[] {
  const header = ['judge', 'same verdict both orders [95% CI]', 'first shown picked [95% CI]', 'longer picked [95% CI]', 'decisive on unequal pairs'];
  const rows = p.position.map((pos) => {
    const len = p.length.find((l) => l.judge === pos.judge)!;
    return [pos.judge, share(pos.consistency), share(pos.first_preference), share(len.longer_preferred), String(len.longer_preferred.decisive)];
  });
  const table = md
    ? [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
    : textTable(header, rows, new Set([4]));
  const findings: string[] = [];
  for (const pos of p.position) {
    if (beyondHalf(pos.first_preference)) findings.push(`${pos.judge} picks the conversation shown ${pos.first_preference.value! > 0.5 ? 'first' : 'second'} in ${Math.round(100 * Math.max(pos.first_preference.value!, 1 - pos.first_preference.value!))}% of its decisive verdicts, beyond what chance allows: position bias.`);
    if (pos.consistency.value !== null && pos.consistency.value < 0.5) findings.push(`${pos.judge} gives the same verdict in both orders on fewer than half the pairs (${pos.consistency.value.toFixed(2)}): its verdicts say more about position than about the conversations.`);
  }
  for (const len of p.length) {
    if (beyondHalf(len.longer_preferred)) {
      const longer = len.longer_preferred.value! > 0.5;
      findings.push(`${len.judge} picks the ${longer ? 'longer' : 'shorter'} conversation in ${Math.round(100 * (longer ? len.longer_preferred.value! : 1 - len.longer_preferred.value!))}% of its decisive verdicts on pairs of unequal length; without people's votes on the same pairs this cannot tell a length bias from ${longer ? 'longer' : 'shorter'} conversations being better.`);
    }
  }
  if (p.people) {
    const people = p.people;
    findings.push(people.value === null ? `people's votes: ${people.reason ?? 'none'}.` : `people picked the longer conversation in ${Math.round(100 * people.value)}% of their ${people.decisive} decisive votes on pairs of unequal length${people.ci ? ` (95% CI ${Math.round(100 * people.ci.low)}–${Math.round(100 * people.ci.high)}%)` : ''}.`);
    for (const len of p.length) {
      const j = len.longer_preferred;
      if (j.ci && people.ci && (j.ci.low > people.ci.high || j.ci.high < people.ci.low)) findings.push(`${len.judge} picks the longer conversation ${j.ci.low > people.ci.high ? 'more' : 'less'} often than people do (${share(j)} against ${share(people)}): a length ${j.ci.low > people.ci.high ? 'bias' : 'aversion'} beyond what people show.`);
    }
  }
  const lengths = p.candidate_longer === null ? 'every pair has conversations of equal length: length bias cannot be measured' : `${p.unequal_pairs} pairs differ in length; the candidate's conversation is the longer in ${Math.round(100 * p.candidate_longer)}% of them`;
  const title = `Position and length (${p.candidate} against ${p.base})`;
  return [md ? `### ${title}` : title, '', table, '', ...[...findings, `${lengths}.`].map((f) => (md ? `- ${f}` : `  ${f}`))];
}
