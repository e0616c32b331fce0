// Bundles the compiled CLI (dist/cli/bin.js and everything it imports, dependencies included) into dist/jury.js,
// the command package.json installs. Why: Node 20 loads ES modules file by file, and jury with its dependencies is
// about 1,000 of them; one file starts about 0.3 s sooner (docs/performance.md). The providers' SDKs stay in
// chunks of their own (dist/chunks/), loaded only when a judge uses them, as in the unbundled code.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry a content hash: clear the last build's so none is left behind.
rmSync('dist/chunks', { recursive: true, force: true });

await build({
  entryPoints: { jury: 'dist/cli/bin.js' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // CommonJS dependencies (commander) call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __juryRequire } from 'node:module'; const require = __juryRequire(import.meta.url);" },
  // node-llama-cpp is optional and native: it must be found at run time, where it is installed (or be missing).
  external: ['node-llama-cpp'],
  logLevel: 'warning',
});
