import type { Diff } from '../../diff/diff.js';
import type { Report } from '../../report/report.js';
import { scalePoints } from '../../rubric/rubric.js';
import { contentText, type Transcript } from '../../transcript/transcript.js';

/**
 * The data the page's script reads: lean, since a 100,000-verdict report must open fast. Strings that repeat
 * (reasoning, tool names) are stored once and referred to by index; ids, judges and criteria are indexes too.
 *
 * item: [id, metadata | 0, transcript index | -1, units]
 * unit: [criterion index, turn | 0, panel score | null, spread | null, verdicts]
 * verdict: [judge index, sample, score | null, reasoning string index | -1, cited turns, failure cause | 0]
 * turn: [role, text string index, tool name string index | -1, call id string index | -1]
 *   role: s system, u user, a assistant, c assistant tool call (text = arguments), t tool result, e tool error
 */
export interface PageData {
  v: 1;
  label: string;
  judges: string[];
  criteria: { key: string; scale: string; points: string[] }[];
  strings: string[];
  items: unknown[][];
  transcripts: unknown[][][];
  /** For the diff view: the baseline's units and transcripts of the items that regressed. */
  baseline?: { label: string; items: Record<string, unknown[]>; transcripts: unknown[][][]; regressions: [string, string, number, number][] };
}

class Strings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  of(text: string): number {
    let at = this.index.get(text);
    if (at === undefined) {
      at = this.list.length;
      this.list.push(text);
      this.index.set(text, at);
    }
    return at;
  }
}

export function pageData(report: Report, transcripts: ReadonlyMap<string, Transcript>, baseline?: { report: Report; diff: Diff; transcripts: ReadonlyMap<string, Transcript> }): PageData {
  const strings = new Strings();
  const judges = report.run.judges.map((j) => j.id).sort();
  const criteria = report.criteria.map((c) => ({ key: `${c.rubric}/${c.criterion}`, scale: c.scale.type === 'likert' ? `${c.scale.min}-${c.scale.max}` : c.scale.type, points: scalePoints(c.scale).map(String) }));
  const criterionIndex = new Map(criteria.map((c, i) => [c.key, i]));
  const turnsOf = (t: Transcript) => t.messages.flatMap((m) => {
    if (m.role === 'assistant') {
      const rows: unknown[][] = [];
      const text = contentText(m.content);
      if (text !== '' || !m.tool_calls?.length) rows.push(['a', strings.of(text), -1, -1]);
      for (const call of m.tool_calls ?? []) rows.push(['c', strings.of(call.function.arguments), strings.of(call.function.name), strings.of(call.id)]);
      return [rows];
    }
    if (m.role === 'tool') return [[[m.is_error ? 'e' : 't', strings.of(contentText(m.content)), m.name ? strings.of(m.name) : -1, strings.of(m.tool_call_id)]]];
    return [[[m.role === 'system' ? 's' : 'u', strings.of(contentText(m.content)), -1, -1]]];
  });
  const packTranscripts = (source: ReadonlyMap<string, Transcript>, ids: readonly string[]) => {
    const packed: unknown[][][] = [];
    const at = new Map<string, number>();
    for (const id of ids) {
      const t = source.get(id);
      if (!t) continue;
      at.set(id, packed.length);
      // One entry per message (its turn number is its position + 1); an assistant message may hold several rows.
      packed.push(turnsOf(t) as unknown[][]);
    }
    return { packed, at };
  };
  const units = (item: Report['items'][number]) =>
    item.results.map((u) => [
      criterionIndex.get(`${u.rubric}/${u.criterion}`) ?? -1,
      u.turn ?? 0,
      u.panel.status === 'scored' ? u.panel.score : null,
      u.panel.status === 'scored' ? u.panel.spread : null,
      u.verdicts.map((v) => (v.status === 'scored' ? [judges.indexOf(v.judge), v.sample, v.score, strings.of(v.reasoning), v.cited_turns, 0] : [judges.indexOf(v.judge), v.sample, null, -1, [], v.cause])),
    ]);
  const own = packTranscripts(transcripts, report.items.map((i) => i.id));
  const items = report.items.map((item) => [item.id, item.metadata ?? 0, own.at.get(item.id) ?? -1, units(item)]);
  const data: PageData = { v: 1, label: report.run.label, judges, criteria, strings: strings.list, items, transcripts: own.packed };
  if (baseline) {
    const regressed = [...new Set(baseline.diff.regressions.slice(0, 50).map((r) => r.item))];
    const base = packTranscripts(baseline.transcripts, regressed);
    const baseItems: Record<string, unknown[]> = {};
    for (const id of regressed) {
      const item = baseline.report.items.find((i) => i.id === id);
      if (item) baseItems[id] = [base.at.get(id) ?? -1, units(item)];
    }
    data.baseline = { label: baseline.report.run.label, items: baseItems, transcripts: base.packed, regressions: baseline.diff.regressions.slice(0, 50).map((r) => [r.item, `${r.rubric}/${r.criterion}`, r.base, r.candidate]) };
  }
  // The strings table last, once every string has been interned.
  data.strings = strings.list;
  return data;
}
