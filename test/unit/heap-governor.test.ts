import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { HeapGovernor } from '../../src/engine/heap-governor.js';

describe('heap governor', () => {
  it('collects once the heap has grown well past what the last collection kept, and not before', async () => {
    const governor = new HeapGovernor(16);
    for (let i = 0; i < 64; i++) governor.tick();
    expect(governor.collections).toBe(0);
    // 96 MB of short-lived garbage that V8 would happily leave for later.
    let garbage: number[][] | undefined = Array.from({ length: 96 }, () => new Array<number>(128 * 1024).fill(1.5));
    const before = v8.getHeapStatistics().used_heap_size;
    expect(garbage.length).toBe(96);
    garbage = undefined;
    for (let i = 0; i < 16; i++) governor.tick();
    expect(governor.collections).toBe(1);
    // The collection runs in the background; once it is done the heap is back near where it was.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(v8.getHeapStatistics().used_heap_size).toBeLessThan(before - 64 * 1024 * 1024);
    // Another window of ticks without growth asks for nothing more.
    for (let i = 0; i < 64; i++) governor.tick();
    expect(governor.collections).toBe(1);
  });
});
