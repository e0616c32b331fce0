import type { RankResult } from '../stats/ranking.js';
import { textTable } from './table.js';

const whole = (x: number) => String(Math.round(x));
const thousands = (n: number) => n.toLocaleString('en-US');

/** `jury rank` output: one row per system, best first; what the numbers are, in words, underneath. */
export function renderRank(result: RankResult, format: 'table' | 'md' | 'json'): string {
  if (format === 'json') {
    const { files, seed, level, resamples, skipped, interval_reason, battles, tie, log_likelihood, reason, elo_settings, systems } = result;
    const body = {
      version: 1,
      files,
      ...(result.criterion === undefined ? {} : { criterion: result.criterion }),
      battles,
      model: { name: 'davidson', tie, log_likelihood, prior: result.prior, ...(reason ? { reason } : {}) },
      bootstrap: { resamples, seed, level, skipped, cluster: result.cluster_column ?? null, clusters: result.clusters, ...(interval_reason ? { reason: interval_reason } : {}) },
      elo: elo_settings,
      systems,
      head_to_head: result.head_to_head,
    };
    return `${JSON.stringify(body, null, 2)}\n`;
  }
  const k = result.elo_settings.k;
  const header = ['rank', 'system', 'rating', '95% CI', 'rank range', `Elo (K=${k})`, 'battles', 'won', 'tied', 'lost'];
  const rows = result.systems.map((s) => [
    s.rank === null ? '–' : String(s.rank),
    s.system,
    s.rating === null ? '–' : whole(s.rating),
    s.ci ? `[${whole(s.ci.low)}, ${whole(s.ci.high)}]` : '–',
    s.rank_ci ? (s.rank_ci.best === s.rank_ci.worst ? String(s.rank_ci.best) : `${s.rank_ci.best}–${s.rank_ci.worst}`) : '–',
    `${whole(s.elo)} (#${s.elo_rank})`,
    String(s.battles),
    String(s.wins),
    String(s.ties),
    String(s.losses),
  ]);
  const notes = notesOf(result);
  const pairs = headToHeadText(result, format === 'md');
  if (format === 'md') {
    const cell = (x: string) => x.replace(/\|/g, '\\|');
    const table = [`| ${header.join(' | ')} |`, '|---:|---|---:|---|---|---:|---:|---:|---:|---:|', ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
    return [`### jury rank: ${result.battles} battles between ${result.systems.length} systems`, '', ...table, '', ...notes.flatMap((n) => [`_${n}_`, '']), ...pairs, ''].join('\n').replace(/\n+$/, '\n');
  }
  return `${textTable(header, rows, new Set([0, 2, 6, 7, 8, 9]))}\n\n${notes.join('\n')}\n${pairs.length ? `\n${pairs.join('\n')}\n` : ''}`;
}

function notesOf(result: RankResult): string[] {
  const notes: string[] = [];
  const { initial, k, order } = result.elo_settings;
  const methods = new Set(result.systems.flatMap((s) => (s.ci ? [s.ci.method] : [])));
  if (result.reason) notes.push(`Bradley–Terry: no fit — ${result.reason}. Ranked by Elo; rank and rating are left empty. --prior 0.5 adds half a win and half a loss per system against an average one, which always gives a fit (shrunk a little towards the average).`);
  else {
    notes.push(`rating: Bradley–Terry with ties (Davidson 1970) fitted to all ${thousands(result.battles)} battles at once, on the Elo scale (${initial} = the geometric-mean system; 400 points = odds of 10 to 1). Ties: ν = ${result.tie!.toFixed(2)} (0 would mean no battle ties).${result.prior > 0 ? ` With ${result.prior} pseudo-win${result.prior === 1 ? '' : 's'} and as many pseudo-losses per system against an average one (--prior): strengths shrink towards the average, most for systems with few battles.` : ''}`);
    notes.push(result.interval_reason
      ? `No intervals: ${result.interval_reason}.`
      : `95% CI and rank range: ${[...methods].map((m) => (m === 'bca' ? 'BCa' : 'percentile')).join(' or ')} bootstrap over ${result.clusters !== null ? `the ${thousands(result.clusters)} groups of battles by ${result.cluster_column}, each drawn whole` : 'the battles'} (${thousands(result.resamples)} resamples, seed ${result.seed}${result.skipped ? `; ${result.skipped} resamples without a fit left out` : ''}). Systems whose rank ranges overlap are not told apart by these votes.`);
  }
  notes.push(`Elo: online, from ${initial}, K = ${k}, battles in ${order === 'file' ? 'file order' : `a shuffled order (seed ${result.seed})`}; it depends on that order, Bradley–Terry does not. #n: its rank by whole Elo points.`);
  return notes;
}

/** Most pairs shown in the table and Markdown; JSON always has them all. */
const PAIRS_SHOWN = 15;

/** The pairs that met, better-ranked first: the direct evidence under the model's ranking. */
function headToHeadText(result: RankResult, md: boolean): string[] {
  const pairs = result.head_to_head;
  if (pairs.length === 0) return [];
  if (pairs.length > PAIRS_SHOWN) return [`${pairs.length} pairs of systems met; --format json lists each with its win rate and sign test.`];
  const header = ['pair', 'battles', 'first won', 'tied', 'second won', "first's win rate [95% CI]", 'p (Holm)'];
  const p = (x: number | null) => (x === null ? '–' : x < 0.001 ? '< 0.001' : x.toFixed(3));
  const rows = pairs.map((h) => [
    `${h.a} vs ${h.b}`,
    String(h.battles),
    String(h.a_wins),
    String(h.ties),
    String(h.b_wins),
    h.win_rate.value === null ? '–' : `${h.win_rate.value.toFixed(2)}${h.win_rate.ci ? ` [${h.win_rate.ci.low.toFixed(2)}, ${h.win_rate.ci.high.toFixed(2)}]` : ''}`,
    `${p(h.p)} (${p(h.p_holm)})`,
  ]);
  const note = 'Head to head: a tie counts half a win; p: exact sign test of wins against losses (ties left out), Holm-adjusted over the pairs listed.';
  if (md) return [`| ${header.join(' | ')} |`, '|---|---:|---:|---:|---:|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`), '', `_${note}_`];
  return [textTable(header, rows, new Set([1, 2, 3, 4])), note];
}
