import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * jury's own folder (its package.json, rubrics, templates), found by walking up from this module: the same from
 * the source tree, the compiled files and the bundle, in this repository or installed in node_modules.
 */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'jury') return dir;
    dir = path.dirname(dir);
  }
  throw new Error("jury's package.json was not found above its code");
}

/** The version in jury's package.json. */
export function juryVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
