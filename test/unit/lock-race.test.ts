import { afterEach, describe, expect, it, vi } from 'vitest';

// The lock's race paths, which a real file system only hits when two runs start at the same instant: here
// openSync is made to fail the way such a race makes it fail.
const fs = vi.hoisted(() => ({ openSync: vi.fn(), readFileSync: vi.fn(), unlinkSync: vi.fn() }));
vi.mock('node:fs', async (importOriginal) => ({ ...(await importOriginal<typeof import('node:fs')>()), ...fs }));
const { lockRunFolder } = await import('../../src/journal/lock.js');

const failing = (code: string) => () => {
  throw Object.assign(new Error(code), { code });
};

afterEach(() => {
  vi.resetAllMocks();
});

describe('lockRunFolder under a race', () => {
  it('a lock that reappears after each take-over (another run keeps winning) is given up after two tries, saying so', () => {
    fs.openSync.mockImplementation(failing('EEXIST'));
    fs.readFileSync.mockReturnValue('not a pid');
    expect(() => lockRunFolder('/runs/x')).toThrow(new Error('could not take the lock /runs/x/.jury.lock'));
    expect(fs.openSync).toHaveBeenCalledTimes(2);
    // The stale lock is removed (a missing file being no error: the other run may have removed it first).
    expect(fs.unlinkSync).toHaveBeenCalledTimes(2);
    expect(fs.unlinkSync).toHaveBeenCalledWith('/runs/x/.jury.lock');
  });

  it('any other failure to create the lock is passed on at once, without reading or removing anything', () => {
    fs.openSync.mockImplementation(failing('EACCES'));
    expect(() => lockRunFolder('/runs/y')).toThrow(expect.objectContaining({ code: 'EACCES' }));
    expect(fs.readFileSync).not.toHaveBeenCalled();
    expect(fs.unlinkSync).not.toHaveBeenCalled();
  });
});
