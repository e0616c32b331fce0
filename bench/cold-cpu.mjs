// What bounds jury's own CPU per call at 200 ms latency (issue 21): work done right after the process wakes from a
// few milliseconds idle runs several times slower than the same work done in a row. At 200 ms latency and 64 calls
// in flight a reply arrives every ~3 ms, and each one wakes the process on its own, so everything jury does per reply
// (and everything the SDKs do: the floor pays it too) is paid at the cold price. Each operation below is timed 300
// times hot (back to back) and 300 times cold (each after a 3 ms timer), in this process. Run with `npm run bench`
// or `node bench/cold-cpu.mjs`.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = mkdtempSync(path.join(tmpdir(), 'jury-cold-'));
const fd = openSync(path.join(dir, 'pack.jsonl'), 'w');
const line = Buffer.from(`${JSON.stringify({ key: 'a'.repeat(64), format: 'jury.cache', version: 3, reply: { text: '{"reasoning":"Fake verdict.","score":2,"cited_turns":[1]}' } })}\n`);
const entry = { key: 'a'.repeat(64), format: 'jury.cache', version: 3, provider: 'openai', model: 'model-a', reply: { text: '{"reasoning":"Fake verdict.","score":2,"cited_turns":[1]}', usage: { inputTokens: 614, outputTokens: 17, cachedInputTokens: 0 } } };
const prompt = 'You are an impartial expert evaluator. '.repeat(60);
const operations = {
  'write() of one 300-byte line to a file (the reply cache)': () => writeSync(fd, line),
  'JSON.stringify of a cache entry': () => JSON.stringify(entry),
  'sha256 of a 2.4 KB prompt (a cache key)': () => createHash('sha256').update(prompt).digest('hex'),
  'fstat() (a syscall that does nothing)': () => fstatSync(fd),
};
const REPEATS = 300;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('operation                                                  hot µs   after 3 ms idle µs   ×');
for (const [name, run] of Object.entries(operations)) {
  const hot = [];
  const cold = [];
  for (let i = 0; i < REPEATS; i++) {
    if (i % 50 === 0) await null;
    const t = performance.now();
    run();
    hot.push(performance.now() - t);
  }
  for (let i = 0; i < REPEATS; i++) {
    await new Promise((resolve) => setTimeout(resolve, 3));
    const t = performance.now();
    run();
    cold.push(performance.now() - t);
  }
  const h = median(hot) * 1000;
  const c = median(cold) * 1000;
  console.log(`${name.padEnd(58)} ${h.toFixed(1).padStart(6)}   ${c.toFixed(1).padStart(18)}   ${(c / h).toFixed(1)}`);
}
closeSync(fd);
rmSync(dir, { recursive: true, force: true });
