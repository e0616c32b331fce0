import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../src/diagnostics/diagnostic.js';
import { lockRunFolder } from '../../src/journal/lock.js';
import { WindowReader } from '../../src/journal/window-reader.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'jury-wr-'));
  dirs.push(d);
  return d;
};

// The reader trusts that bytes before the end never change (the journal is append-only). Overwriting the file in
// place therefore shows what it read once and kept: a range inside a kept window comes from memory.
describe('WindowReader', () => {
  const KB = 1024;
  const file = (size: number, fill: string) => {
    const f = path.join(tempDir(), 'j.jsonl');
    writeFileSync(f, fill.repeat(size));
    return f;
  };

  it('reads a range as UTF-8, and serves nearby ranges from the window it read', () => {
    const f = file(200 * KB, 'a');
    const reader = new WindowReader(f);
    expect(reader.text(100 * KB, 5)).toBe('aaaaa');
    writeFileSync(f, 'b'.repeat(200 * KB));
    // The window spans from 8 KB before the first range to 56 KB after it.
    expect(reader.text(100 * KB - 8 * KB, 4)).toBe('aaaa');
    expect(reader.text(100 * KB + 56 * KB - 4, 4)).toBe('aaaa');
    // Just outside it, in either direction, is read afresh.
    expect(reader.text(100 * KB - 8 * KB - 1, 1)).toBe('b');
    expect(reader.text(100 * KB + 56 * KB - 3, 4)).toBe('bbbb');
    reader.close();
  });

  it('keeps eight windows, dropping the least recently used', () => {
    const f = file(2000 * KB, 'a');
    const reader = new WindowReader(f);
    const at = (k: number) => k * 100 * KB + 20 * KB;
    for (let k = 0; k < 8; k++) reader.text(at(k), 1);
    // Window 0 is used again: now window 1 is the oldest.
    reader.text(at(0), 1);
    writeFileSync(f, 'b'.repeat(2000 * KB));
    reader.text(at(8), 1); // a ninth region: window 1 goes
    expect(reader.text(at(0), 1)).toBe('a');
    expect(reader.text(at(2), 1)).toBe('a');
    expect(reader.text(at(1), 1)).toBe('b');
    reader.close();
  });

  it('a range longer than a window is read on its own, whole', () => {
    const f = path.join(tempDir(), 'long.jsonl');
    const text = `${'x'.repeat(10)}${'é'.repeat(40 * KB)}`;
    writeFileSync(f, text);
    const reader = new WindowReader(f);
    const bytes = Buffer.byteLength(text) - 10;
    expect(bytes).toBeGreaterThan(56 * KB);
    expect(reader.text(10, bytes)).toBe('é'.repeat(40 * KB));
    expect(() => reader.text(10, bytes + 1)).toThrow(new Error(`the journal ${f} changed while it was read`));
    reader.close();
  });

  it('a range past the end of the file means the file changed under it', () => {
    const f = file(10 * KB, 'a');
    const reader = new WindowReader(f);
    expect(reader.text(10 * KB - 2, 2)).toBe('aa');
    expect(() => reader.text(10 * KB - 1, 2)).toThrow(new Error(`the journal ${f} changed while it was read`));
    reader.close();
  });

  it('close forgets the windows and the descriptor; reading again opens the file afresh', () => {
    const f = file(100 * KB, 'a');
    const reader = new WindowReader(f);
    expect(reader.text(50 * KB, 1)).toBe('a');
    reader.close();
    reader.close();
    writeFileSync(f, 'b'.repeat(100 * KB));
    expect(reader.text(50 * KB, 1)).toBe('b');
    reader.close();
  });
});

describe('lockRunFolder', () => {
  it('writes our pid, and the release removes the lock', () => {
    const dir = tempDir();
    const release = lockRunFolder(dir);
    expect(readFileSync(path.join(dir, '.jury.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(path.join(dir, '.jury.lock'))).toBe(false);
  });

  it('refuses a folder a live run holds, naming its pid and what to do', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(path.join(dir, '.jury.lock'), `${child.pid}\n`);
      let error: unknown;
      try {
        lockRunFolder(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).diagnostics).toEqual([{ code: 'run/locked', severity: 'error', file: dir, path: [], message: `another jury run (pid ${child.pid}) is writing to this folder`, expected: 'one run per output folder at a time', hint: 'wait for it, or give this run another --label or --out' }]);
      expect(readFileSync(path.join(dir, '.jury.lock'), 'utf8')).toBe(`${child.pid}\n`);
    } finally {
      child.kill();
    }
  });

  it('takes over a lock left by a run that is gone, by this very process, or holding no pid', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    for (const content of [dead, String(process.pid), 'garbage', '', '-5', '0']) {
      const dir = tempDir();
      writeFileSync(path.join(dir, '.jury.lock'), content);
      const release = lockRunFolder(dir);
      expect(readFileSync(path.join(dir, '.jury.lock'), 'utf8')).toBe(String(process.pid));
      release();
    }
  });

  it('a release after the lock is already gone is quiet (a run may clean up twice)', () => {
    const dir = tempDir();
    const release = lockRunFolder(dir);
    rmSync(path.join(dir, '.jury.lock'));
    expect(() => release()).not.toThrow();
  });

  it('a pid owned by another user (the signal is refused with EPERM) is alive: the lock is not taken', () => {
    // Tests run as root here, where no signal is refused, so the refusal is what process.kill is made to say.
    const dir = tempDir();
    writeFileSync(path.join(dir, '.jury.lock'), '424242');
    const refuse = (code: string) => vi.spyOn(process, 'kill').mockImplementation(() => {
      throw Object.assign(new Error(`kill ${code}`), { code });
    });
    const eperm = refuse('EPERM');
    try {
      expect(() => lockRunFolder(dir)).toThrow(InputError);
      expect(eperm).toHaveBeenCalledWith(424242, 0);
    } finally {
      eperm.mockRestore();
    }
    const esrch = refuse('ESRCH');
    try {
      lockRunFolder(dir)();
    } finally {
      esrch.mockRestore();
    }
  });

  it('a folder that is not there is the machine’s error, passed on as it is', () => {
    const missing = path.join(tempDir(), 'nope');
    expect(() => lockRunFolder(missing)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
