import { describe, expect, it } from 'vitest';
import { criterionAgreement, meanWithInterval } from '../../src/aggregate/criterion-agreement.js';
import { configHash } from '../../src/api/inputs.js';
import type { Config } from '../../src/config/config.js';
import { summarizeSlices } from '../../src/report/slices.js';
import { syntheticReport } from '../support/synthetic-report.js';

const n = (item: string) => Number(item.slice(-2));
const options = { items: 20, criteria: ['c1'], judges: ['a', 'b'], score: (j: string, item: string) => 1 + ((n(item) + (j === 'b' ? n(item) % 2 : 0)) % 5), metadata: (item: string) => ({ genre: n(item) % 2 ? 'jazz' : 'pop' }) };

describe('aggregation.resamples: the report\'s intervals with the resamples jury.yaml asks for', () => {
  it('the mean and alpha intervals use them; the report says so only when set', () => {
    const plain = syntheticReport(options);
    const more = syntheticReport({ ...options, aggregation: { method: 'mean', quorum: 'majority', resamples: 250 } });
    expect(plain.run.aggregation).toEqual({ method: 'mean', quorum: 'majority' });
    expect(more.run.aggregation).toEqual({ method: 'mean', quorum: 'majority', resamples: 250 });
    const panel = plain.items.map((i) => Number((i.results[0]!.panel as { score: number }).score));
    expect(more.criteria[0]!.mean_ci).toEqual(meanWithInterval(panel, undefined, 250).ci);
    expect(plain.criteria[0]!.mean_ci).toEqual(meanWithInterval(panel, undefined, 1000).ci);
    expect(more.criteria[0]!.mean_ci).not.toEqual(plain.criteria[0]!.mean_ci);
    const table = plain.items.map((i) => i.results[0]!.verdicts.map((v) => (v.status === 'scored' ? v.score : null)));
    expect(more.criteria[0]!.agreement.alpha.ci).toEqual(criterionAgreement(table, ['a', 'b'], { type: 'likert', min: 1, max: 5 }, undefined, 250).alpha.ci);
    expect(more.criteria[0]!.agreement.alpha.ci).not.toEqual(plain.criteria[0]!.agreement.alpha.ci);
  });

  it('slices use the report\'s resamples too', () => {
    const more = syntheticReport({ ...options, aggregation: { method: 'mean', quorum: 'majority', resamples: 250 } });
    const [family] = summarizeSlices(more, ['metadata.genre']);
    const jazz = family!.slices.find((s) => s.value === 'jazz')!;
    const scores = more.items.filter((i) => n(i.id) % 2).map((i) => Number((i.results[0]!.panel as { score: number }).score));
    expect(jazz.criteria[0]!.mean_ci).toEqual(meanWithInterval(scores, undefined, 250).ci);
  });

  it('does not change the config hash: a journal can be resumed and reported with more resamples', () => {
    const config = { aggregation: { method: 'mean', quorum: 'majority' } } as unknown as Config;
    const inputs = { config, rubrics: [], digests: ['d'] };
    const withResamples = { ...inputs, config: { aggregation: { method: 'mean', quorum: 'majority', resamples: 5000 } } as unknown as Config };
    expect(configHash(withResamples, [])).toBe(configHash(inputs, []));
    const otherMethod = { ...inputs, config: { aggregation: { method: 'median', quorum: 'majority' } } as unknown as Config };
    expect(configHash(otherMethod, [])).not.toBe(configHash(inputs, []));
  });
});
