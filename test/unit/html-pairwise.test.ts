import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/journal/journal.js';
import { buildPlan, planCalls } from '../../src/plan/plan.js';
import { buildReport, recordSource } from '../../src/report/build.js';
import { renderHtmlReport } from '../../src/render/html/page.js';
import { toPairwise } from '../../src/rubric/pairwise.js';
import type { Rubric } from '../../src/rubric/rubric.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const rubric = toPairwise({
  id: 'r', version: '1', title: 'R', scope: 'conversation', mode: 'per_criterion', file: 'r.yaml',
  criteria: [{ id: 'c', question: 'Q?', scale: { type: 'binary' }, anchors: { 0: 'no', 1: 'yes' }, weight: 1, examples: [] }],
} satisfies Rubric);

/** A pairwise report from jury's own pipeline: the base wins p0–p5 in both orders, p6–p9 tie. */
function pairwiseReport() {
  const items = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, turns: [] }));
  const judges = [{ id: 'j1', samples: 1 }, { id: 'j2', samples: 1 }];
  const plan = buildPlan(items, [rubric], judges, { orders: 'both', seed: 0 });
  const records = new Map<string, JournalRecord>();
  for (const call of planCalls(plan)) {
    const base = call.unit.order === 'ab' ? 'A' : 'B';
    const score = Number(call.unit.item.slice(1)) < 6 ? base : 'tie';
    records.set(call.key, { key: call.key, judge: call.judge, item: call.unit.item, order: call.unit.order!, rubric: 'r', criterion: 'c', sample: 0, verdict: { status: 'scored', score, reasoning: `${call.judge} says ${HOSTILE}`, citedTurns: [] }, attempts: 1, usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }, latency_ms: 0, source: 'provider' });
  }
  return buildReport({
    label: 'h2h', configHash: 'h', aggregation: { method: 'mean', quorum: 'majority' }, rubrics: [rubric],
    judges: judges.map((j) => ({ ...j, provider: 'openai', model: 'm', simulated: false })), units: plan.units,
    verdicts: recordSource(records, plan.units), pairwise: { names: { base: 'v1', candidate: 'v2' }, orders: 'both', seed: 0 },
  });
}

describe('the HTML page of a pairwise report', () => {
  it('shows who won each criterion, every judge\'s position bias and the largest losses, reasoning escaped', () => {
    const report = pairwiseReport();
    expect(report.pairwise!.criteria[0]).toMatchObject({ wins: 0, ties: 4, losses: 6 });
    const html = renderHtmlReport({ report, transcripts: new Map(), source: 'report.json' });
    const body = html.slice(0, html.indexOf('<script type="application/json"'));
    expect(body).toContain('<h2 id="pairwise-title">v2 against v1, head to head</h2>');
    // The overview's criteria are positional verdicts in a pairwise report, and it says so.
    expect(body).toContain('Per criterion, the verdicts as shown (A = the conversation shown first)');
    expect(body).toMatch(/<tr data-criterion="r\/c"><td>r\/c<\/td><td class="num">10<\/td><td class="num">0<\/td><td class="num">4<\/td><td class="num">6<\/td>/);
    expect(body).toContain('<td class="regressed">v1 better</td>');
    const position = body.slice(body.indexOf('<table id="position-table"'), body.indexOf('</table>', body.indexOf('<table id="position-table"')));
    expect(position.match(/<tr><td>j[12]<\/td>/g)).toHaveLength(2);
    // Five largest losses, each with both judges' verdicts in both orders.
    expect(body.match(/<li><a href="#item=p\d">/g)).toHaveLength(5);
    expect(body).toContain('j1 [v1 shown first] A → base: j1 says &lt;img src=x onerror=alert(1)&gt;');
    expect(body).not.toContain(HOSTILE);
  });
});
