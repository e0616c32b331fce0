import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, workspace } from '../support/cli.js';

let dir: string;
beforeAll(async () => {
  dir = workspace();
  expect((await runCli(['run', '--mock'], { cwd: dir })).code).toBe(0);
});

describe('jury view', () => {
  it('writes the same bytes for the same inputs, beside the report by default', async () => {
    const first = await runCli(['view', 'reports/tempo-v1/report.json'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`wrote ${path.join(dir, 'reports/tempo-v1/report.html')}\n`);
    const a = readFileSync(path.join(dir, 'reports/tempo-v1/report.html'));
    expect((await runCli(['view', 'reports/tempo-v1/report.json', '-o', 'again.html'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(path.join(dir, 'again.html')).equals(a)).toBe(true);
    const html = a.toString('utf8');
    // No request can leave the page: the policy forbids every source but the inline script and style, by hash.
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-[A-Za-z0-9+/=]+&#39;; style-src &#39;sha256-[A-Za-z0-9+/=]+&#39;;/);
    expect(html).not.toMatch(/https?:\/\//);
    // The transcripts came from ./jury.yaml's datasets.
    expect(html).toContain('I need music to focus while I study.');
  });

  it('without transcripts it still writes the page, and says what is missing', async () => {
    rmSync(path.join(dir, 'elsewhere.html'), { force: true });
    const result = await runCli(['view', path.join(dir, 'reports/tempo-v1/report.json'), '-o', path.join(dir, 'elsewhere.html')], { cwd: path.join(dir, 'rubrics') });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('jury: note: no transcripts for the report: the page shows verdicts without conversations');
    expect(existsSync(path.join(dir, 'elsewhere.html'))).toBe(true);
  });

  it('a report that is not one is exit 2 naming it; gate --html writes the page too', async () => {
    const missing = await runCli(['view', 'nope.json'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json');
    rmSync(path.join(dir, 'reports/tempo-v1/report.html'), { force: true });
    const gate = await runCli(['gate', 'reports/tempo-v1/report.json', '--min-mean', '1', '--allow-simulated', '--html'], { cwd: dir });
    expect(gate.code).toBe(0);
    expect(existsSync(path.join(dir, 'reports/tempo-v1/report.html'))).toBe(true);
    expect(readFileSync(path.join(dir, 'reports/tempo-v1/report.html'), 'utf8')).not.toContain('<section id="diff"');
    // A baseline named in jury.yaml is the gate's baseline, and the page shows the diff against it.
    writeFileSync(path.join(dir, 'with-baseline.yaml'), `${readFileSync(path.join(dir, 'jury.yaml'), 'utf8')}\nbaseline: reports/tempo-v1/report.json\n`);
    const against = await runCli(['gate', 'reports/tempo-v1/report.json', '-c', 'with-baseline.yaml', '--min-mean', '1', '--allow-simulated', '--html'], { cwd: dir });
    expect(against.code).toBe(0);
    expect(readFileSync(path.join(dir, 'reports/tempo-v1/report.html'), 'utf8')).toContain('<section id="diff"');
  });
});

describe('jury view --open', () => {
  it("hands the file to the system's opener, and says so when there is none", async () => {
    const bin = path.join(dir, 'fake-bin');
    mkdirSync(bin, { recursive: true });
    const log = path.join(dir, 'opened.txt');
    writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" > "${log}"\n`);
    chmodSync(path.join(bin, 'xdg-open'), 0o755);
    const result = await runCli(['view', 'reports/tempo-v1/report.json', '-o', 'opened.html', '--open'], { cwd: dir, env: cleanEnv({ PATH: `${bin}:${process.env.PATH}` }) });
    expect(result.code).toBe(0);
    await waitFor(() => existsSync(log));
    expect(readFileSync(log, 'utf8').trim()).toBe(path.join(dir, 'opened.html'));
    const none = await runCli(['view', 'reports/tempo-v1/report.json', '-o', 'opened.html', '--open'], { cwd: dir, env: cleanEnv({ PATH: path.join(dir, 'empty-bin') }) });
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('jury: note: could not open it (xdg-open: ENOENT)');
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
}
