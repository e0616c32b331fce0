import { unlinkSync } from 'node:fs';

/**
 * Deletes a file if it is there. Not `rmSync(file, { force: true })`: on Node 20 its first call loads a
 * directory-removal module (about 10 ms), and the end of every run deletes a lock and a spool.
 */
export function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
