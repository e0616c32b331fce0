import type { Report } from '../../report/report.js';
import { pairwiseFinding } from '../pairwise.js';
import { escapeHtml as h, num } from './escape.js';

// The head-to-head section of a pairwise report's page: who won each criterion, each judge's position bias, and
// the pairs the candidate lost most clearly with what every judge said (reasoning is transcript-derived: escaped).

const stat = (s: { value: number | null; ci: { low: number; high: number } | null }) => (s.value === null ? '–' : `${num(s.value)}${s.ci ? ` [${num(s.ci.low)}, ${num(s.ci.high)}]` : ''}`);
const p = (x: number | null) => (x === null ? '–' : x < 0.001 ? '<0.001' : num(x, 3));

export function pairwiseSection(report: Report): string {
  const pw = report.pairwise!;
  const names = { base: pw.base, candidate: pw.candidate };
  const rows = pw.criteria.map((c) => {
    const finding = pairwiseFinding(c, names);
    const cls = finding.startsWith(pw.candidate) ? 'improved' : finding.startsWith(pw.base) ? 'regressed' : 'unchanged';
    return `<tr data-criterion="${h(`${c.rubric}/${c.criterion}`)}"><td>${h(`${c.rubric}/${c.criterion}`)}</td><td class="num">${c.pairs}</td><td class="num">${c.wins}</td><td class="num">${c.ties}</td><td class="num">${c.losses}</td><td class="num">${stat(c.win_rate)}</td><td class="num">${p(c.sign_test.p_holm)}</td><td class="num">${num(c.agreement.alpha.value, 3)}</td><td class="${cls}">${h(finding)}</td></tr>`;
  }).join('');
  const position = pw.position.map((j) => `<tr><td>${h(j.judge)}</td><td class="num">${stat(j.consistency)}</td><td class="num">${j.consistency.pairs}</td><td class="num">${stat(j.first_preference)}</td><td class="num">${j.first_preference.decisive}</td></tr>`).join('');
  const losses = pw.criteria.flatMap((c) => c.largest_losses.map((l) => `<li><a href="#item=${encodeURIComponent(l.item)}">${h(l.item)}</a> ${h(`${c.rubric}/${c.criterion}`)} (preference ${num(l.preference)})<ul>${l.verdicts.map((v) => `<li>${h(v.judge)} [${h(v.order === 'ab' ? `${pw.base} shown first` : `${pw.candidate} shown first`)}] ${h(v.label)} → ${h(v.prefers)}: ${h(v.reasoning)}${v.cited.base.length || v.cited.candidate.length ? ` <span class="note">(cites ${h(pw.base)} ${v.cited.base.join(', ') || '–'}; ${h(pw.candidate)} ${v.cited.candidate.join(', ') || '–'})</span>` : ''}</li>`).join('')}</ul></li>`)).join('');
  return `<section id="pairwise" aria-labelledby="pairwise-title"><h2 id="pairwise-title">${h(pw.candidate)} against ${h(pw.base)}, head to head</h2>
<p>${pw.orders === 'imported' ? 'Verdicts imported already combined (the order each pair was shown in is not known)' : `Each pair judged ${pw.orders === 'both' ? 'in both orders' : `in one order (seed ${pw.seed})`}`}; a judge whose winner changes with the order counts a tie. Win rate: wins + ties / 2 over pairs, with a 95% BCa interval; p: exact sign test, Holm-adjusted across the criteria with a decisive pair.</p>
<table id="pairwise-table"><thead><tr><th>criterion</th><th class="num">pairs</th><th class="num">${h(pw.candidate)} wins</th><th class="num">ties</th><th class="num">losses</th><th class="num">win rate [95% CI]</th><th class="num">p (Holm)</th><th class="num">alpha</th><th>finding</th></tr></thead><tbody>${rows}</tbody></table>
<table id="position-table"><caption class="note">Position: the same verdict in both orders, and the conversation shown first picked (0.50 when position does not matter)</caption><thead><tr><th>judge</th><th class="num">consistency [95% CI]</th><th class="num">swapped pairs</th><th class="num">first shown picked [95% CI]</th><th class="num">decisive</th></tr></thead><tbody>${position}</tbody></table>
<h3>Largest losses</h3>${losses ? `<ol id="losses">${losses}</ol>` : `<p class="note">${h(pw.candidate)} lost no pair.</p>`}</section>`;
}
