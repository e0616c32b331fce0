import type { Calibration } from '../../calibrate/calibrate.js';
import type { Diff } from '../../diff/diff.js';
import type { Report } from '../../report/report.js';
import { nearestPoint, scalePoints } from '../../rubric/rubric.js';
import { alphaLine, distributionBars, forestPlot, heatMap } from './charts.js';
import { escapeHtml as h, num } from './escape.js';
import { shiftIntervalWithLevel } from '../shift.js';

/** What run.json says per judge, read defensively (it is volatile and optional). */
export interface RunFacts {
  judges: Record<string, { provider_calls?: number; cost_usd?: number; tokens?: { input?: number; output?: number; cached_input?: number }; failures_by_cause?: Record<string, number> }>;
  cost_usd?: number;
}

/** The banners a reader must not miss: simulated scores, an incomplete run. */
export function banners(report: Report): string {
  const out: string[] = [];
  if (report.simulated) out.push(`<p class="banner" role="alert">SIMULATED: ${h(report.notice ?? 'scores made by the mock judge')}</p>`);
  if (report.incomplete) out.push(`<p class="banner incomplete" role="alert">INCOMPLETE: ${report.incomplete.missing_verdicts} verdicts missing. Finish with <code>${h(report.incomplete.resume)}</code></p>`);
  return out.join('\n');
}

export function overview(report: Report, run: RunFacts | undefined): string {
  const rows = report.run.judges.map((j) => {
    const facts = run?.judges[j.id];
    const errors = report.judge_errors[j.id];
    const causes = Object.entries(facts?.failures_by_cause ?? {}).filter(([, n]) => n > 0).map(([c, n]) => `${c} ${n}`).join(', ');
    return `<tr><td>${h(j.id)}</td><td>${h(j.provider)}</td><td>${h(j.model)}${j.simulated ? ' (mock)' : ''}</td><td class="num">${j.samples}</td><td class="num">${errors?.verdicts ?? 0}</td><td class="num">${errors?.failed ?? 0}</td><td>${h(causes || (errors?.failed ? 'see run.json' : '–'))}</td><td class="num">${facts?.tokens ? `${facts.tokens.input ?? 0} / ${facts.tokens.output ?? 0}` : '–'}</td><td class="num">${facts?.cost_usd === undefined ? '–' : `$${facts.cost_usd.toFixed(4)}`}</td></tr>`;
  });
  return `<section id="overview" aria-labelledby="overview-title"><h2 id="overview-title">Overview</h2>
<dl class="facts"><dt>run</dt><dd id="o-label">${h(report.run.label)}</dd><dt>config hash</dt><dd><code>${h(report.run.config_hash)}</code></dd><dt>items</dt><dd id="o-items">${report.items.length}</dd><dt>aggregation</dt><dd>${h(report.run.aggregation.method)}, quorum ${h(String(report.run.aggregation.quorum))}</dd><dt>rubrics</dt><dd>${report.run.rubrics.map((r) => `${h(r.id)} ${h(r.version)}`).join(', ')}</dd>${run?.cost_usd === undefined ? '' : `<dt>cost</dt><dd>$${run.cost_usd.toFixed(4)}</dd>`}</dl>
<table id="judges"><caption class="note">The panel (tokens and cost from run.json, when it is beside the report)</caption><thead><tr><th>judge</th><th>provider</th><th>model</th><th class="num">samples</th><th class="num">verdicts</th><th class="num">failed</th><th>failures by cause</th><th class="num">tokens in / out</th><th class="num">cost</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<table id="criteria-table"><caption class="note">${report.pairwise ? 'Per criterion, the verdicts as shown (A = the conversation shown first): the judges\' agreement on positions, not on which version won (that is the head to head below)' : 'Per criterion: the panel mean with its 95% bootstrap CI, and the judges\' agreement'}</caption><thead><tr><th>criterion</th><th>scale</th><th class="num">panel mean</th><th class="num">95% CI</th><th class="num">alpha</th><th class="num">scored</th><th class="num">unscored</th><th class="num">failed</th></tr></thead><tbody>${report.criteria.map((c) => `<tr data-criterion="${h(`${c.rubric}/${c.criterion}`)}"><td><a href="#c-${h(anchor(`${c.rubric}/${c.criterion}`))}">${h(`${c.rubric}/${c.criterion}`)}</a></td><td>${h(c.scale.type === 'likert' ? `${c.scale.min}–${c.scale.max}` : c.scale.type)}</td><td class="num mean">${num(c.mean)}</td><td class="num">${c.mean_ci ? `${num(c.mean_ci.low)}–${num(c.mean_ci.high)}` : ''}</td><td class="num alpha">${num(c.agreement.alpha.value, 3)}${c.agreement.reliable === false ? ' (below 0.667)' : ''}</td><td class="num">${c.scored}</td><td class="num">${c.unscored}</td><td class="num">${c.failed_verdicts}</td></tr>`).join('')}</tbody></table></section>`;
}

/** One block per criterion: distributions per judge, alpha against its thresholds, the judge heat map, disputes. */
export function criteria(report: Report): string {
  const judges = report.run.judges.map((j) => j.id).sort();
  const weighted = new Set(report.run.judges.filter((j) => j.score_mode === 'logprob').map((j) => j.id));
  const blocks = report.criteria.map((c) => {
    const key = `${c.rubric}/${c.criterion}`;
    const points = scalePoints(c.scale).map(String);
    const counts = judges.map((judge) => {
      const row = points.map(() => 0);
      for (const item of report.items) for (const unit of item.results) {
        if (unit.rubric !== c.rubric || unit.criterion !== c.criterion) continue;
        // A logprob-weighted score lies between the points: it is counted at the nearest one.
        for (const v of unit.verdicts) if (v.judge === judge && v.status === 'scored') row[points.indexOf(String(nearestPoint(v.score, c.scale)))]! += 1;
      }
      return row;
    });
    const max = Math.max(0, ...counts.flat());
    const pair = (a: string, b: string) => c.agreement.pairwise.find((p) => (p.judges[0] === a && p.judges[1] === b) || (p.judges[0] === b && p.judges[1] === a))?.value ?? null;
    const disputed = c.most_disputed.map((d) => `<li><a href="#item=${encodeURIComponent(d.item)}">${h(d.item)}</a>${d.turn === undefined ? '' : ` turn ${d.turn}`}: spread ${num(d.spread)}</li>`).join('');
    return `<section class="criterion" id="c-${h(anchor(key))}" aria-label="${h(key)}"><h3>${h(key)}</h3>
<p>panel mean <strong>${num(c.mean)}</strong>${c.mean_ci ? ` (95% CI ${num(c.mean_ci.low)}–${num(c.mean_ci.high)})` : ''} over ${c.scored} scored units${c.unscored ? `, ${c.unscored} unscored` : ''}${c.failed_verdicts ? `, ${c.failed_verdicts} failed verdicts` : ''}</p>
<div class="charts">${judges.map((j, i) => distributionBars(weighted.has(j) ? `${j} (weighted, nearest point)` : j, points, counts[i]!, max)).join('')}${alphaLine(c.agreement.alpha.value, c.agreement.alpha.ci)}${judges.length > 1 ? heatMap(judges, pair) : ''}</div>
${disputed ? `<p>Most disputed:</p><ul>${disputed}</ul>` : '<p class="note">No unit on which the judges disagree.</p>'}</section>`;
  });
  return `<section id="criteria" aria-labelledby="criteria-title"><h2 id="criteria-title">Criteria</h2>${blocks.join('\n')}</section>`;
}

export function diffSection(diff: Diff): string {
  const tested = diff.criteria.filter((c) => c.difference !== null);
  const cls = (change: string) => (change === 'improved' ? 'improved' : change === 'regressed' ? 'regressed' : 'unchanged');
  const rows = diff.criteria.map((c) => `<tr><td>${h(`${c.rubric}/${c.criterion}`)}</td><td class="num">${num(c.base_mean)}</td><td class="num">${num(c.candidate_mean)}</td><td class="num">${num(c.difference)}</td><td class="num">${num(c.shift ?? null)}</td><td class="num"${c.ci_reason ? ` title="${h(c.ci_reason)}"` : ''}>${c.ci ? h(shiftIntervalWithLevel(c.ci)) : c.ci_reason ? 'none' : ''}</td><td class="num">${c.test ? (c.test.p_holm < 0.001 ? '<0.001' : num(c.test.p_holm, 3)) : '–'}</td><td class="${cls(c.change)}">${h(c.change)}${c.note ? ` (${h(c.note)})` : ''}</td></tr>`).join('');
  const regressions = diff.regressions.slice(0, 50).map((r) => `<li><a href="#item=${encodeURIComponent(r.item)}&amp;compare=1">${h(r.item)}</a> ${h(`${r.rubric}/${r.criterion}`)}: ${num(r.base)} → ${num(r.candidate)}</li>`).join('');
  return `<section id="diff" aria-labelledby="diff-title"><h2 id="diff-title">Against ${h(diff.base_label)}</h2>
${diff.warnings.map((w) => `<p class="banner incomplete">${h(w)}</p>`).join('')}
<p>${diff.items.matched} items matched${diff.items.added.length ? `, ${diff.items.added.length} added` : ''}${diff.items.removed.length ? `, ${diff.items.removed.length} removed` : ''}. Paired by item; Wilcoxon signed-rank, Holm-corrected at ${diff.significance}; the plot shows each Hodges–Lehmann shift with its signed-rank interval at the level Holm tested it at.</p>
${forestPlot(tested.map((c) => ({ label: `${c.rubric}/${c.criterion}`, difference: c.shift ?? c.difference, low: c.ci?.low ?? null, high: c.ci?.high ?? null, change: c.change })))}
<table id="diff-table"><thead><tr><th>criterion</th><th class="num">base</th><th class="num">candidate</th><th class="num">Δ mean</th><th class="num">shift</th><th class="num">interval (Holm level)</th><th class="num">p (Holm)</th><th>change</th></tr></thead><tbody>${rows}</tbody></table>
<h3>Largest item regressions (${diff.regressions.length} in all${diff.regressions.length > 50 ? ', the first 50 here' : ''})</h3>
${regressions ? `<ol id="regressions">${regressions}</ol>` : '<p class="note">No item dropped.</p>'}</section>`;
}

export function calibrationSection(calibration: Calibration): string {
  const stat = (s: { value: number | null; ci: { low: number; high: number } | null } | undefined) => (!s || s.value === null ? '–' : `${num(s.value)}${s.ci ? ` [${num(s.ci.low)}, ${num(s.ci.high)}]` : ''}`);
  const blocks = calibration.criteria.map((c) => {
    const rows = c.raters.map((r) => `<tr><td>${h(r.rater)}</td><td class="num">${r.units}</td><td class="num">${stat(r.alpha)}</td><td class="num">${stat(r.kappa)}</td><td class="num">${stat(r.exact)}</td><td class="num">${stat(r.bias)}</td></tr>`).join('');
    const panel = c.raters.find((r) => r.rater === 'panel');
    const confusion = panel ? `<table class="confusion"><caption class="note">panel (columns) against the human consensus (rows)</caption><thead><tr><th></th>${panel.confusion.points.map((p) => `<th class="num">${h(p)}</th>`).join('')}</tr></thead><tbody>${panel.confusion.counts.map((row, i) => `<tr><th>${h(panel.confusion.points[i]!)}</th>${row.map((n) => `<td class="num">${n}</td>`).join('')}</tr>`).join('')}</tbody></table>` : '';
    const advice = [...c.recommendation.drop.map((d) => `drop ${d.judge}: ${d.why}`), ...c.recommendation.notes].map((a) => `<li>${h(a)}</li>`).join('');
    return `<div class="criterion"><h3>${h(`${c.rubric}/${c.criterion}`)}</h3><p>${c.labelled_units} labelled units, ${c.annotators} annotators; human–human alpha (the ceiling) ${stat(c.human_alpha ?? undefined)}</p>
<table><thead><tr><th>rater</th><th class="num">units</th><th class="num">alpha</th><th class="num">kappa</th><th class="num">exact</th><th class="num">bias</th></tr></thead><tbody>${rows}</tbody></table>${confusion}${advice ? `<ul>${advice}</ul>` : ''}</div>`;
  });
  return `<section id="calibration" aria-labelledby="calibration-title"><h2 id="calibration-title">Against people</h2>${blocks.join('') || '<p class="note">No criterion of this report has human labels.</p>'}</section>`;
}

/** An id usable in a fragment: letters, digits and dashes. */
export function anchor(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]+/g, '-');
}
