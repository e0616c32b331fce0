import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeFile } from '../../src/journal/remove-file.js';

describe('removeFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'remove-file-'));

  it('deletes a file, and a file already gone is no error', () => {
    const file = path.join(dir, 'a.tmp');
    writeFileSync(file, 'x');
    removeFile(file);
    expect(existsSync(file)).toBe(false);
    expect(() => removeFile(file)).not.toThrow();
  });

  it('passes on any other failure (a directory is not deleted)', () => {
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    expect(() => removeFile(folder)).toThrow(expect.objectContaining({ code: expect.stringMatching(/^(EISDIR|EPERM)$/) }));
    expect(existsSync(folder)).toBe(true);
  });
});
