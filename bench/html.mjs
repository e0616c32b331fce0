// The HTML report at the bench's size (issue 15): 8,334 conversations × 4 criteria × 3 judges = 100,008 verdicts,
// judged by the mock (the report's shape is what matters here, not the judges). Measures `jury view`'s time and
// the file's size, then opens it in Debian's Chromium (playwright-core): time to the overview, to the first rows
// of the item list, and for a text search over every transcript. Skipped when Chromium is absent.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'dist/jury.js');
const CHROMIUM = process.env.JURY_CHROMIUM ?? '/usr/bin/chromium';

function conversation(i) {
  return {
    id: `conv-${String(i).padStart(6, '0')}`,
    metadata: { genre: ['jazz', 'rock', 'ambient', 'hip-hop'][i % 4], listener: i % 3 ? 'returning' : 'new' },
    messages: [
      { role: 'system', content: 'You are Tempo, a music recommendation assistant.' },
      { role: 'user', content: `Conversation ${i}: something ${i % 2 ? 'laid back' : 'upbeat'} for ${['studying', 'running', 'cooking', 'a party'][i % 4]}.` },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search_catalogue', arguments: JSON.stringify({ mood: i % 2 ? 'calm' : 'energetic' }) } }] },
      { role: 'tool', tool_call_id: 'c1', content: JSON.stringify({ tracks: [{ id: `t${i}`, title: `Track ${i}`, artist: `Artist ${i % 97}` }] }) },
      { role: 'assistant', content: `Try "Track ${i}" by Artist ${i % 97}.` },
      { role: 'user', content: 'Perfect, thanks.' },
    ],
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'jury-bench-html-'));
writeFileSync(path.join(dir, 'data.jsonl'), Array.from({ length: 8334 }, (_, i) => JSON.stringify(conversation(i))).join('\n') + '\n');
writeFileSync(path.join(dir, 'bench.yaml'), `id: bench\nversion: 1\ntitle: Bench rubric\ncriteria:\n${['relevance', 'faithfulness', 'context', 'efficiency'].map((id) => `  - id: ${id}\n    question: How good is it on ${id}?\n    scale: { type: likert, min: 1, max: 5 }\n    anchors: { 1: bad, 2: weak, 3: fair, 4: good, 5: excellent }`).join('\n')}\n`);
writeFileSync(path.join(dir, 'jury.yaml'), 'label: bench\ndatasets: [data.jsonl]\nrubrics: [bench.yaml]\njudges:\n  - { id: a, provider: mock, model: a }\n  - { id: b, provider: mock, model: b }\n  - { id: c, provider: mock, model: c }\n');
const run = spawnSync(process.execPath, [BIN, 'run'], { cwd: dir, encoding: 'utf8' });
if (run.status !== 0) throw new Error(run.stderr);
// The mock's reasoning repeats (stored once each in the page); real judges write a different text every time.
// A second report gives each verdict its own 300-character reasoning, as a real panel's would.
const report = JSON.parse(readFileSync(path.join(dir, 'reports/bench/report.json'), 'utf8'));
let n = 0;
for (const item of report.items) for (const unit of item.results) for (const v of unit.verdicts) if (v.status === 'scored') v.reasoning = `Verdict ${n++}: ${'the assistant kept the constraint, asked one useful question and named tracks the tool returned; '.repeat(3)}`.slice(0, 300);
mkdirSync(path.join(dir, 'unique'), { recursive: true });
writeFileSync(path.join(dir, 'unique/report.json'), JSON.stringify(report));

const files = [];
for (const [name, input] of [['mock reasoning', 'reports/bench/report.json'], ['unique reasoning', 'unique/report.json']]) {
  const out = path.join(dir, `${name.split(' ')[0]}.html`);
  const started = performance.now();
  const view = spawnSync(process.execPath, [BIN, 'view', input, '-o', out], { cwd: dir, encoding: 'utf8' });
  if (view.status !== 0) throw new Error(view.stderr);
  const seconds = (performance.now() - started) / 1000;
  console.log(`HTML report of 100,008 verdicts (${name}): jury view ${seconds.toFixed(2)} s, ${(statSync(out).size / 1024 / 1024).toFixed(1)} MB (its report.json ${(statSync(path.join(dir, input)).size / 1024 / 1024).toFixed(1)} MB)`);
  files.push([name, out]);
}

if (!existsSync(CHROMIUM)) {
  console.log(`HTML report in Chromium: skipped (no Chromium at ${CHROMIUM})`);
} else for (const [name, file] of files) {
  console.log(`  ${name}:`);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  for (let trial = 1; trial <= 3; trial++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const t0 = performance.now();
    await page.goto(`file://${file}`, { waitUntil: 'commit' });
    await page.waitForSelector('#criteria-table', { state: 'visible' });
    const overview = performance.now() - t0;
    await page.waitForSelector('#list .row');
    const rows = performance.now() - t0;
    const s0 = performance.now();
    await page.fill('#f-text', 'track 4242"');
    await page.waitForFunction(() => document.getElementById('f-count').textContent.startsWith('1 of'));
    const search = performance.now() - s0;
    await page.fill('#f-text', '');
    await page.waitForFunction(() => document.getElementById('f-count').textContent.startsWith('8334 of'));
    const f0 = performance.now();
    await page.check('#f-disputed');
    await page.waitForFunction(() => !document.getElementById('f-count').textContent.startsWith('8334 of'));
    const filter = performance.now() - f0;
    console.log(`  Chromium trial ${trial}: overview visible ${(overview / 1000).toFixed(2)} s, item list drawn ${(rows / 1000).toFixed(2)} s, first text search ${(search / 1000).toFixed(2)} s, a filter ${(filter / 1000).toFixed(2)} s`);
    await page.close();
  }
  await browser.close();
}
