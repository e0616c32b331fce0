import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

// A workload shaped like a judge run: some live data, and a stream of objects that live long enough to be
// promoted (as a call's objects do while they wait on the network), then die. Peak heap with and without the
// lean policy, each in a fresh process (the policy is process-wide).
function peakHeapMb(lean: boolean): number {
  const policy = pathToFileURL(path.join(ROOT, 'dist/engine/heap-policy.js')).href;
  const script = `
    import v8 from 'node:v8';
    import { leanHeap } from '${policy}';
    const restore = ${lean} ? leanHeap() : () => {};
    const live = Array.from({ length: 40 }, () => new Array(128 * 1024).fill(1.5));
    const ring = new Array(30000);
    let peak = 0;
    for (let i = 0; i < 1_200_000; i++) {
      ring[i % ring.length] = { text: String(i).padEnd(600, 'x'), n: i };
      if (i % 10000 === 0) peak = Math.max(peak, v8.getHeapStatistics().total_heap_size);
    }
    restore();
    process.stdout.write(String(Math.round(peak / 1048576) + live.length * 0));`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  expect(out.stderr).toBe('');
  return Number(out.stdout);
}

describe('lean heap policy for large runs', () => {
  it('keeps the peak heap of a run-like workload well below what V8 allows by default', () => {
    const lean = peakHeapMb(true);
    const adaptive = peakHeapMb(false);
    expect(adaptive).toBeGreaterThan(100);
    expect(lean).toBeLessThan(adaptive * 0.75);
  });
});
