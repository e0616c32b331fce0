import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JudgeConfig } from '../../src/config/config.js';
import { INDEX_BATCH, INDEX_DELAY_MS, ReplyCache } from '../../src/engine/reply-cache.js';
import type { ProviderReply } from '../../src/judges/provider.js';

const judge = { provider: 'openai', model: 'gpt-test' } as JudgeConfig;
const key = (n: number) => createHash('sha256').update(`request ${n}`).digest('hex');
const reply = (n: number): ProviderReply => ({ text: `{"score":${n % 5},"reasoning":"r ${n} ü \\"quoted\\""}`, usage: { inputTokens: n, outputTokens: 7, cachedInputTokens: 0 } });
const folder = () => mkdtempSync(path.join(tmpdir(), 'reply-cache-'));
const packFiles = (dir: string, ext: string) => readdirSync(path.join(dir, 'packs')).filter((f) => f.endsWith(ext)).map((f) => path.join(dir, 'packs', f));

describe('reply cache', () => {
  it('serves what was stored, in the same cache and in a later one, and misses what was not', () => {
    const dir = folder();
    const writer = new ReplyCache(dir);
    for (let n = 0; n < 300; n++) expect(writer.put(key(n), judge, reply(n))).toBe(true);
    expect(writer.get(key(5))).toEqual(reply(5));
    writer.close();
    const reader = new ReplyCache(dir);
    for (let n = 0; n < 300; n++) expect(reader.get(key(n))).toEqual(reply(n));
    expect(reader.get(key(300))).toBeUndefined();
    reader.close();
    // One pack and one index for the 300 replies, not 300 files; no key or header is stored.
    expect(packFiles(dir, '.jsonl')).toHaveLength(1);
    expect(statSync(packFiles(dir, '.idx')[0]!).size).toBe(300 * 44);
    const lines = readFileSync(packFiles(dir, '.jsonl')[0]!, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[7]!)).toEqual({ key: key(7), format: 'jury.cache', version: 3, provider: 'openai', model: 'gpt-test', reply: reply(7) });
  });

  it('gives each writer a pack of its own, so parallel writers (shards) never collide, and a reader sees both', () => {
    const dir = folder();
    const a = new ReplyCache(dir);
    const b = new ReplyCache(dir);
    for (let n = 0; n < 50; n++) {
      a.put(key(n), judge, reply(n));
      b.put(key(1000 + n), judge, reply(1000 + n));
    }
    a.close();
    b.close();
    expect(packFiles(dir, '.jsonl')).toHaveLength(2);
    const reader = new ReplyCache(dir);
    expect(reader.get(key(49))).toEqual(reply(49));
    expect(reader.get(key(1049))).toEqual(reply(1049));
    reader.close();
  });

  it('creates nothing when nothing is stored', () => {
    const dir = folder();
    const cache = new ReplyCache(dir);
    expect(cache.get(key(1))).toBeUndefined();
    cache.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('treats a writer killed mid-write as a miss for that entry only: cut index record, cut line, index past the pack', () => {
    const dir = folder();
    const writer = new ReplyCache(dir);
    for (let n = 0; n < 3; n++) writer.put(key(n), judge, reply(n));
    writer.close();
    const [pack] = packFiles(dir, '.jsonl');
    const [index] = packFiles(dir, '.idx');
    // The third line cut in half, and a fourth index record cut after 20 bytes.
    truncateSync(pack!, statSync(pack!).size - 10);
    appendFileSync(index!, Buffer.alloc(20, 1));
    const reader = new ReplyCache(dir);
    expect(reader.get(key(0))).toEqual(reply(0));
    expect(reader.get(key(1))).toEqual(reply(1));
    expect(reader.get(key(2))).toBeUndefined();
    reader.close();
  });

  it('never serves a line stored for another key (an index pointing at the wrong line)', () => {
    const dir = folder();
    const writer = new ReplyCache(dir);
    for (let n = 0; n < 3; n++) writer.put(key(n), judge, reply(n));
    writer.close();
    const [index] = packFiles(dir, '.idx');
    const records = readFileSync(index!);
    // Point key 1's record at key 0's line (key 2's record still covers the pack to its end: no tail to read).
    records.copy(records, 44 + 32, 32, 44);
    writeFileSync(index!, records);
    const reader = new ReplyCache(dir);
    expect(reader.get(key(0))).toEqual(reply(0));
    expect(reader.get(key(1))).toBeUndefined();
    expect(reader.get(key(2))).toEqual(reply(2));
    reader.close();
  });

  it('writes index records 64 at a time or 25 ms after the first, and finds lines whose records never came (a kill -9) in the pack', async () => {
    const dir = folder();
    const writer = new ReplyCache(dir);
    for (let n = 0; n < INDEX_BATCH - 1; n++) writer.put(key(n), judge, reply(n));
    const [index] = packFiles(dir, '.idx');
    expect(statSync(index!).size).toBe(0);
    writer.put(key(INDEX_BATCH - 1), judge, reply(INDEX_BATCH - 1));
    expect(statSync(index!).size).toBe(INDEX_BATCH * 44);
    for (let n = INDEX_BATCH; n < INDEX_BATCH + 5; n++) writer.put(key(n), judge, reply(n));
    // As a killed writer leaves it: five lines in the pack with no index record; the last one cut short.
    const [pack] = packFiles(dir, '.jsonl');
    const cut = path.join(dir, 'cut');
    writeFileSync(cut, readFileSync(pack!).subarray(0, statSync(pack!).size - 7));
    const reader = new ReplyCache(dir);
    for (let n = 0; n < INDEX_BATCH + 5; n++) expect(reader.get(key(n)), `reply ${n}`).toEqual(reply(n));
    reader.close();
    writeFileSync(pack!, readFileSync(cut));
    const afterKill = new ReplyCache(dir);
    for (let n = 0; n < INDEX_BATCH + 4; n++) expect(afterKill.get(key(n)), `reply ${n}`).toEqual(reply(n));
    expect(afterKill.get(key(INDEX_BATCH + 4))).toBeUndefined();
    afterKill.close();
    // The writer's waiting records reach the index on their own, without close().
    await new Promise((resolve) => setTimeout(resolve, INDEX_DELAY_MS + 30));
    expect(statSync(index!).size).toBe((INDEX_BATCH + 5) * 44);
    writer.close();
  });

  it('still reads entries of the version-2 layout (one file per reply)', () => {
    const dir = folder();
    mkdirSync(path.join(dir, key(9).slice(0, 2)));
    writeFileSync(path.join(dir, key(9).slice(0, 2), `${key(9)}.json`), JSON.stringify({ format: 'jury.cache', version: 2, provider: 'openai', model: 'gpt-test', reply: reply(9) }));
    const cache = new ReplyCache(dir);
    expect(cache.get(key(9))).toEqual(reply(9));
    expect(cache.get(key(8))).toBeUndefined();
    cache.close();
  });

  it('keeps going when the cache cannot be written: put says so once, with the reason', () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'packs'), 'a file where the packs folder should be');
    const cache = new ReplyCache(dir);
    expect(cache.put(key(1), judge, reply(1))).toBe(false);
    expect(cache.writeError).toMatch(/EEXIST|ENOTDIR/);
    expect(cache.put(key(2), judge, reply(2))).toBe(false);
    expect(cache.get(key(1))).toBeUndefined();
    cache.close();
  });

  it('reads from many packs without running out of file descriptors', () => {
    const dir = folder();
    for (let w = 0; w < 40; w++) {
      const writer = new ReplyCache(dir);
      writer.put(key(w), judge, reply(w));
      writer.close();
    }
    const reader = new ReplyCache(dir);
    for (let round = 0; round < 2; round++) for (let w = 0; w < 40; w++) expect(reader.get(key(w))).toEqual(reply(w));
    reader.close();
  });
});
