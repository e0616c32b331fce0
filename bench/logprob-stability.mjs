// Run-to-run stability of sampled and logprob-weighted scores (issue 20), on the test server's noisy judge: each
// call writes a score drawn at random from a distribution over the scale (the same distribution every run), and
// returns that distribution as OpenAI's logprobs. The same 200 conversations × 4 criteria are judged five times
// without the cache by a judge that records the score written and one that records the weighted score.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FakeLlmServer } from '../dist-bench/fake-llm-server.js';
import { timed, workspace } from './workload.mjs';

const RUNS = 5;
const server = await new FakeLlmServer({ latencyMs: 5, noisyScores: () => Math.random() }).start();
const dir = workspace(200, server.url, 32);
// One model, so both judges face the same distributions; they differ only in what they record.
writeFileSync(path.join(dir, 'jury.yaml'), `label: stability
datasets: [data.jsonl]
rubrics: [bench.yaml]
judges:
  - { id: sampled, provider: openai, model: noisy, base_url: ${server.url}/v1, api_key_env: null, structured_output: json_schema, max_concurrency: 32 }
  - { id: weighted, provider: openai, model: noisy, base_url: ${server.url}/v1, api_key_env: null, structured_output: json_schema, max_concurrency: 32, score_mode: logprob }
concurrency: 64
`);

const runs = [];
for (let run = 0; run < RUNS; run++) {
  await timed(['run', '--no-cache', '--label', `run-${run}`], dir);
  const report = JSON.parse(readFileSync(path.join(dir, `reports/run-${run}/report.json`), 'utf8'));
  const scores = new Map();
  for (const item of report.items) for (const unit of item.results) for (const v of unit.verdicts) if (v.status === 'scored') scores.set(`${v.judge}|${item.id}|${unit.criterion}`, v.score);
  runs.push({ scores, means: Object.fromEntries(report.criteria.map((c) => [c.criterion, c.judge_means])) });
}
await server.close();

const sd = (xs) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
for (const judge of ['sampled', 'weighted']) {
  const keys = [...runs[0].scores.keys()].filter((k) => k.startsWith(`${judge}|`));
  const perVerdict = keys.map((k) => sd(runs.map((r) => r.scores.get(k))));
  const changed = keys.filter((k) => new Set(runs.map((r) => r.scores.get(k))).size > 1).length;
  const criteria = Object.keys(runs[0].means);
  const meanSd = criteria.map((c) => sd(runs.map((r) => r.means[c][judge])));
  console.log(`${judge.padEnd(8)}: ${keys.length} verdicts × ${RUNS} runs; per-verdict SD across runs ${(perVerdict.reduce((a, b) => a + b, 0) / keys.length).toFixed(4)}; verdicts that changed between runs ${((changed / keys.length) * 100).toFixed(1)}%; SD of a criterion's mean across runs ${(meanSd.reduce((a, b) => a + b, 0) / criteria.length).toFixed(4)}`);
}
