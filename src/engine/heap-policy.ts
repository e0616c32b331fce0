import v8 from 'node:v8';

/** Runs with at least this many planned verdicts keep their heap lean. */
export const LEAN_HEAP_FROM = 20_000;

/**
 * Caps how far V8 lets the heap grow between full collections, for the length of a large run. V8 lets the old
 * generation grow to about four times what survived the last full collection when collecting is cheap; in a
 * judge run every call's objects wait on the network long enough to be promoted out of the young generation,
 * so most of that growth is garbage (100,000 verdicts: 37 MB live, 275 MB peak). V8's own `heap_growing_percent`
 * at 100 caps the factor at two: about 200 MB for a few percent more CPU (docs/performance.md). Collections
 * stay V8's own, concurrent and incremental; nothing is forced. Returns what puts V8's adaptive policy back.
 */
export function leanHeap(): () => void {
  v8.setFlagsFromString('--heap-growing-percent=100');
  return () => v8.setFlagsFromString('--heap-growing-percent=0');
}
