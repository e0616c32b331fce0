import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, workspace } from '../support/cli.js';

const FORMATS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/formats');

function withLogs(): string {
  const dir = workspace();
  mkdirSync(path.join(dir, 'logs'));
  cpSync(FORMATS, path.join(dir, 'logs'), { recursive: true });
  return dir;
}

function scores(dir: string, out: string): unknown {
  const report = JSON.parse(readFileSync(path.join(dir, out, 'tempo-v1/report.json'), 'utf8')) as { items: { id: string; results: { criterion: string; verdicts: { score: unknown; cited_turns: unknown }[] }[] }[] };
  return report.items.map((i) => ({ id: i.id, results: i.results.map((r) => ({ criterion: r.criterion, verdicts: r.verdicts.map((v) => [v.score, v.cited_turns]) })) }));
}

describe('transcripts as providers log them', () => {
  it('validate --dataset checks other logs against the config and counts them by format; run judges them alike', async () => {
    const dir = withLogs();
    const validated = await runCli(['validate', '--dataset', 'logs/*.json', '--dataset', 'datasets/music-recs/v1.jsonl'], { cwd: dir });
    // The three logs hold the same two conversations: their ids clash, which is the point of this check.
    expect(validated.code).toBe(2);
    expect(validated.stderr).toMatch(/transcript id `album-2` is also used at/);
    for (const format of ['openai-chat', 'anthropic', 'responses']) {
      const one = await runCli(['validate', '--dataset', `logs/${format}.json`], { cwd: dir });
      expect(one.stderr).toBe('');
      expect(one.stdout).toContain(`ok: 2 transcripts (2 ${format}), 3 rubrics`);
      const run = await runCli(['run', '--mock', '--dataset', `logs/${format}.json`, '--out', `out-${format}`], { cwd: dir });
      expect(run.code).toBe(0);
      // What was read past is said once, in the run's output too.
      if (format === 'openai-chat') expect(run.stderr.match(/jury: logs\/openai-chat\.json: message keys jury does not read `timestamp` ×2/g)).toHaveLength(1);
    }
    // The whole run agrees across formats (test/unit/transcript-formats.test.ts shows the prompts are identical).
    expect(scores(dir, 'out-anthropic')).toEqual(scores(dir, 'out-openai-chat'));
    expect(scores(dir, 'out-responses')).toEqual(scores(dir, 'out-openai-chat'));
    const chat = await runCli(['validate', '--dataset', 'logs/openai-chat.json'], { cwd: dir });
    expect(chat.stdout).toContain('note: logs/openai-chat.json: message keys jury does not read `timestamp` ×2: kept out of judge prompts');
    expect(chat.stdout.match(/^note:/gm)).toHaveLength(1);
  });

  it('counts mixed formats in one file, and a `format:` entry in jury.yaml overrides what the shape suggests', async () => {
    const dir = withLogs();
    const rows = [
      { id: 'chat', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] },
      // `system` here is the deployment's name, not a prompt: only the config can say so.
      { id: 'tagged', system: 'prod-eu', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] },
      { id: 'resp', input: 'hi', output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hello' }] }] },
    ];
    writeFileSync(path.join(dir, 'logs/mixed.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
    const auto = await runCli(['validate', '--dataset', 'logs/mixed.jsonl'], { cwd: dir });
    expect(auto.stdout).toContain('ok: 3 transcripts (1 anthropic, 1 openai-chat, 1 responses)');
    const config = readFileSync(path.join(dir, 'jury.yaml'), 'utf8').replace('  - datasets/music-recs/v1.jsonl', '  - { path: logs/mixed.jsonl, format: openai-chat }');
    writeFileSync(path.join(dir, 'chat.yaml'), config);
    const forced = await runCli(['validate', '-c', 'chat.yaml'], { cwd: dir });
    // Read as Chat Completions, the Responses log has no `messages`: an error that says how it was read.
    expect(forced.code).toBe(2);
    expect(forced.stderr).toMatch(/logs\/mixed\.jsonl:3:1 {2}transcript\/invalid/);
    expect(forced.stderr).toContain('the transcript has no conversation (read as openai-chat)');
    writeFileSync(path.join(dir, 'logs/mixed.jsonl'), rows.slice(0, 2).map((r) => JSON.stringify(r)).join('\n'));
    const ok = await runCli(['validate', '-c', 'chat.yaml'], { cwd: dir });
    expect(ok.stdout).toContain('ok: 2 transcripts (2 openai-chat)');
    writeFileSync(path.join(dir, 'wrong.yaml'), config.replace('format: openai-chat', 'format: gemini'));
    const wrong = await runCli(['validate', '-c', 'wrong.yaml'], { cwd: dir });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('config/invalid');
  });

  it('a CSV, a text file or a folder listed as a dataset is one error naming what jury reads and the importer to use', async () => {
    const dir = withLogs();
    writeFileSync(path.join(dir, 'logs/ratings.csv'), 'id,score\n'.repeat(1100));
    writeFileSync(path.join(dir, 'logs/chat.txt'), 'user: hi\nassistant: hello\n');
    for (const [given, expected] of [
      ['logs/ratings.csv', /`ratings\.csv` is not a transcript file jury reads \(\.csv\)[\s\S]*expected: transcripts in \.jsonl, \.json, \.yaml or \.yml[\s\S]*jury import verdicts/],
      ['logs/chat.txt', /`chat\.txt` is not a transcript file jury reads \(\.txt\)[\s\S]*jury import otel/],
      ['logs', /`logs` is a folder, not a file/],
    ] as const) {
      const result = await runCli(['validate', '--dataset', given], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(expected);
      expect(result.stderr).toMatch(/^1 error found$/m);
    }
    writeFileSync(path.join(dir, 'folder.yaml'), readFileSync(path.join(dir, 'jury.yaml'), 'utf8').replace('  - datasets/music-recs/v1.jsonl', '  - logs/'));
    const folder = await runCli(['validate', '-c', 'folder.yaml'], { cwd: dir });
    expect(folder.stderr).toContain('`logs/` is a folder, not a file');
    expect(folder.stderr).toContain('hint: name its files with a glob, e.g. `logs/**/*.jsonl`');
  });
});
