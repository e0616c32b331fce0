import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../diagnostics/diagnostic.js';
import { isBatch, scanJournal } from '../journal/journal-scan.js';
import type { BatchEntry, JournalRecord } from '../journal/journal.js';
import type { Shard } from '../plan/plan.js';
import type { RunLedger } from './ledger.js';

// Resuming a run: its journal read back into the ledger, once it is known to be this configuration's.

/** Reads an interrupted run's journal into the ledger, after checking that it belongs to this configuration. */
export function readJournalForResume(dir: string, hash: string, ledger: RunLedger, shard?: Shard): { label: string; resumed: number; batches: BatchEntry[] } {
  const file = path.join(path.resolve(dir), 'verdicts.jsonl');
  if (!existsSync(file)) {
    throw new InputError([{ code: 'journal/invalid', severity: 'error', file, path: [], message: 'no journal to resume from', expected: 'the folder of an earlier `jury run` (it holds verdicts.jsonl)' }]);
  }
  const records: { record: JournalRecord; offset: number; length: number }[] = [];
  const batches: BatchEntry[] = [];
  const scan = scanJournal(file, (line, offset, length) => (isBatch(line) ? batches.push(line) : records.push({ record: line, offset, length })));
  if (!scan.ok) throw new InputError([{ code: 'journal/invalid', severity: 'error', file, path: [], message: scan.reason }]);
  if (scan.header.config_hash !== hash) {
    throw new InputError([{
      code: 'journal/mismatch', severity: 'error', file, line: 1, path: ['config_hash'],
      message: `this journal was written for another configuration (hash ${scan.header.config_hash}; now ${hash})`,
      expected: 'the same jury.yaml, rubrics, transcripts and judges (and --mock or not) as the interrupted run',
      hint: 'start a new run instead of resuming',
    }]);
  }
  if ((scan.header.shard?.index ?? 0) !== (shard?.index ?? 0) || (scan.header.shard?.count ?? 0) !== (shard?.count ?? 0)) {
    const what = (s?: Shard) => (s ? `shard ${s.index}/${s.count}` : 'all items');
    throw new InputError([{ code: 'journal/mismatch', severity: 'error', file, line: 1, path: ['shard'], message: `this journal judged ${what(scan.header.shard)}, not ${what(shard)}`, hint: 'resume with the same --shard as the interrupted run' }]);
  }
  for (const { record, offset, length } of records) ledger.add(record, offset, length, false);
  return { label: scan.header.label, resumed: records.length, batches };
}
