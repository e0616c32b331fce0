import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { writeJson } from '../../src/report/write.js';
import { ROOT, runCli, workspace } from '../support/cli.js';
import { syntheticReport } from '../support/synthetic-report.js';

// Debian's chromium, driven by playwright-core (no browser download). .ci/run installs it and sets
// JURY_REQUIRE_BROWSER, so on CI a missing browser fails instead of skipping.
const CHROMIUM = process.env.JURY_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.JURY_REQUIRE_BROWSER) throw new Error(`no Chromium at ${CHROMIUM}, and JURY_REQUIRE_BROWSER is set`);
if (!available) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set JURY_CHROMIUM)`);

const SHOTS = path.join(ROOT, 'test/.output/html');
// Runs in the page (the tests' TypeScript has no DOM types).
const scrollToItems = () => (globalThis as unknown as { document: { getElementById(id: string): { scrollIntoView(): void } } }).document.getElementById('items').scrollIntoView();
let browser: Browser;
let dir: string;
const report = (file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Report;

/** Opens a page with every request recorded: the file itself is the only one allowed. */
async function open(file: string, hash = '', options: { javaScriptEnabled?: boolean } = {}): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, ...options });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`file://${path.join(dir, file)}${hash}`);
  return { page, requests, errors };
}

describe.skipIf(!available)('the HTML report in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = workspace();
    expect((await runCli(['run', '--mock'], { cwd: dir })).code).toBe(0);
    // With a baseline, run gates too (no significant regression by default), and v2 did regress: exit 1, page written.
    const run = await runCli(['run', '--mock', '--dataset', 'datasets/music-recs/v2.jsonl', '--label', 'tempo-v2', '--html', '--baseline', 'reports/tempo-v1/report.json', '--allow-simulated'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`html: ${path.join(dir, 'reports/tempo-v2/report.html')}`);
    const view = await runCli(['view', 'reports/tempo-v2/report.json', '--baseline', 'reports/tempo-v1/report.json', '--dataset', 'datasets/music-recs/v2.jsonl', '--baseline-dataset', 'datasets/music-recs/v1.jsonl', '--labels', 'datasets/music-recs/labels-v2.csv', '-o', 'view.html'], { cwd: dir });
    expect(view.stderr).toBe('');
    expect(view.code).toBe(0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => browser?.close());

  it("shows the overview with report.json's numbers, and makes no request", async () => {
    const { page, requests, errors } = await open('view.html');
    const r = report('reports/tempo-v2/report.json');
    expect(await page.locator('#o-label').textContent()).toBe('tempo-v2');
    expect(await page.locator('#o-items').textContent()).toBe(String(r.items.length));
    await expect(page.locator('.banner').first().textContent()).resolves.toContain('SIMULATED');
    for (const c of r.criteria) {
      const row = page.locator(`#criteria-table tr[data-criterion="${c.rubric}/${c.criterion}"]`);
      expect(await row.locator('.mean').textContent()).toBe(c.mean === null ? '–' : c.mean.toFixed(2));
      expect((await row.locator('.alpha').textContent())!.startsWith(c.agreement.alpha.value === null ? '–' : c.agreement.alpha.value.toFixed(3))).toBe(true);
    }
    await page.screenshot({ path: path.join(SHOTS, 'overview.png') });
    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${path.join(dir, 'view.html')}`]);
  });

  it('an item shows its conversation and every verdict; a verdict highlights the turns it cites', async () => {
    const { page, errors } = await open('view.html');
    const r = report('reports/tempo-v2/report.json');
    const item = r.items.find((i) => i.id === 'study-focus')!;
    await page.locator('#list .row', { hasText: 'study-focus' }).click();
    await page.waitForSelector('#detail .verdict');
    const transcript = readFileSync(path.join(dir, 'datasets/music-recs/v2.jsonl'), 'utf8').split('\n').map((l) => (l ? (JSON.parse(l) as { id: string; messages: unknown[] }) : null)).find((t) => t?.id === 'study-focus')!;
    expect(await page.locator('#detail .compare').count()).toBe(0);
    expect(await page.locator('#detail .turn').count()).toBe(transcript.messages.length);
    expect(await page.locator('#detail .verdict').count()).toBe(item.results.reduce((n, u) => n + u.verdicts.length, 0));
    // The first scored verdict that cites turns: exactly those turns light up.
    const unitIndex = item.results.findIndex((u) => u.verdicts.some((v) => v.status === 'scored' && v.cited_turns.length > 0));
    const verdict = item.results[unitIndex]!.verdicts.find((v) => v.status === 'scored' && v.cited_turns.length > 0)!;
    const judgeIndex = [...r.run.judges.map((j) => j.id)].sort().indexOf(verdict.judge);
    await page.locator(`#detail .verdict[data-verdict="${unitIndex}.${judgeIndex}.0"]`).click();
    const cited = await page.locator('#detail .turn.cited').evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-turn'))));
    expect(cited).toEqual(verdict.status === 'scored' ? [...new Set(verdict.cited_turns)].sort((a, b) => a - b) : []);
    expect(page.url()).toContain(`v=${unitIndex}.${judgeIndex}.0`);
    await page.evaluate(scrollToItems);
    await page.screenshot({ path: path.join(SHOTS, 'item.png') });
    // A link keeps the view: opening it again shows the same item and the same highlighted turns.
    const again = await open('view.html', new URL(page.url()).hash);
    await again.page.waitForSelector('#detail .turn.cited');
    expect(await again.page.locator('#detail h3').first().textContent()).toBe('study-focus');
    expect(await again.page.locator('#detail .turn.cited').count()).toBe(cited.length);
    expect(errors).toEqual([]);
  });

  it('filters narrow the list to what the report says, and the keyboard moves through it', async () => {
    const { page } = await open('view.html');
    const r = report('reports/tempo-v2/report.json');
    const count = async () => Number((await page.locator('#f-count').textContent())!.split(' ')[0]);
    expect(await count()).toBe(30);
    await page.selectOption('#f-criterion', { label: 'music-recommendation/constraint_relevance' });
    await page.check('#f-disputed');
    const disputed = r.items.filter((i) => i.results.some((u) => u.criterion === 'constraint_relevance' && u.panel.status === 'scored' && u.panel.spread > 0)).length;
    expect(await count()).toBe(disputed);
    expect(disputed).toBeLessThan(30);
    await page.fill('#f-max', '2');
    const low = r.items.filter((i) => i.results.some((u) => u.criterion === 'constraint_relevance' && u.panel.status === 'scored' && u.panel.spread > 0 && Number(u.panel.score) <= 2)).length;
    expect(await count()).toBe(low);
    await page.uncheck('#f-disputed');
    await page.fill('#f-max', '');
    await page.selectOption('#f-criterion', '');
    await page.selectOption('#f-meta', 'change=forgets_constraint');
    expect(await count()).toBe(r.items.filter((i) => i.metadata?.change === 'forgets_constraint').length);
    await page.selectOption('#f-meta', '');
    await page.fill('#f-text', 'LULLABY');
    // Case-insensitive, in the id and the conversation's text (tool names and arguments included).
    const lines = readFileSync(path.join(dir, 'datasets/music-recs/v2.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; messages: { content?: unknown; tool_calls?: unknown }[] });
    const mentions = lines.filter((t) => `${t.id}\n${t.messages.map((m) => JSON.stringify([m.content, m.tool_calls ?? null])).join('\n')}`.toLowerCase().includes('lullaby')).length;
    expect(mentions).toBeGreaterThan(0);
    expect(await count()).toBe(mentions);
    expect(page.url()).toContain('q=LULLABY');
    await page.fill('#f-text', '');
    await page.focus('#list');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#detail h3').first().textContent()).toBe([...r.items.map((i) => i.id)].sort()[1]);
  });

  it('the diff lists the regressions jury diff lists, and an item opens both versions side by side', async () => {
    const { page, errors } = await open('view.html');
    const diff = JSON.parse((await runCli(['diff', 'reports/tempo-v1/report.json', 'reports/tempo-v2/report.json', '--format', 'json'], { cwd: dir })).stdout) as { regressions: { item: string; rubric: string; criterion: string }[]; criteria: { change: string }[] };
    const listed = await page.locator('#regressions li').evaluateAll((nodes) => nodes.map((n) => n.textContent!.split(':')[0]!.trim()));
    expect(listed).toEqual(diff.regressions.slice(0, 50).map((r) => `${r.item} ${r.rubric}/${r.criterion}`));
    expect(await page.locator('#diff-table .regressed').count()).toBe(diff.criteria.filter((c) => c.change === 'regressed').length);
    await page.locator('#regressions a').first().click();
    await page.waitForSelector('#detail .compare');
    expect(await page.locator('#detail .compare h4').allTextContents()).toEqual(['tempo-v1', 'tempo-v2']);
    expect(await page.locator('#detail .compare .turn').count()).toBeGreaterThan(4);
    await page.locator('#diff').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'diff.png') });
    await page.evaluate(scrollToItems);
    await page.screenshot({ path: path.join(SHOTS, 'compare.png') });
    expect(await page.locator('#calibration h3').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('is readable without JavaScript: the overview and tables are plain HTML', async () => {
    const { page } = await open('view.html', '', { javaScriptEnabled: false });
    expect(await page.locator('#criteria-table tbody tr').count()).toBe(report('reports/tempo-v2/report.json').criteria.length);
    expect(await page.locator('#browser').isVisible()).toBe(false);
    // run --html wrote its own page beside its report.
    expect(existsSync(path.join(dir, 'reports/tempo-v2/report.html'))).toBe(true);
  });

  it('hostile transcripts, reasoning, ids and metadata execute nothing and request nothing', async () => {
    const payloads = [
      '<script>window.__pwned = 1; fetch("http://127.0.0.1:9/x")</script>',
      '<img src=x onerror="window.__pwned=2">',
      '</script><script>window.__pwned=3</script><!--',
      '<svg onload="window.__pwned=4"><a href="javascript:window.__pwned=5">click</a></svg>',
      '<a href="javascript:alert(1)">javascript: link</a>',
      '<iframe src="http://127.0.0.1:9/frame"></iframe><link rel=stylesheet href="http://127.0.0.1:9/s.css">',
      // Inside a script element, `<!--<script>` would make the real end tag not end it (double-escaped state).
      '<!--<script>window.__pwned=7</script>-->',
    ];
    const hostile = payloads.join(' ');
    const ids = (i: number) => `x${i}"><img src=x onerror="window.__pwned=6">${i}`;
    const evil = syntheticReport({
      items: 3, criteria: ['c1'], judges: ['j1', 'j2'], ids, score: (j, item) => (j === 'j1' ? 2 : 4) + (item.length % 2),
      reasoning: () => hostile, cited: () => [1, 2], metadata: () => ({ note: hostile, 'k"><b>': '<u>v</u>' }),
    });
    writeJson(path.join(dir, 'evil/report.json'), evil);
    writeFileSync(path.join(dir, 'evil/t.jsonl'), Array.from({ length: 3 }, (_, i) => JSON.stringify({ id: ids(i), messages: [{ role: 'user', content: hostile }, { role: 'assistant', content: hostile, tool_calls: [{ id: 'c"1', type: 'function', function: { name: '<b>tool</b>', arguments: hostile } }] }, { role: 'tool', tool_call_id: 'c"1', content: hostile }, { role: 'assistant', content: hostile }] })).join('\n'));
    const made = await runCli(['view', 'evil/report.json', '--dataset', 'evil/t.jsonl'], { cwd: dir });
    expect(made.stderr).toBe('');
    const html = readFileSync(path.join(dir, 'evil/report.html'), 'utf8');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    const data = html.slice(html.indexOf('id="jury-data">') + 15, html.indexOf('</script>'));
    expect(data.length).toBeGreaterThan(1000);
    expect(data).not.toMatch(/[<>]/);
    const { page, requests, errors } = await open('evil/report.html');
    await page.locator('#list .row').first().click();
    await page.waitForSelector('#detail .verdict');
    await page.locator('#detail .verdict').first().click();
    for (const details of await page.locator('#detail details').all()) await details.click();
    await page.selectOption('#f-meta', { index: 1 });
    await page.fill('#f-text', 'onerror');
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#detail img, #detail script, #detail svg, #detail iframe, #list img').count()).toBe(0);
    // The text is there, as text.
    expect(await page.locator('#detail').textContent()).toContain('<script>window.__pwned = 1;');
    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${path.join(dir, 'evil/report.html')}`]);
  });
});
