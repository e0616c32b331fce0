import v8 from 'node:v8';

/** Runs with at least this many planned verdicts keep their heap lean. */
export const LEAN_HEAP_FROM = 20_000;

/** One V8 flag the policy sets for a run, and the value that puts V8's default back. */
export interface HeapFlag {
  readonly set: string;
  readonly restore: string;
}

/**
 * The V8 flags that keep a large run's heap lean on the V8 of a given Node version (docs/performance.md).
 *
 * In a judge run every call's objects wait on the network long enough to be promoted, so most of what the heap
 * grows by is garbage (100,000 verdicts: ~40 MB live). Two of V8's own growth rules make that garbage cost memory:
 * - The old generation may grow to about four times what survived the last full collection when collecting is
 *   cheap. `heap_growing_percent` at 100 caps the factor at two (Node 20 and 22: 275 → ~195 MB peak).
 * - V8 13 (Node 24) lets the young generation grow to 64 MB semi-spaces, 128 MB of new space held for the whole
 *   run (311 MB peak). `semi_space_growth_factor` at 1 stops it growing past its size when the run starts; the
 *   semi-space maximum itself can only be set when the process starts, so it is not a runtime option.
 * Collections stay V8's own, concurrent and incremental; nothing is forced. Both flags are V8 internals, which is
 * why test/unit/heap-policy.test.ts checks that each one still exists on the Node that runs it.
 */
export function leanHeapFlags(v8Version: string): HeapFlag[] {
  const flags: HeapFlag[] = [{ set: '--heap-growing-percent=100', restore: '--heap-growing-percent=0' }];
  if (v8Major(v8Version) >= 13) flags.push({ set: '--semi-space-growth-factor=1', restore: '--semi-space-growth-factor=2' });
  return flags;
}

function v8Major(version: string): number {
  const major = Number.parseInt(version, 10);
  return Number.isFinite(major) ? major : 0;
}

/** Applies `leanHeapFlags` for this process's V8, for the length of a large run; returns what restores V8's defaults. */
export function leanHeap(): () => void {
  const flags = leanHeapFlags(process.versions.v8);
  for (const flag of flags) v8.setFlagsFromString(flag.set);
  return () => {
    for (const flag of flags) v8.setFlagsFromString(flag.restore);
  };
}
