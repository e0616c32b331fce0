import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { leanHeapFlags } from '../../src/engine/heap-policy.js';
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
  // V8 prints "unrecognized flag" here when a flag the policy sets no longer exists.
  expect(out.stderr).toBe('');
  return Number(out.stdout);
}

const NODE_20_V8 = '11.3.244.8-node.38';
const NODE_22_V8 = '12.4.254.21-node.57';
const NODE_24_V8 = '13.6.233.17-node.63';

describe('lean heap policy for large runs', () => {
  it('caps the old generation growth on every V8, and stops the young generation growing from V8 13 (Node 24) on', () => {
    const growing = '--heap-growing-percent=100';
    const semiSpace = '--semi-space-growth-factor=1';
    expect(leanHeapFlags(NODE_20_V8).map((f) => f.set)).toEqual([growing]);
    expect(leanHeapFlags(NODE_22_V8).map((f) => f.set)).toEqual([growing]);
    expect(leanHeapFlags('12.9.1').map((f) => f.set)).toEqual([growing]);
    expect(leanHeapFlags('13.0.0').map((f) => f.set)).toEqual([growing, semiSpace]);
    expect(leanHeapFlags(NODE_24_V8).map((f) => f.set)).toEqual([growing, semiSpace]);
    expect(leanHeapFlags('not a version').map((f) => f.set)).toEqual([growing]);
  });

  it('restores the defaults V8 documents for each flag it sets', () => {
    expect(leanHeapFlags(NODE_24_V8).map((f) => f.restore)).toEqual(['--heap-growing-percent=0', '--semi-space-growth-factor=2']);
  });

  // Depends on V8 internals: the flags are V8's, not Node's, and may be renamed or dropped by a V8 upgrade.
  it(`(V8 internals) every flag the policy sets on this Node (${process.version}) exists in its V8, with the default it restores`, () => {
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    expect(options.status).toBe(0);
    const flags = leanHeapFlags(process.versions.v8);
    expect(flags.length).toBeGreaterThan(0);
    for (const flag of flags) {
      const name = flag.set.split('=')[0]!;
      expect(options.stdout, `V8 ${process.versions.v8} has no ${name}: the lean heap policy needs a new mechanism`).toContain(`  ${name} (`);
      expect(options.stdout, `V8 ${process.versions.v8} changed the default of ${name}`).toContain(`default: ${flag.restore}`);
    }
  });

  it(`(V8 internals) keeps the peak heap of a run-like workload well below what V8 allows by default on this Node (${process.version})`, () => {
    const lean = peakHeapMb(true);
    const adaptive = peakHeapMb(false);
    expect(adaptive).toBeGreaterThan(100);
    // Measured: Node 20 92 vs 107 MB, Node 22 92 vs 117, Node 24 104 vs 177; without the policy the two are equal.
    expect(lean, `lean ${lean} MB vs adaptive ${adaptive} MB`).toBeLessThan(adaptive * 0.9);
  });
});
