import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/diff/diff.js';
import { diffSlices } from '../../src/diff/slices.js';
import { buildReport } from '../../src/report/build.js';
import { parseRubric } from '../../src/rubric/parse.js';
import { syntheticInput } from '../support/synthetic-report.js';

// A criterion where less is better (turns taken, errors made): `better: lower` in the rubric, carried by the report,
// read by the diff. 12 items; the candidate scores one point lower on every one.
function reports(better?: 'lower') {
  const make = (label: string, shift: number) => {
    const input = syntheticInput({ items: 12, criteria: ['turns'], judges: ['j'], label, score: (_j, item) => 3 + (Number(item.slice(5)) % 2) - shift, metadata: (item) => ({ half: Number(item.slice(5)) < 6 ? 'a' : 'b' }) });
    const rubrics = input.rubrics.map((r) => ({ ...r, criteria: r.criteria.map((c) => ({ ...c, ...(better ? { better } : {}) })) }));
    return buildReport({ ...input, rubrics });
  };
  return { base: make('base', 0), candidate: make('cand', 1) };
}

describe('better: lower', () => {
  it('is accepted in a rubric file, and only as higher or lower', () => {
    const yaml = (better: string) => `id: r\nversion: 1\ntitle: R\ncriteria:\n  - id: turns\n    question: How many turns?\n    better: ${better}\n    scale: { type: likert, min: 1, max: 3 }\n    anchors: { 1: one, 2: two, 3: three }\n`;
    const parsed = parseRubric('r.yaml', yaml('lower'));
    expect(parsed.ok && parsed.value.criteria[0]!.better).toBe('lower');
    expect(parseRubric('r.yaml', yaml('smaller')).ok).toBe(false);
  });

  it('goes into the report only when set (other reports keep their bytes)', () => {
    expect(reports('lower').base.criteria[0]!.better).toBe('lower');
    expect('better' in reports().base.criteria[0]!).toBe(false);
  });

  it('turns a drop into an improvement and a rise into a regression, in the diff and its item list', () => {
    const lower = reports('lower');
    const down = diffReports(lower.base, lower.candidate);
    expect(down.criteria[0]).toMatchObject({ change: 'improved', better: 'lower', difference: -1 });
    expect(down.regressions).toEqual([]);
    const up = diffReports(lower.candidate, lower.base);
    expect(up.criteria[0]).toMatchObject({ change: 'regressed', difference: 1 });
    expect(up.regressions).toHaveLength(12);
    expect(up.regressions[0]).toMatchObject({ drop: 1 });
    const higher = reports();
    expect(diffReports(higher.base, higher.candidate).criteria[0]!.change).toBe('regressed');
  });

  it('is read the same way within slices', () => {
    const lower = reports('lower');
    const slices = diffSlices(lower.base, lower.candidate, ['metadata.half']);
    expect(slices[0]!.rows.map((r) => [r.value, r.better, Math.sign(r.difference ?? 0)])).toEqual([['a', 'lower', -1], ['b', 'lower', -1]]);
  });
});
