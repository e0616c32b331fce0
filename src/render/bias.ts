import type { BiasAudit, CriterionBias, JudgeBias } from '../calibrate/bias.js';
import { pairwiseText } from './pairwise-bias.js';
import { SIMULATED_NOTICE } from '../report/report.js';
import type { Stat } from '../stats/stat.js';
import { textTable } from './table.js';

const num = (x: number, digits = 2) => (Object.is(Math.round(x * 10 ** digits), -0) ? 0 : x).toFixed(digits);
const signed = (x: number) => `${x > 0 ? '+' : ''}${num(x)}`;
const withCi = (s: Stat | undefined) => (!s ? '' : s.value === null ? '–' : `${signed(s.value)}${s.ci ? ` [${signed(s.ci.low)}, ${signed(s.ci.high)}]` : ''}`);

/** Test–retest alpha below this is an unreliable judge by the same rule as the panel's (Krippendorff 2004). */
const RELIABLE = 0.667;

/** `jury bias` output: a table per criterion, then what stands out, in sentences. */
export function renderBias(audit: BiasAudit, format: 'table' | 'md' | 'json'): string {
  if (format === 'json') return `${JSON.stringify({ version: 1, ...audit }, null, 2)}\n`;
  const md = format === 'md';
  const out: string[] = [];
  if (audit.simulated) out.push(md ? `> ${SIMULATED_NOTICE}` : `WARNING: ${SIMULATED_NOTICE}`, '');
  if (audit.pairwise) out.push(...pairwiseText(audit.pairwise, md), '');
  for (const c of audit.criteria) out.push(...criterionText(c, md), '');
  out.push(footnote(audit, md));
  return `${out.join('\n').trimEnd()}\n`;
}

function criterionText(c: CriterionBias, md: boolean): string[] {
  const numeric = c.judges.some((j) => j.leniency);
  const retest = c.judges.some((j) => j.test_retest);
  const header = ['judge', 'model', 'verdicts', 'scale used', 'entropy (bits)', ...(numeric ? ['leniency [95% CI]', 'own-family lift [95% CI]'] : []), ...(retest ? ['test–retest alpha'] : [])];
  const rows = c.judges.map((j) => [
    j.judge,
    j.model,
    String(j.verdicts),
    `${j.scale_used.points} of ${j.scale_used.of}`,
    j.entropy === null ? '–' : num(j.entropy),
    ...(numeric ? [withCi(j.leniency), j.self_preference?.value === null ? '–' : withCi(j.self_preference)] : []),
    ...(retest ? [j.test_retest ? (j.test_retest.alpha === null ? '–' : num(j.test_retest.alpha, 3)) : ''] : []),
  ]);
  const title = `${c.rubric}/${c.criterion}`;
  const table = md
    ? [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`)].join('\n')
    : textTable(header, rows, new Set([2, 4]));
  const findings = [...c.judges.flatMap((j) => findingsOf(j, c)), ...unmeasured(c)];
  return [md ? `### ${title}` : title, '', table, ...(findings.length ? ['', ...findings.map((f) => (md ? `- ${f}` : `  ${f}`))] : [])];
}

/** Why an own-family lift shows "–": one line per reason, naming the judges it holds for. */
function unmeasured(c: CriterionBias): string[] {
  const byReason = new Map<string, string[]>();
  for (const j of c.judges) {
    const reason = j.self_preference?.value === null ? j.self_preference.reason : undefined;
    if (reason) byReason.set(reason, [...(byReason.get(reason) ?? []), j.judge]);
  }
  return [...byReason].map(([reason, judges]) => `own-family lift not measured for ${judges.join(', ')}: ${reason}.`);
}

/** What a reader should notice, one sentence each; only what the intervals support. */
function findingsOf(j: JudgeBias, c: CriterionBias): string[] {
  const out: string[] = [];
  const l = j.leniency;
  if (l?.ci && (l.ci.low > 0 || l.ci.high < 0)) {
    out.push(`${j.judge} scores ${num(Math.abs(l.value!))} point${Math.abs(l.value!) === 1 ? '' : 's'} ${l.value! > 0 ? 'higher' : 'lower'} than the rest of the panel on the same conversations (95% CI ${num(Math.abs(l.ci.low))}–${num(Math.abs(l.ci.high))}${l.value! > 0 ? '' : ' lower'}): ${l.value! > 0 ? 'lenient' : 'severe'}.`);
  }
  const s = j.self_preference;
  if (s?.ci && s.value !== null && (s.ci.low > 0 || s.ci.high < 0)) {
    out.push(`${j.judge} (${j.family}) is ${num(Math.abs(s.value))} point${Math.abs(s.value) === 1 ? '' : 's'} ${s.value > 0 ? 'kinder' : 'harsher'} to conversations made by ${j.family} models than to the others, relative to the rest of the panel (95% CI ${signed(s.ci.low)} to ${signed(s.ci.high)}; ${s.own_units} own-family and ${s.other_units} other units).`);
  }
  if (j.verdicts > 0 && c.scale.type !== 'binary' && (j.scale_used.points === 1 || j.scale_used.points * 2 < j.scale_used.of)) {
    out.push(`${j.judge} used ${j.scale_used.points} of the ${j.scale_used.of} points of the scale in ${j.verdicts} verdicts.`);
  }
  const t = j.test_retest;
  if (t && t.alpha !== null && t.alpha < RELIABLE) out.push(`${j.judge} disagrees with itself across samples of the same units (alpha ${num(t.alpha, 3)} over ${t.units} units, below ${RELIABLE}).`);
  return out;
}

function footnote(audit: BiasAudit, md: boolean): string {
  const text = [
    'leniency: the mean over units of (the judge\'s score − the mean of the other judges\' scores); a judge that sampled several times contributes its median sample.',
    "own-family lift: the judge's leniency on conversations whose transcript names a model of the judge's family (metadata.agent_model) minus its leniency on the others; '–' where it cannot be measured (json: the reason).",
    `95% CIs: BCa bootstrap over units (conversations for per-turn criteria; pairs for position and length), ${audit.resamples.toLocaleString('en-US')} resamples, seed ${audit.seed}.${audit.pairwise ? ' In a pairwise run the criteria below hold positional labels (A = shown first).' : ' Position and length bias need pairwise runs (jury run --pairwise).'}`,
  ];
  return md ? text.map((t) => `_${t}_`).join('\n\n') : text.join('\n');
}
