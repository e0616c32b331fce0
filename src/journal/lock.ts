import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../diagnostics/diagnostic.js';
import { removeFile } from './remove-file.js';

/**
 * Takes the run folder for this process: `.jury.lock` created with O_EXCL holds our pid. A second run into the
 * same folder is refused while the first lives; a lock left by a killed run (its pid gone) is taken over.
 */
export function lockRunFolder(dir: string): () => void {
  const file = path.join(dir, '.jury.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => removeFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new InputError([{
          code: 'run/locked', severity: 'error', file: dir, path: [],
          message: `another jury run (pid ${pid}) is writing to this folder`,
          expected: 'one run per output folder at a time', hint: 'wait for it, or give this run another --label or --out',
        }]);
      }
      removeFile(file);
    }
  }
  throw new Error(`could not take the lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
