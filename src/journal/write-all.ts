import { writeSync } from 'node:fs';

/** Writes every byte of `bytes` to `fd`, going on after a partial write. */
export function writeAll(fd: number, bytes: Buffer): void {
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
}
