// Lists the mutants a Stryker run left alive (Survived, NoCoverage), one line each, so every one can be
// read and either killed by a test or named as equivalent in docs/testing.md.
// Usage: node scripts/mutation-survivors.mjs [report.json ...] [--file substring]
// Reads reports/mutation/mutation.json by default; later files win for the same source file, so the
// per-group incremental files can be merged: reports/stryker-incremental-g1.json g2 g3.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const fileFilterAt = args.indexOf('--file');
const fileFilter = fileFilterAt >= 0 ? args.splice(fileFilterAt, 2)[1] : undefined;
const inputs = args.length > 0 ? args : ['reports/mutation/mutation.json'];

const files = new Map();
for (const input of inputs) {
  const report = JSON.parse(readFileSync(input, 'utf8'));
  for (const [name, file] of Object.entries(report.files)) files.set(name, file);
}

const alive = new Set(['Survived', 'NoCoverage']);
for (const name of [...files.keys()].sort()) {
  if (fileFilter && !name.includes(fileFilter)) continue;
  const { mutants, source } = files.get(name);
  const lines = source.split('\n');
  const left = mutants
    .filter((m) => alive.has(m.status))
    .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  if (left.length === 0) continue;
  console.log(`## ${name} (${left.length})`);
  for (const m of left) {
    const line = m.location.start.line;
    const replacement = String(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60);
    const code = (lines[line - 1] ?? '').trim().slice(0, 90);
    const status = m.status === 'NoCoverage' ? ' [no coverage]' : '';
    console.log(`${line}:${m.location.start.column} ${m.mutatorName} → ${replacement}${status}\n    ${code}`);
  }
}
