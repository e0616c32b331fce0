import { existsSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli, workspace } from '../support/cli.js';
import { waitFor } from '../support/wait.js';

const slowMock = (label: string, latency = 60) => `
label: ${label}
datasets: [datasets/music-recs/v1.jsonl]
rubrics: [rubrics/conversational-quality.yaml]
judges:
  - { id: a, provider: mock, model: m, options: { latency_ms: ${latency} } }
  - { id: b, provider: mock, model: n, options: { latency_ms: ${latency} } }
concurrency: 4
`;

function journalLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '') : [];
}


describe('Ctrl-C', () => {
  it('first SIGINT stops scheduling, lets calls in flight finish, writes a partial report marked incomplete, exits 130; --resume finishes it', async () => {
    const dir = workspace(slowMock('sig'));
    const journal = path.join(dir, 'reports/sig/verdicts.jsonl');
    const { child, done } = startCli(['run'], { cwd: dir });
    await waitFor(() => journalLines(journal).length > 12);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('stopping: no new calls');
    const report = JSON.parse(readFileSync(path.join(dir, 'reports/sig/report.json'), 'utf8'));
    const journaled = journalLines(journal).length - 1;
    expect(report.incomplete.missing_verdicts).toBe(180 - journaled);
    expect(report.incomplete.resume).toBe('jury run --resume reports/sig');
    // The calls in flight at the signal (up to 4) finished and were journaled; every line stands alone.
    for (const line of journalLines(journal)) JSON.parse(line);
    expect(existsSync(path.join(dir, 'reports/sig/.jury.lock'))).toBe(false);

    const resumed = await runCli(['run', '--resume', 'reports/sig'], { cwd: dir });
    expect(resumed.code).toBe(0);
    const whole = await runCli(['run', '--out', 'whole'], { cwd: dir });
    expect(whole.code).toBe(0);
    expect(readFileSync(path.join(dir, 'reports/sig/report.json'), 'utf8')).toBe(readFileSync(path.join(dir, 'whole/sig/report.json'), 'utf8'));
  });

  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${signal} (what Docker, Kubernetes and CI runners send) drains like the first Ctrl-C and exits ${code}; the hint names a non-default config`, async () => {
      const dir = workspace();
      writeFileSync(path.join(dir, 'slow.yaml'), slowMock('term'));
      const journal = path.join(dir, 'reports/term/verdicts.jsonl');
      const { child, done } = startCli(['run', '-c', 'slow.yaml'], { cwd: dir });
      await waitFor(() => journalLines(journal).length > 12);
      child.kill(signal);
      const result = await done;
      expect(result.code).toBe(code);
      expect(result.stderr).toContain(`stopping: no new calls; waiting for the calls in flight (${signal};`);
      expect(result.stderr).toMatch(/Finish it with: jury run -c slow\.yaml --resume \S*reports\/term/);
      const report = JSON.parse(readFileSync(path.join(dir, 'reports/term/report.json'), 'utf8'));
      expect(report.incomplete.missing_verdicts).toBe(180 - (journalLines(journal).length - 1));
      expect(report.incomplete.resume).toBe('jury run -c slow.yaml --resume reports/term');
      expect((await runCli(['run', '-c', 'slow.yaml', '--resume', 'reports/term'], { cwd: dir })).code).toBe(0);
    });
  }

  it('a second SIGINT exits at once, journal intact', async () => {
    const dir = workspace(slowMock('twice', 6000));
    const journal = path.join(dir, 'reports/twice/verdicts.jsonl');
    const { child, done } = startCli(['run'], { cwd: dir });
    await waitFor(() => journalLines(journal).length >= 1);
    const started = Date.now();
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    // The calls in flight take 6 s each; leaving before them is what "at once" means.
    expect(Date.now() - started).toBeLessThan(4000);
    expect(result.stderr).toContain('quitting now');
    const lines = journalLines(journal);
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'jury.journal' });
    for (const line of lines) JSON.parse(line);
  });
});

describe('two runs into one folder', () => {
  it('the second refuses with a clear message while the first is running', async () => {
    const dir = workspace(slowMock('shared', 500));
    const first = startCli(['run'], { cwd: dir });
    await waitFor(() => existsSync(path.join(dir, 'reports/shared/.jury.lock')));
    const second = await runCli(['run'], { cwd: dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('run/locked');
    expect(second.stderr).toMatch(/another jury run \(pid \d+\) is writing to this folder/);
    first.child.kill('SIGKILL');
    await first.done;
    // A lock left by a killed run (its pid is gone) does not block the next one.
    expect(existsSync(path.join(dir, 'reports/shared/.jury.lock'))).toBe(true);
    writeFileSync(path.join(dir, 'fast.yaml'), slowMock('shared', 0));
    // The killed run's journal holds paid verdicts: a fresh run is refused with the command that finishes it.
    const fresh = await runCli(['run', '-c', 'fast.yaml'], { cwd: dir });
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toContain('this run folder holds an interrupted run whose journal keeps verdicts already paid for');
    expect(fresh.stderr).toMatch(/finish it with: jury run -c fast\.yaml --resume \S*reports\/shared/);
    rmSync(path.join(dir, 'reports/shared/verdicts.jsonl'));
    const third = await runCli(['run', '-c', 'fast.yaml'], { cwd: dir });
    expect(third.code).toBe(0);
  });
});
