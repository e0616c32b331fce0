import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/diff/diff.js';
import { jsonForScript } from '../../src/render/html/escape.js';
import { renderHtmlReport } from '../../src/render/html/page.js';
import { syntheticReport } from '../support/synthetic-report.js';

const hostileId = (i: number) => `<img src=x onerror=alert(${i})>"'&`;

describe('the HTML report, as text', () => {
  it('says INCOMPLETE and SIMULATED in banners, and escapes every id and value it writes as HTML', () => {
    const report = syntheticReport({ items: 4, criteria: ['c1'], judges: ['j1', 'j2'], simulated: true, ids: hostileId, score: (j, item) => (j === 'j1' ? 1 : 5) - (item.length % 2), missing: (j, item) => j === 'j2' && item === hostileId(0) });
    const html = renderHtmlReport({ report, transcripts: new Map(), source: '<b>report.json</b>' });
    expect(html).toContain('<p class="banner" role="alert">SIMULATED: ');
    expect(html).toContain('<p class="banner incomplete" role="alert">INCOMPLETE: 1 verdicts missing.');
    // The hostile ids appear among the most disputed items (static HTML) and in the data, never as markup.
    const body = html.slice(0, html.indexOf('<script type="application/json"'));
    expect(body).not.toContain('<img');
    expect(body).toContain('&lt;img src=x onerror=alert(');
    expect(body).toContain('&lt;b&gt;report.json&lt;/b&gt;');
    expect(html.match(/<script/g)).toHaveLength(2);
  });

  it("counts a logprob-weighted judge's scores at their nearest point in the criterion's histogram, ties going down", () => {
    // j1's weighted scores lie between the points; j2 writes points. Items 00–05: 1.49→1, 2.5→2 (tie down), 2.51→3,
    // 4.6→5, 5→5, 1→1.
    const weighted = [1.49, 2.5, 2.51, 4.6, 5, 1];
    const report = syntheticReport({ items: 6, criteria: ['c1'], judges: ['j1', 'j2'], score: (j, item) => (j === 'j1' ? weighted[Number(item.slice(5))]! : 3) });
    report.run.judges[0]!.score_mode = 'logprob';
    const html = renderHtmlReport({ report, transcripts: new Map(), source: 'r.json' });
    expect(html).toContain('aria-label="j1 (weighted, nearest point): 2 at 1, 1 at 2, 1 at 3, 0 at 4, 2 at 5"');
    expect(html).toContain('aria-label="j2: 0 at 1, 0 at 2, 6 at 3, 0 at 4, 0 at 5"');
  });

  it('is the same bytes for the same input, and its script and style hashes are in the policy', () => {
    const base = syntheticReport({ items: 12, criteria: ['c1', 'c2'], judges: ['j1', 'j2', 'j3'], label: 'base', score: (j, item) => 3 + (item.length % 2) });
    const candidate = syntheticReport({ items: 12, criteria: ['c1', 'c2'], judges: ['j1', 'j2', 'j3'], label: 'cand', score: (j, item, c) => 3 + (item.length % 2) - (c === 'c1' ? 1 : 0) });
    const input = { report: candidate, transcripts: new Map(), baseline: { report: base, diff: diffReports(base, candidate), transcripts: new Map() }, source: 'r.json' };
    const a = renderHtmlReport(input);
    expect(renderHtmlReport(input)).toBe(a);
    expect(a).toContain('<section id="diff"');
    expect(a).toMatch(/<td class="regressed">regressed<\/td>/);
    const policy = /content="default-src &#39;none&#39;; script-src &#39;sha256-([^&]+)&#39;; style-src &#39;sha256-([^&]+)&#39;;/.exec(a)!;
    const script = a.slice(a.lastIndexOf('<script>') + 8, a.lastIndexOf('</script>'));
    const style = a.slice(a.indexOf('<style>') + 7, a.indexOf('</style>'));
    expect(policy[1]).toBe(createHash('sha256').update(script).digest('base64'));
    expect(policy[2]).toBe(createHash('sha256').update(style).digest('base64'));
  });

  it('embeds JSON that no data can break out of, and that reads back unchanged', () => {
    const value = { t: '</script><!--<script>\u2028&amp;', n: [1, null] };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
