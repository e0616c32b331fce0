import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../diagnostics/diagnostic.js';
import { mockJudges } from '../engine/panel.js';
import { judgeRunStats } from '../engine/run-stats.js';
import { JOURNAL_FORMAT, JournalWriter, type JournalHeader, type JournalRecord } from '../journal/journal.js';
import { replayJournal } from '../journal/journal-scan.js';
import { buildPlan } from '../plan/plan.js';
import { recordSource, reportHead, reportItems } from '../report/build.js';
import { RUN_FORMAT, type ReportHead } from '../report/report.js';
import { writeJson, writeReport } from '../report/write.js';
import { configHash, loadRunInputs, pairwiseReportInput, type RunInputs } from './inputs.js';
import type { PairwiseOverride } from '../config/load.js';

export interface MergeOptions {
  dirs: string[];
  configPath: string;
  /** Parent folder of the merged run folder; default: the config's `output`. */
  outDir?: string;
  /** The datasets of a pairwise run given as `jury run --pairwise` (base, candidate). */
  pairwise?: PairwiseOverride;
  /** The datasets the shards judged when they were given as `jury run --dataset`. */
  datasets?: string[];
}

/**
 * `jury merge`: the shards of one run (`jury run --shard i/n` on n machines) joined into the report the
 * unsharded run would have written, byte for byte. Refuses shards of different configurations, of different
 * shard counts, repeated or missing shards.
 */
export async function mergeShards(opts: MergeOptions): Promise<{ report: ReportHead; dir: string }> {
  const shards: { dir: string; header: JournalHeader; records: JournalRecord[] }[] = [];
  for (const dir of opts.dirs) {
    const file = path.join(path.resolve(dir), 'verdicts.jsonl');
    if (!existsSync(file)) throw new InputError([{ code: 'journal/invalid', severity: 'error', file, path: [], message: 'no journal in this folder', expected: 'the folder of a `jury run --shard i/n`' }]);
    const replay = replayJournal(readFileSync(file, 'utf8'));
    if (!replay.ok) throw new InputError([{ code: 'journal/invalid', severity: 'error', file, path: [], message: replay.reason }]);
    shards.push({ dir, header: replay.header, records: replay.records });
  }
  const first = shards[0];
  if (!first) throw new InputError([{ code: 'usage/invalid', severity: 'error', file: '.', path: [], message: 'no shard folders given' }]);
  const problem = (dir: string, message: string) => new InputError([{ code: 'journal/mismatch', severity: 'error', file: path.join(dir, 'verdicts.jsonl'), line: 1, path: [], message }]);
  const count = first.header.shard?.count;
  if (!count) throw problem(first.dir, 'this journal is not a shard (it was written without --shard)');
  const seen = new Set<number>();
  for (const s of shards) {
    if (s.header.config_hash !== first.header.config_hash || Boolean(s.header.mock) !== Boolean(first.header.mock)) throw problem(s.dir, `this shard was judged under another configuration (${s.header.config_hash}${s.header.mock ? ', mock' : ''}; ${first.dir} has ${first.header.config_hash}${first.header.mock ? ', mock' : ''})`);
    if (s.header.shard?.count !== count) throw problem(s.dir, `this shard is one of ${s.header.shard?.count ?? 1}, not of ${count}`);
    if (seen.has(s.header.shard.index)) throw problem(s.dir, `shard ${s.header.shard.index}/${count} is given twice`);
    seen.add(s.header.shard.index);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) throw problem(first.dir, `shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing`);

  const inputs = await loadRunInputs(opts.configPath, opts.datasets, (config) => (first.header.mock ? mockJudges(config.judges) : config.judges), undefined, opts.pairwise);
  try {
    return writeMerged(inputs, shards, opts);
  } finally {
    inputs.dataset.close();
  }
}

function writeMerged(inputs: RunInputs, shards: { dir: string; header: JournalHeader; records: JournalRecord[] }[], opts: MergeOptions): { report: ReportHead; dir: string } {
  const first = shards[0]!;
  const judges = first.header.mock ? mockJudges(inputs.config.judges) : inputs.config.judges;
  const hash = configHash({ ...inputs, digests: inputs.dataset.entries.map((e) => e.digest) }, judges);
  if (hash !== first.header.config_hash) {
    throw new InputError([{ code: 'journal/mismatch', severity: 'error', file: opts.configPath, path: [], message: `the shards were judged under configuration ${first.header.config_hash}; ${opts.configPath} is now ${hash}`, hint: 'merge with the config (rubrics, transcripts, judges, and --pairwise datasets) the shards ran with' }]);
  }
  // Simulated or not: ask the panel itself, without needing any key (resolvePanel is not called for that).
  const simulated = (id: string) => judges.find((j) => j.id === id)?.provider === 'mock';
  const plan = buildPlan(inputs.dataset.entries, inputs.rubrics, judges, inputs.pairwise);
  const records = new Map<string, JournalRecord>();
  for (const s of shards) for (const r of s.records) records.set(r.key, r);
  const label = first.header.label;
  const dir = path.resolve(opts.outDir ?? path.resolve(inputs.config.dir, inputs.config.output), label);
  const reportInput = {
    label, configHash: hash, aggregation: inputs.config.aggregation, rubrics: inputs.rubrics,
    judges: judges.map((j) => ({ id: j.id, provider: j.provider, model: j.model, samples: j.samples, simulated: simulated(j.id), ...(j.score_mode === 'logprob' ? { score_mode: 'logprob' as const } : {}) })),
    units: plan.units, verdicts: recordSource(records, plan.units), resumeHint: 'finish each interrupted shard with jury run --resume <shard folder>, then merge again',
    metadataOf: (id: string) => inputs.dataset.get(id).metadata,
    ...pairwiseReportInput(inputs),
  };
  const report = reportHead(reportInput);
  writeReport(path.join(dir, 'report.json'), report, reportItems(reportInput));
  const all = [...records.values()];
  writeJson(path.join(dir, 'run.json'), { ...RUN_FORMAT, label, config_hash: hash, merged_from: shards.map((s) => path.relative(dir, path.resolve(s.dir))).sort(), planned_verdicts: plan.size, judges: judgeRunStats(all) });
  const journal = JournalWriter.create(path.join(dir, 'verdicts.jsonl'), { ...JOURNAL_FORMAT, config_hash: hash, label, ...(first.header.mock ? { mock: true } : {}) });
  for (const record of all) journal.write(record);
  journal.close();
  return { report, dir };
}
