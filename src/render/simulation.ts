import type { Figure, GroupSummary, SimulationSummary } from '../simulate/summary.js';
import { textTable } from './table.js';

const range = (f: Figure, digits: number, scale: number) => (f.ci ? ` (${(f.ci.low * scale).toFixed(digits)}–${(f.ci.high * scale).toFixed(digits)})` : '');
const pct = (f: Figure) => (f.value === null ? '–' : `${(f.value * 100).toFixed(0)}%${range(f, 0, 100)}`);
const num = (f: Figure) => (f.value === null ? '–' : `${f.value.toFixed(2)}${range(f, 2, 1)}`);

function groups(summary: SimulationSummary): [string, GroupSummary][] {
  return [['all', summary.overall], ...Object.entries(summary.by_kind).map(([k, g]) => [`kind=${k}`, g] as [string, GroupSummary]), ...Object.entries(summary.by_persona).map(([p, g]) => [`persona=${p}`, g] as [string, GroupSummary])];
}

/**
 * `jury simulate`'s summary: outcomes, then the agent's conduct, overall, per kind of listener and per persona, each
 * figure with its 95% interval (two tables, so each fits a terminal).
 */
export function renderSimulationSummary(summary: SimulationSummary): string {
  const rows = groups(summary);
  const outcomes = textTable(['group', 'n', 'success', 'abandoned', 'turns to success'], rows.map(([name, g]) => [name, String(g.conversations), pct(g.success_rate), pct(g.abandonment_rate), num(g.turns_to_success)]), new Set([1]));
  const conduct = textTable(['group', 'questions', 'changed next', 'violations', 'repeats', 'novelty'], rows.map(([name, g]) => [name, num(g.questions_per_conversation), pct(g.questions_that_changed_next), num(g.violations_per_conversation), num(g.repeats_per_conversation), pct(g.novelty)]));
  const o = summary.overall;
  const ended = Object.entries(o.outcomes).sort().map(([k, n]) => `${k} ${n}`).join(', ');
  const coverage = o.catalogue_coverage === null ? '' : `; ${o.distinct_tracks} distinct tracks (${(o.catalogue_coverage * 100).toFixed(0)}% of the catalogue), ${o.distinct_artists} artists`;
  const banner = summary.simulated_listener ? 'SIMULATED: the listener is the rule-based mock; these are not people.' : 'Simulated listeners (a model playing each persona); these are not people.';
  return `${banner}\n\n${outcomes}\n\n${conduct}\nPer conversation. "changed next": questions whose answer changed the next recommendation.
Novelty: recommendations new to the listener.\n\nended: ${ended || 'nothing'}${coverage}\n95% intervals in brackets resample scenarios.\n`;
}
