import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { InputError } from '../diagnostics/diagnostic.js';
import type { Message } from '../transcript/transcript.js';
import type { ListenerTurn, Outcome } from './conversation.js';

export const SIM_JOURNAL_FORMAT = { format: 'jury.simulation-journal', version: 1 } as const;

interface Spend {
  usage?: { input_tokens: number; output_tokens: number };
  cost_usd?: number;
}

/** One line of the journal: a turn as soon as it is paid for, or how a conversation ended. */
export type SimRecord =
  | ({ c: string; kind: 'listener'; message: Message; turn: Omit<ListenerTurn, 'at'>; cached?: boolean } & Spend)
  | ({ c: string; kind: 'agent'; messages: Message[] } & Spend)
  | { c: string; kind: 'end'; outcome: Outcome; error?: string };

/**
 * The simulation's journal: one JSON line per turn, appended the moment its reply arrives, so a run killed at any
 * point resumes without paying for a turn twice. A torn last line (the kill came mid-write) is dropped.
 */
export class SimJournal {
  private fd: number;

  private constructor(readonly file: string, fd: number) {
    this.fd = fd;
  }

  /** Opens the journal for appending, reading what an earlier run wrote; another configuration's is refused. */
  static open(file: string, configHash: string, fresh: boolean): { journal: SimJournal; records: SimRecord[] } {
    const records: SimRecord[] = [];
    if (existsSync(file) && !fresh) {
      let text = readFileSync(file, 'utf8');
      // A kill mid-write leaves a last line without its newline: cut it, so the next record starts a line of its own.
      if (text !== '' && !text.endsWith('\n')) {
        text = text.slice(0, text.lastIndexOf('\n') + 1);
        truncateSync(file, Buffer.byteLength(text));
      }
      if (text === '') return SimJournal.open(file, configHash, true);
      const lines = text.split('\n');
      const head = parseLine(lines[0] ?? '') as { format?: string; version?: number; config_hash?: string } | undefined;
      if (head?.format !== SIM_JOURNAL_FORMAT.format || head.version !== SIM_JOURNAL_FORMAT.version) throw journalError(file, 1, 'this is not a jury simulation journal (version 1)', 'run with --fresh to start over');
      if (head.config_hash !== configHash) throw journalError(file, 1, 'the journal was written by another simulation configuration (scenarios, catalogue, listener, agent or limits changed)', 'run with --fresh to start over, or give this run another --label');
      lines.slice(1).forEach((line, i) => {
        if (line.trim() === '') return;
        const record = parseLine(line) as SimRecord | undefined;
        if (!record || typeof record.c !== 'string') throw journalError(file, i + 2, 'a damaged line in the journal', 'run with --fresh to start over');
        records.push(record);
      });
      const fd = openSync(file, 'a');
      return { journal: new SimJournal(file, fd), records };
    }
    const fd = openSync(file, 'w');
    writeSync(fd, `${JSON.stringify({ ...SIM_JOURNAL_FORMAT, config_hash: configHash })}\n`);
    return { journal: new SimJournal(file, fd), records };
  }

  append(record: SimRecord): void {
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function journalError(file: string, line: number, message: string, hint: string): InputError {
  return new InputError([{ code: 'simulate/journal', severity: 'error', file, line, path: [], message, hint }]);
}
