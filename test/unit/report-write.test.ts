import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeJson, writeReport } from '../../src/report/write.js';
import type { Report } from '../../src/report/report.js';
import { syntheticReport } from '../support/synthetic-report.js';

// A run writes report.json item by item; the bytes must be those of the whole report written at once
// (reruns, shards merged and the cached re-run are compared byte for byte).
function bothWays(report: Report): [Buffer, Buffer] {
  const dir = mkdtempSync(path.join(tmpdir(), 'report-write-'));
  writeJson(path.join(dir, 'whole.json'), report);
  const { items, ...head } = report;
  writeReport(path.join(dir, 'streamed.json'), head, items);
  return [readFileSync(path.join(dir, 'whole.json')), readFileSync(path.join(dir, 'streamed.json'))];
}

describe('report.json written item by item', () => {
  it('is byte-identical to the whole report written at once', () => {
    const report = syntheticReport({ items: 40, criteria: ['c1', 'c2', 'c3'], judges: ['a', 'b', 'c'], score: (j, i, c) => 1 + ((j.charCodeAt(0) + i.length * 7 + c.charCodeAt(1)) % 5) });
    // Text that JSON must escape, multi-byte characters, and an unscored unit.
    const verdict = report.items[3]!.results[0]!.verdicts[0]!;
    if (verdict.status === 'scored') verdict.reasoning = 'line one\nline "two" — café 🎧 \\ end\u2028';
    report.items[5]!.results[1]!.verdicts = [{ judge: 'a', sample: 0, status: 'failed', cause: 'timeout' }];
    report.items[5]!.results[1]!.panel = { status: 'unscored', reason: 'quorum', judges: 1 };
    const [whole, streamed] = bothWays(report);
    expect(streamed.length).toBeGreaterThan(10_000);
    expect(streamed.equals(whole)).toBe(true);
    expect(JSON.parse(streamed.toString('utf8'))).toEqual(JSON.parse(whole.toString('utf8')));
  });

  it('writes an empty items section as the whole report would', () => {
    const report = syntheticReport({ items: 0, criteria: ['c1'], judges: ['a'], score: () => 3 });
    const [whole, streamed] = bothWays(report);
    expect(whole.toString('utf8')).toContain('"items": []');
    expect(streamed.equals(whole)).toBe(true);
  });

  it('leaves no file behind when an item cannot be written', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'report-write-'));
    const { items: _items, ...head } = syntheticReport({ items: 2, criteria: ['c1'], judges: ['a'], score: () => 3 });
    function* failing() {
      yield { id: 'x', results: [] };
      throw new Error('journal unreadable');
    }
    expect(() => writeReport(path.join(dir, 'report.json'), head, failing())).toThrow(new Error('journal unreadable'));
    expect(readdirSync(dir)).toEqual([]);
  });
});
