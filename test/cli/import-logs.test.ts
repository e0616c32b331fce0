import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/cli.js';

const TRACES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/otel/traces.jsonl');
const CRSARENA = path.resolve(ROOT, '../shared/datasets/crsarena-dial');

const temp = () => mkdtempSync(path.join(tmpdir(), 'jury-import-'));
const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);

describe('jury import otel', () => {
  it('writes one transcript per conversation that validates and runs; gzipped traces give the same bytes', async () => {
    const dir = temp();
    cpSync(TRACES, path.join(dir, 'traces.jsonl'));
    writeFileSync(path.join(dir, 'traces.jsonl.gz'), gzipSync(readFileSync(TRACES)));
    const result = await runCli(['import', 'otel', 'traces.jsonl', '-o', 'out'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('imported 2 conversations: out/otel.jsonl');
    expect(result.stdout).toContain('note: 1 GenAI spans or events with neither gen_ai.conversation.id nor a trace id');
    expect(result.stdout).toContain('next: jury validate --dataset out/otel.jsonl');
    expect((await runCli(['import', 'otel', 'traces.jsonl.gz', '-o', 'gz'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(path.join(dir, 'gz/otel.jsonl'), 'utf8')).toBe(readFileSync(path.join(dir, 'out/otel.jsonl'), 'utf8'));
    writeFileSync(path.join(dir, 'jury.yaml'), `datasets: [out/otel.jsonl]\nrubrics: [${path.join(ROOT, 'rubrics/conversational-quality.yaml')}]\njudges: [{ id: a, provider: mock, model: m }]\n`);
    const validated = await runCli(['validate'], { cwd: dir });
    expect(validated.stdout).toContain('ok: 2 transcripts (2 openai-chat)');
    expect((await runCli(['run'], { cwd: dir })).code).toBe(0);
  });

  it('what is not OTLP, or holds no conversation, is exit 2 naming the file and line', async () => {
    const dir = temp();
    writeFileSync(path.join(dir, 'bad.jsonl'), '{"resourceSpans": []}\n{oops\n');
    const bad = await runCli(['import', 'otel', 'bad.jsonl', '-o', 'out'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.jsonl:2 {2}usage\/invalid[\s\S]*not JSON/);
    writeFileSync(path.join(dir, 'empty.json'), '{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "ab", "name": "GET /", "attributes": []}]}]}]}');
    const empty = await runCli(['import', 'otel', 'empty.json', '-o', 'out'], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no GenAI conversation with an assistant reply in 1 spans and log records');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });
});

describe('jury import crsarena-dial', () => {
  const dialogue = (crs: string, user: string, turns: [string, string][], sentiment?: string) => ({
    'conversation ID': `${crs}_${user}`,
    agent: { id: crs, type: 'AGENT' },
    user: { id: user, type: 'USER' },
    conversation: turns.map(([participant, utterance], i) => ({ participant, utterance, 'utterance ID': `${crs}-${user}_${i}` })),
    ...(sentiment ? { metadata: { sentiment } } : {}),
  });

  it('dialogues, the users’ verdicts as labels, votes as pairs (a vs b by the order the user met them)', async () => {
    const dir = temp();
    writeFileSync(path.join(dir, 'crs_arena_dial_open.json'), JSON.stringify([
      dialogue('kbrd_redial', 'u1', [['USER', 'a sci-fi film?'], ['AGENT', 'Have you seen Arrival (2016)?']], 'satisfied'),
      dialogue('barcor_redial', 'u1', [['USER', 'a sci-fi film?'], ['AGENT', 'Titanic (1997)']], 'frustrated'),
      dialogue('unicrs_redial', 'u2', [['USER', 'hello']], 'frustrated'),
    ]));
    writeFileSync(path.join(dir, 'votes_open.csv'), 'session_id,user_id,crs1,crs2,vote,feedback\n2024-09-08 23:01:08,u1,kbrd_redial,barcor_redial,barcor_redial,"it said ""Titanic"", odd"\n2024-09-09 10:00:00,u2,unicrs_redial,kbrd_redial,tie,\n');
    const result = await runCli(['import', 'crsarena-dial', 'crs_arena_dial_open.json', 'votes_open.csv', '-o', 'out'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('imported 2 dialogues, 2 user verdicts and 1 voted pairs; left out: 1 dialogue without a system reply (nothing to judge), 1 vote naming a dialogue not imported');
    const transcripts = lines(path.join(dir, 'out/crsarena-dial.jsonl')).map((l) => JSON.parse(l) as { id: string; messages: unknown[]; metadata: unknown });
    expect(transcripts[0]).toEqual({ id: 'kbrd_redial_u1', messages: [{ role: 'user', content: 'a sci-fi film?' }, { role: 'assistant', content: 'Have you seen Arrival (2016)?' }], metadata: { source: 'CRSArena-Dial', setting: 'open', system: 'kbrd_redial', user: 'u1', sentiment: 'satisfied' } });
    expect(lines(path.join(dir, 'out/crsarena-dial-labels.csv'))).toEqual(['item,criterion,turn,annotator,score,note', 'kbrd_redial_u1,crsarena-dial/satisfied,,the-user,1,', 'barcor_redial_u1,crsarena-dial/satisfied,,the-user,0,']);
    expect(lines(path.join(dir, 'out/crsarena-dial-pairs.jsonl')).map((l) => JSON.parse(l))).toEqual([
      { id: 'open-1', setting: 'open', a: 'kbrd_redial_u1', b: 'barcor_redial_u1', system_a: 'kbrd_redial', system_b: 'barcor_redial', winner: 'b', user: 'u1', time: '2024-09-08 23:01:08', feedback: 'it said "Titanic", odd' },
    ]);
    // Each battle as a pairwise item: the dialogue met first as the base, the second as the candidate, under the battle's id.
    const first = lines(path.join(dir, 'out/crsarena-dial-first.jsonl')).map((l) => JSON.parse(l));
    const second = lines(path.join(dir, 'out/crsarena-dial-second.jsonl')).map((l) => JSON.parse(l));
    expect(first.map((d) => [d.id, d.metadata.system])).toEqual([['open-1', 'kbrd_redial']]);
    expect(second.map((d) => [d.id, d.metadata.system])).toEqual([['open-1', 'barcor_redial']]);
    expect(lines(path.join(dir, 'out/crsarena-dial-pair-votes.csv'))).toEqual(['item,criterion,turn,annotator,score,note', 'open-1,crsarena-dial/satisfied,,u1,candidate,']);
    // The jury.yaml it writes runs, and calibrates against the users.
    const out = path.join(dir, 'out');
    expect((await runCli(['run', '--mock'], { cwd: out })).code).toBe(0);
    const calibrated = await runCli(['calibrate', 'reports/crsarena-dial/report.json', '--labels', 'crsarena-dial-labels.csv'], { cwd: out });
    expect(calibrated.code).toBe(0);
    expect(calibrated.stdout).toContain('crsarena-dial/satisfied (nominal; 2 labelled units');

    writeFileSync(path.join(dir, 'votes_open.csv'), 'session_id,user_id,crs1,crs2,vote,feedback\n2024-09-08 23:01:08,u1,kbrd_redial,barcor_redial,chatgpt,\n');
    const bad = await runCli(['import', 'crsarena-dial', 'crs_arena_dial_open.json', 'votes_open.csv', '-o', 'out2'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/votes_open\.csv:2 {2}usage\/invalid[\s\S]*vote `chatgpt` names neither system/);
  });

  it.skipIf(!existsSync(CRSARENA))('imports the real release: 474 dialogues and 185 votes as SOURCE.md counts them (skipped when ../shared/datasets/crsarena-dial is absent)', async () => {
    const dir = temp();
    const result = await runCli(['import', 'crsarena-dial', CRSARENA, '-o', 'out'], { cwd: dir });
    expect(result.code).toBe(0);
    // 474 = 472 judgeable + 2 where the user left before any reply; 185 votes = 182 pairs + 3 naming those or absent dialogues.
    expect(result.stdout).toContain('imported 472 dialogues, 472 user verdicts and 182 voted pairs; left out: 2 dialogues without a system reply (nothing to judge), 3 votes naming a dialogue not imported');
    const transcripts = lines(path.join(dir, 'out/crsarena-dial.jsonl')).map((l) => JSON.parse(l) as { metadata: { setting: string; system: string } });
    expect(new Set(transcripts.map((t) => t.metadata.system)).size).toBe(9);
    // Both dialogues without a reply are in the open setting (254 dialogues there, 220 closed).
    expect(transcripts.filter((t) => t.metadata.setting === 'open')).toHaveLength(252);
    expect(transcripts.filter((t) => t.metadata.setting === 'closed')).toHaveLength(220);
    const validated = await runCli(['validate'], { cwd: path.join(dir, 'out') });
    expect(validated.stdout).toContain('ok: 472 transcripts (472 openai-chat), 1 rubrics (1 criteria), 3 judges');
    // The 182 battles judged head to head (mock judges), calibrated against the users' own votes.
    const out = path.join(dir, 'out');
    const run = await runCli(['run', '--mock', '-c', 'jury-pairwise.yaml'], { cwd: out });
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, 'reports/crsarena-dial-pairwise/report.json'), 'utf8'));
    expect(report.pairwise.criteria[0].pairs + report.pairwise.criteria[0].unscored).toBe(182);
    const votes = lines(path.join(out, 'crsarena-dial-pair-votes.csv')).slice(1).map((l) => l.split(',')[4]);
    // The users' votes as SOURCE.md's table gives them over the 182 imported battles: first, second or tie.
    expect(votes).toHaveLength(182);
    const calibrated = await runCli(['calibrate', 'reports/crsarena-dial-pairwise/report.json', '--labels', 'crsarena-dial-pair-votes.csv', '--format', 'json'], { cwd: out });
    expect(calibrated.code).toBe(0);
    const c = JSON.parse(calibrated.stdout).criteria[0];
    expect(c.labelled_units).toBe(182);
    // One vote per battle: the panel's exact agreement is the share of battles where its winner is the user's.
    const winners = new Map(report.items.map((i: any) => [i.id, i.preferences[0].winner]));
    const users = lines(path.join(out, 'crsarena-dial-pair-votes.csv')).slice(1).map((l) => l.split(','));
    const same = users.filter((u) => winners.get(u[0]) === u[4]).length;
    expect(c.raters.find((r: any) => r.rater === 'panel').exact.value).toBeCloseTo(same / 182, 12);
    // The users' own preference for the longer conversation, beside the judges'.
    const lengths = new Map<string | undefined, any>(report.items.map((i: any) => [i.id, i.lengths]));
    const decisive = users.filter((u) => u[4] !== 'tie' && lengths.get(u[0]).base.assistant_chars !== lengths.get(u[0]).candidate.assistant_chars);
    const longer = decisive.filter((u) => (lengths.get(u[0]).candidate.assistant_chars > lengths.get(u[0]).base.assistant_chars ? 'candidate' : 'base') === u[4]);
    const bias = JSON.parse((await runCli(['bias', 'reports/crsarena-dial-pairwise/report.json', '--labels', 'crsarena-dial-pair-votes.csv', '--format', 'json'], { cwd: out })).stdout);
    expect(bias.pairwise.people.decisive).toBe(decisive.length);
    expect(bias.pairwise.people.value).toBeCloseTo(longer.length / decisive.length, 12);
  });
});
