import { describe, expect, it } from 'vitest';
import { agentModel, auditBias } from '../../src/calibrate/bias.js';
import { modelFamily } from '../../src/aggregate/model-family.js';
import { renderBias } from '../../src/render/bias.js';
import { seededRng } from '../../src/stats/rng.js';
import { directBca, leaveOneOut, replicates } from '../support/bca.js';
import { syntheticReport } from '../support/synthetic-report.js';

const judges = ['claude', 'gpt', 'llama'];
const models: Record<string, string> = { claude: 'claude-sonnet-4-6', gpt: 'gpt-4.1-mini', llama: 'llama-3.1-70b-instruct' };
const index = (item: string) => Number(item.slice(-2));

describe('modelFamily', () => {
  it.each([
    ['gpt-4.1-mini', 'openai'], ['openai/gpt-4o', 'openai'], ['o3-mini', 'openai'], ['chatgpt-4o-latest', 'openai'],
    ['claude-sonnet-4-6', 'anthropic'], ['anthropic.claude-3-haiku', 'anthropic'], ['gemini-2.5-pro', 'google'], ['gemma-2-9b', 'google'],
    ['llama-3.1-70b-instruct', 'meta'], ['~/models/Meta-Llama-3-8B.Q4_K_M.gguf', 'meta'], ['mixtral-8x7b', 'mistral'], ['qwen2.5:7b-instruct', 'qwen'],
    ['deepseek-r1', 'deepseek'], ['command-r-plus', 'cohere'], ['phi-3-mini', 'microsoft'], ['grok-2', 'xai'],
  ])('%s → %s', (model, family) => expect(modelFamily(model)).toBe(family));

  it.each(['mock', 'my-finetune', 'solar-10.7b', 'prophet', 'photo'])('%s → no family', (model) => expect(modelFamily(model)).toBeNull());

  it('reads the producing model from metadata.agent_model, else model', () => {
    expect(agentModel({ agent_model: 'gpt-4o', model: 'x' })).toBe('gpt-4o');
    expect(agentModel({ model: 'claude-3' })).toBe('claude-3');
    expect(agentModel({ agent_model: ' ' })).toBeUndefined();
    expect(agentModel({ agent_model: 4 })).toBeUndefined();
    expect(agentModel(undefined)).toBeUndefined();
  });
});

describe('auditBias', () => {
  it("leniency is the mean of (judge − the others' mean) per unit, with the BCa interval recomputed here", () => {
    // gpt gives one more point than the truth on every third item; the others give the truth.
    const truth = (item: string) => 1 + (index(item) % 4);
    const report = syntheticReport({ items: 30, criteria: ['c1'], judges, model: (j) => models[j]!, score: (j, item) => truth(item) + (j === 'gpt' && index(item) % 3 === 0 ? 1 : 0) });
    const audit = auditBias(report, { resamples: 300, seed: 7 });
    const gpt = audit.criteria[0]!.judges.find((j) => j.judge === 'gpt')!;
    const gaps = report.items.map((item) => (index(item.id) % 3 === 0 ? 1 : 0));
    const mean = (sel: readonly number[]) => (sel.length ? sel.reduce((s, i) => s + gaps[i]!, 0) / sel.length : null);
    const expected = directBca(replicates(30, 300, seededRng(7), mean), mean(gaps.map((_, i) => i))!, leaveOneOut(30, mean));
    expect(gpt.leniency!.value).toBeCloseTo(10 / 30, 12);
    expect(gpt.leniency!.units).toBe(30);
    expect(gpt.leniency!.ci!.low).toBeCloseTo(expected.low, 12);
    expect(gpt.leniency!.ci!.high).toBeCloseTo(expected.high, 12);
    // The others each see gpt in their "others": half of its extra point against them.
    const claude = audit.criteria[0]!.judges.find((j) => j.judge === 'claude')!;
    expect(claude.leniency!.value).toBeCloseTo(-5 / 30, 12);
    expect(audit).toMatchObject({ seed: 7, resamples: 300, simulated: false, label: 'synthetic' });
  });

  it('counts scale use, its entropy, and the share per point', () => {
    const report = syntheticReport({ items: 8, criteria: ['c1'], judges, model: (j) => models[j]!, score: (j, item) => (j === 'llama' ? 3 : 1 + (index(item) % 4)) });
    const [c] = auditBias(report, { resamples: 100 }).criteria;
    const llama = c!.judges.find((j) => j.judge === 'llama')!;
    expect(llama).toMatchObject({ verdicts: 8, scale_used: { points: 1, of: 5 }, entropy: 0, family: 'meta', model: 'llama-3.1-70b-instruct' });
    expect(llama.distribution).toEqual({ 1: 0, 2: 0, 3: 1, 4: 0, 5: 0 });
    const gpt = c!.judges.find((j) => j.judge === 'gpt')!;
    expect(gpt.scale_used).toEqual({ points: 4, of: 5 });
    expect(gpt.entropy).toBeCloseTo(2, 12);
    expect(renderBias(auditBias(report, { resamples: 100 }), 'table')).toContain('llama used 1 of the 5 points of the scale in 8 verdicts.');
    expect(renderBias(auditBias(report, { resamples: 100 }), 'table')).not.toContain('gpt used');
  });

  it('self-preference: the judge\'s leniency on its own family\'s conversations minus on the others\'', () => {
    // Half the conversations were made by GPT models; gpt adds a point on exactly those.
    const made = (item: string) => (index(item) % 2 === 0 ? 'gpt-4o' : 'claude-3-5-sonnet');
    const report = syntheticReport({
      items: 40, criteria: ['c1'], judges, model: (j) => models[j]!, metadata: (item) => ({ agent_model: made(item) }),
      score: (j, item) => 2 + (index(item) % 3) + (j === 'gpt' && made(item).startsWith('gpt') ? 1 : 0),
    });
    const [c] = auditBias(report, { resamples: 300, seed: 3 }).criteria;
    const gpt = c!.judges.find((j) => j.judge === 'gpt')!;
    expect(gpt.self_preference).toMatchObject({ value: 1, own_units: 20, other_units: 20 });
    expect(gpt.self_preference!.ci!.low).toBeGreaterThan(0.5);
    // claude's own family is the other half: it is harsher there only by gpt's point being absent, i.e. it
    // looks -0.5 against the others on gpt's conversations and 0 on its own: lift +0.5.
    const claude = c!.judges.find((j) => j.judge === 'claude')!;
    expect(claude.self_preference!.value).toBeCloseTo(0.5, 12);
    const llama = c!.judges.find((j) => j.judge === 'llama')!;
    expect(llama.self_preference).toMatchObject({ value: null, ci: null, reason: 'no conversation here was produced by a meta model' });
    const text = renderBias(auditBias(report, { resamples: 300, seed: 3 }), 'table');
    expect(text).toContain('gpt (openai) is 1.00 point kinder to conversations made by openai models than to the others, relative to the rest of the panel');
  });

  it('says why self-preference cannot be measured', () => {
    const plain = syntheticReport({ items: 10, criteria: ['c1'], judges, model: (j) => (j === 'gpt' ? 'mock' : models[j]!), score: () => 3 });
    const [c] = auditBias(plain, { resamples: 100 }).criteria;
    expect(c!.judges.find((j) => j.judge === 'gpt')!.self_preference!.reason).toBe("the judge's model names no family jury knows");
    expect(c!.judges.find((j) => j.judge === 'claude')!.self_preference!.reason).toBe('no transcript says which model produced it (metadata.agent_model)');
    const allOwn = syntheticReport({ items: 10, criteria: ['c1'], judges, model: (j) => models[j]!, metadata: () => ({ agent_model: 'claude-3' }), score: () => 3 });
    expect(auditBias(allOwn, { resamples: 100 }).criteria[0]!.judges.find((j) => j.judge === 'claude')!.self_preference!.reason).toBe('every conversation here was produced by an anthropic model: nothing to compare with');
    const text = renderBias(auditBias(plain, { resamples: 100 }), 'table');
    expect(text).toContain("own-family lift not measured for gpt: the judge's model names no family jury knows.");
    expect(text).toContain('own-family lift not measured for claude, llama: no transcript says which model produced it (metadata.agent_model).');
  });

  it('test–retest for a judge that samples several times; categorical criteria get scale use only', () => {
    const report = syntheticReport({
      items: 12, criteria: ['c1', 'kind'], judges, model: (j) => models[j]!, samples: 3, scales: { kind: { type: 'categorical', labels: ['x', 'y', 'z'] } },
      score: (j, item, criterion, _turn, sample) => (criterion === 'kind' ? (index(item) % 2 ? 'x' : 'y') : 1 + ((index(item) + (j === 'llama' ? sample! : 0)) % 5)),
    });
    const audit = auditBias(report, { resamples: 100 });
    const c1 = audit.criteria.find((c) => c.criterion === 'c1')!;
    expect(c1.judges.find((j) => j.judge === 'claude')!.test_retest).toEqual({ alpha: 1, units: 12 });
    expect(c1.judges.find((j) => j.judge === 'llama')!.test_retest!.alpha).toBeLessThan(0.667);
    expect(c1.judges.find((j) => j.judge === 'llama')!.verdicts).toBe(36);
    const kind = audit.criteria.find((c) => c.criterion === 'kind')!;
    expect(kind.judges[0]!.leniency).toBeUndefined();
    expect(kind.judges[0]!.self_preference).toBeUndefined();
    expect(kind.judges[0]!.distribution).toEqual({ x: 0.5, y: 0.5, z: 0 });
    expect(renderBias(audit, 'table')).toMatch(/llama disagrees with itself across samples of the same units \(alpha -?\d\.\d{3} over 12 units, below 0\.667\)/);
  });

  it('a judge with no other judge beside it has no leniency', () => {
    const report = syntheticReport({ items: 6, criteria: ['c1'], judges: ['solo'], score: () => 4 });
    const solo = auditBias(report, { resamples: 100 }).criteria[0]!.judges[0]!;
    expect(solo.leniency).toEqual({ value: null, ci: null, reason: 'no unit scored by this judge and another', units: 0 });
  });

  it('renders JSON with a version, and a simulated report with its warning', () => {
    const report = syntheticReport({ items: 6, criteria: ['c1'], judges, simulated: true, score: () => 4 });
    const audit = auditBias(report, { resamples: 100 });
    expect(JSON.parse(renderBias(audit, 'json'))).toMatchObject({ version: 1, simulated: true, criteria: [{ criterion: 'c1' }] });
    expect(renderBias(audit, 'table').startsWith('WARNING: Scores in this report are SIMULATED')).toBe(true);
    expect(renderBias(audit, 'md')).toContain('### r/c1');
  });
});
