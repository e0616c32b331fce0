import type { Figure, GroupSummary, SimulationSummary } from '../simulate/summary.js';
import { textTable } from './table.js';

const pct = (f: Figure) => (f.value === null ? '–' : `${(f.value * 100).toFixed(0)}% [${f.ci ? `${(f.ci.low * 100).toFixed(0)}, ${(f.ci.high * 100).toFixed(0)}` : '–'}]`);
const num = (f: Figure) => (f.value === null ? '–' : `${f.value.toFixed(2)} [${f.ci ? `${f.ci.low.toFixed(2)}, ${f.ci.high.toFixed(2)}` : '–'}]`);

function row(name: string, g: GroupSummary): string[] {
  return [name, String(g.conversations), pct(g.success_rate), pct(g.abandonment_rate), num(g.turns_to_success), num(g.questions_per_conversation), pct(g.questions_that_changed_next), num(g.violations_per_conversation), num(g.repeats_per_conversation), pct(g.novelty)];
}

/** `jury simulate`'s summary: the figures overall, per kind of listener and per persona, with 95% intervals. */
export function renderSimulationSummary(summary: SimulationSummary): string {
  const head = ['group', 'n', 'success', 'abandoned', 'turns to success', 'questions', 'questions that changed next', 'violations', 'repeats', 'novelty'];
  const rows = [row('all', summary.overall), ...Object.entries(summary.by_kind).map(([k, g]) => row(`kind=${k}`, g)), ...Object.entries(summary.by_persona).map(([p, g]) => row(`persona=${p}`, g))];
  const o = summary.overall;
  const outcomes = Object.entries(o.outcomes).sort().map(([k, n]) => `${k} ${n}`).join(', ');
  const coverage = o.catalogue_coverage === null ? '' : `; ${o.distinct_tracks} distinct tracks (${(o.catalogue_coverage * 100).toFixed(0)}% of the catalogue), ${o.distinct_artists} artists`;
  const banner = summary.simulated_listener ? 'SIMULATED: the listener is the rule-based mock; these are not people.\n' : 'Simulated listener (a model playing each persona); these are not people.\n';
  return `${banner}${textTable(head, rows)}\noutcomes: ${outcomes || 'none'}${coverage}\n[95% intervals, resampling scenarios; per conversation unless a share]\n`;
}
