import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanEnv, ROOT, runCli } from '../support/cli.js';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; files: string[] };
const temp = (name: string) => mkdtempSync(path.join(tmpdir(), `jury-${name}-`));

describe('the package, installed from its tarball into an empty project', () => {
  let project: string;
  beforeAll(() => {
    // The tarball is installed with its dependencies from the registry, as a user's project gets them: a file
    // missing from `files`, or a dev-only import, fails here. `--ignore-scripts`: prepack would rebuild dist/ while
    // other test files run the CLI from it (npm test has just built it).
    const out = temp('pack');
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path);
    expect(files).toContain('dist/jury.js');
    expect(files).toContain('action.yml');
    expect(files).toContain('rubrics/support-agent.yaml');
    expect(files).toContain('templates/transcripts/general-assistant.jsonl');
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.map'))).toBe(false);
    project = temp('project');
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-agent-evals', private: true, type: 'module' }));
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(out, packed[0]!.filename)], { cwd: project, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
  }, 240_000);

  // The Node running the tests first on PATH, so the installed bin (#!/usr/bin/env node) runs on it too.
  const onThisNode = () => cleanEnv({ PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` });
  const npx = (args: string[]) => spawnSync('npx', ['--no-install', 'jury', ...args], { cwd: project, encoding: 'utf8', env: onThisNode() });

  it('npx jury --version, init, validate, run --mock and view work there', () => {
    const version = npx(['--version']);
    expect(version.stdout.trim()).toBe(`jury ${pkg.version} (Node ${process.version})`);
    const init = npx(['init', '--yes']);
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain('wrote jury.yaml');
    expect(npx(['validate']).stdout).toContain('ok: 3 transcripts (3 openai-chat), 1 rubrics (7 criteria), 2 judges');
    const run = npx(['run', '--mock']);
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(path.join(project, 'reports/my-agent/report.json'))).toBe(true);
    expect(npx(['view', 'reports/my-agent/report.json']).status).toBe(0);
    expect(readFileSync(path.join(project, 'reports/my-agent/report.html'), 'utf8')).toContain('Aruarian Dance');
  });

  it('leaves node-llama-cpp out (an optional peer), and a llama-cpp judge then says how to install it', () => {
    expect(existsSync(path.join(project, 'node_modules/node-llama-cpp'))).toBe(false);
    const local = path.join(project, 'local');
    mkdirSync(local, { recursive: true });
    writeFileSync(path.join(local, 'judge.gguf'), 'GGUF');
    writeFileSync(path.join(local, 'jury.yaml'), 'datasets: [../datasets/*.jsonl]\nrubrics: [../rubrics/*.yaml]\njudges:\n  - id: local\n    provider: llama-cpp\n    model_path: judge.gguf\n');
    const run = spawnSync('npx', ['--no-install', 'jury', 'run'], { cwd: local, encoding: 'utf8', env: onThisNode() });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain('needs the optional package node-llama-cpp, which is not installed: run `npm install node-llama-cpp@3.21.1`');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('the library API: a script judges a folder of transcripts and reads the report (the docs/api.md example)', () => {
    const example = readFileSync(path.join(ROOT, 'docs/api.md'), 'utf8').match(/```js\n([\s\S]*?)```/)![1]!;
    writeFileSync(path.join(project, 'example.mjs'), example);
    const result = spawnSync(process.execPath, ['example.mjs'], { cwd: project, encoding: 'utf8', env: cleanEnv() });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^my-agent: 3 items$/m);
    expect(result.stdout).toMatch(/^music-recommendation\/intent_understanding: mean \d\.\d\d$/m);
    // Types ship with it.
    expect(existsSync(path.join(project, 'node_modules/jury/dist/api.d.ts'))).toBe(true);
  });
});

describe('jury init', () => {
  for (const [template, provider, criteria] of [['music-recommendation', 'openai', 7], ['support-agent', 'anthropic', 5], ['general-assistant', 'ollama', 5]] as const) {
    it(`--template ${template} --provider ${provider}: validates, runs with the mock, and overwrites nothing`, async () => {
      const dir = temp('init');
      writeFileSync(path.join(dir, 'labels.template.csv'), 'mine\n');
      const init = await runCli(['init', '--yes', '--template', template, '--provider', provider, '--ci', 'github'], { cwd: dir });
      expect(init.code).toBe(0);
      expect(init.stdout).toContain('kept  labels.template.csv (it exists; not overwritten)');
      expect(init.stdout).toContain('next:\n  npx jury validate\n  npx jury run --mock\n  npx jury view reports/my-agent/report.json --open\n');
      expect(readFileSync(path.join(dir, 'labels.template.csv'), 'utf8')).toBe('mine\n');
      const config = parse(readFileSync(path.join(dir, 'jury.yaml'), 'utf8')) as { judges: { provider: string; base_url?: string; model: string }[] };
      expect(config.judges).toHaveLength(2);
      if (provider === 'ollama') expect(config.judges.every((j) => j.base_url === 'http://127.0.0.1:11434/v1')).toBe(true);
      else expect(new Set(config.judges.map((j) => j.provider))).toEqual(new Set(['openai', 'anthropic']));
      expect(config.judges[0]!.provider).toBe(provider === 'ollama' ? 'openai' : provider);
      const validated = await runCli(['validate'], { cwd: dir });
      expect(validated.stdout).toContain(`ok: 3 transcripts (3 openai-chat), 1 rubrics (${criteria} criteria), 2 judges`);
      expect((await runCli(['run', '--mock'], { cwd: dir })).code).toBe(0);
      const workflow = parse(readFileSync(path.join(dir, '.github/workflows/jury.yml'), 'utf8')) as { jobs: { eval: { steps: { uses?: string }[] } } };
      expect(workflow.jobs.eval.steps.map((s) => s.uses).filter(Boolean)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', './node_modules/jury']);
      // A second init keeps everything.
      const again = await runCli(['init', '--yes', '--template', template, '--provider', provider], { cwd: dir });
      expect(again.stdout).not.toContain('wrote ');
    });
  }

  it('every rubric in the library has an anchor for every score of every criterion', () => {
    for (const file of readdirSync(path.join(ROOT, 'rubrics'))) {
      const rubric = parse(readFileSync(path.join(ROOT, 'rubrics', file), 'utf8')) as { criteria: { id: string; scale: { type: string; min?: number; max?: number; labels?: string[] }; anchors: Record<string, string> }[] };
      for (const c of rubric.criteria) {
        const points = c.scale.type === 'likert' ? Array.from({ length: c.scale.max! - c.scale.min! + 1 }, (_, i) => String(c.scale.min! + i)) : c.scale.type === 'binary' ? ['0', '1'] : c.scale.labels!;
        expect(Object.keys(c.anchors).sort(), `${file} ${c.id}`).toEqual([...points].sort());
      }
    }
  });
});

describe('the GitHub Action', () => {
  it('action.yml is a composite action with the inputs and steps docs/ci.md describes', () => {
    const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }>; runs: { using: string; steps: { name: string; uses?: string; run?: string; if?: string }[] } };
    expect(Object.keys(action.inputs).sort()).toEqual(['artifact-name', 'baseline', 'baseline-artifact', 'comment', 'config', 'gate-flags', 'pairwise']);
    expect(action.inputs.config!.default).toBe('jury.yaml');
    expect(action.runs.using).toBe('composite');
    const steps = action.runs.steps;
    const run = steps.find((s) => s.name === 'Judge and gate')!.run!;
    expect(run).toContain('args=(run -c "$CONFIG" --gate --html --junit jury-junit.xml)');
    expect(run).toContain('npx --no-install jury diff "$BASELINE" "$report" --format md > jury-comment.md');
    expect(steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!.if).toContain('always()');
    expect(steps.find((s) => s.name === 'Comment on the pull request')!.run).toBe('npx --no-install jury comment --body-file jury-comment.md');
    expect(steps.at(-1)!.run).toBe('exit "${CODE:-3}"');
    expect(pkg.files).toContain('action.yml');
    // docs/ci.md shows the workflow that uses it.
    expect(readFileSync(path.join(ROOT, 'docs/ci.md'), 'utf8')).toContain('uses: ./node_modules/jury');
  });
});

describe('smaller things a user expects', () => {
  it('--version names jury and Node; every command has an example in its --help', async () => {
    expect((await runCli(['--version'], { cwd: ROOT })).stdout).toBe(`jury ${pkg.version} (Node ${process.version})\n`);
    for (const command of ['validate', 'run', 'diff', 'gate', 'view', 'init', 'agreement', 'calibrate', 'review export', 'review import', 'import otel', 'import verdicts', 'merge', 'comment', 'completion', 'power', 'rank', 'bias', 'annotators', 'probe']) {
      const help = await runCli([...command.split(' '), '--help'], { cwd: ROOT });
      expect(help.stdout, command).toMatch(/\nExamples?:\n {2}(npx )?jury |\nExamples?:\n {2}source/);
    }
  });

  it('bash completion completes commands, subcommands and options', async () => {
    const script = (await runCli(['completion', 'bash'], { cwd: ROOT })).stdout;
    const file = path.join(temp('completion'), 'jury.bash');
    writeFileSync(file, script);
    const complete = (words: string[]) => spawnSync('bash', ['-c', `source '${file}'; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _jury; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' }).stdout.trim();
    expect(complete(['jury', 'v'])).toBe('validate view');
    expect(complete(['jury', 'import', 'o'])).toBe('otel');
    expect(complete(['jury', 'run', '--ma'])).toBe('--max-cost --max-error-rate --max-regression --max-slice-regression');
    expect(complete(['jury', 'review', 'export', '--t'])).toBe('--top');
    expect((await runCli(['completion', 'fish'], { cwd: ROOT })).stdout).toContain('complete -c jury -n "__fish_seen_subcommand_from import" -a otel');
    expect((await runCli(['completion', 'zsh'], { cwd: ROOT })).stdout).toMatch(/^#compdef jury/);
    const bad = await runCli(['completion', 'tcsh'], { cwd: ROOT });
    expect(bad.code).toBe(2);
  });

  it('the summary table folds to the terminal width, and --wide keeps it whole', async () => {
    const dir = temp('wide');
    execFileSync('cp', ['-r', path.join(ROOT, 'rubrics'), path.join(ROOT, 'datasets'), path.join(ROOT, 'jury.yaml'), dir]);
    const narrow = await runCli(['run', '--mock'], { cwd: dir, env: cleanEnv({ COLUMNS: '100' }) });
    const table = narrow.stdout.slice(0, narrow.stdout.indexOf('\n\n'));
    for (const line of table.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    // Each judge's mean goes first; at 100 columns the counts have to go too. Prose wraps at the width as well.
    expect(narrow.stdout).toContain("(left out to fit 100 columns: each judge's mean and the scored, unscored and failed counts;");
    for (const line of narrow.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    const roomy = await runCli(['run', '--mock', '--label', 'roomy'], { cwd: dir, env: cleanEnv({ COLUMNS: '130' }) });
    expect(roomy.stdout).toContain("(left out to fit 130 columns: each judge's mean; --wide shows every column)");
    const wide = await runCli(['run', '--mock', '--wide', '--label', 'wide'], { cwd: dir, env: cleanEnv({ COLUMNS: '100' }) });
    expect(wide.stdout.split('\n').find((l) => l.startsWith('criterion'))).toMatch(/claude +gpt +qwen-local$/);
    expect(wide.stdout).not.toContain('left out to fit');
  });
});
