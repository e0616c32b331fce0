// Lists the mutants a Stryker run left alive (Survived, NoCoverage), one line each, so every one can be
// read and either killed by a test or named as equivalent in docs/testing.md.
// Usage: node scripts/mutation-survivors.mjs [report.json ...] [--file substring] [--markdown] [--check docs/testing.md]
// Reads reports/mutation/mutation.json by default. Several reports merge mutant by mutant (same place, mutator
// and replacement): a later report's result wins, so a run over the survivors alone (--ranges, below) updates the
// groups' reports. --ranges prints the survivors' lines as Stryker `--mutate` ranges (file:line-line).
// --check: every survivor must be named in that document (under "## <file>", as "line:column Mutator"), and
// every name there must still be a survivor; prints the differences and exits 1 when there are any.
// --markdown: the list in the form --check reads, each line to be completed with " — why it survives".
// --table: the score per file (killed and timed out over all mutants) as a markdown table.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const fileFilterAt = args.indexOf('--file');
const fileFilter = fileFilterAt >= 0 ? args.splice(fileFilterAt, 2)[1] : undefined;
const checkAt = args.indexOf('--check');
const checkDoc = checkAt >= 0 ? args.splice(checkAt, 2)[1] : undefined;
const markdownAt = args.indexOf('--markdown');
const markdown = markdownAt >= 0 && args.splice(markdownAt, 1).length > 0;
const tableAt = args.indexOf('--table');
const table = tableAt >= 0 && args.splice(tableAt, 1).length > 0;
const rangesAt = args.indexOf('--ranges');
const ranges = rangesAt >= 0 && args.splice(rangesAt, 1).length > 0;
const inputs = args.length > 0 ? [...args] : ['reports/mutation/mutation.json'];

// Reports merge by mutant place, so a file whose lines moved since an earlier report needs its group run again.
const files = new Map();
const mutantKey = (m) => `${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column} ${m.mutatorName} ${m.replacement}`;
for (const input of inputs) {
  const report = JSON.parse(readFileSync(input, 'utf8'));
  for (const [name, file] of Object.entries(report.files)) {
    const before = files.get(name);
    if (!before) {
      files.set(name, file);
      continue;
    }
    const merged = new Map(before.mutants.map((m) => [mutantKey(m), m]));
    for (const m of file.mutants) merged.set(mutantKey(m), m);
    files.set(name, { ...file, mutants: [...merged.values()] });
  }
}

const alive = new Set(['Survived', 'NoCoverage']);
if (checkDoc) process.exit(check(checkDoc));
if (table) process.exit(scores());
if (ranges) {
  const out = [];
  for (const [name, { mutants }] of files) {
    // Whole lines: every mutant on a survivor's lines is tested again (column ranges miss mutants by one).
    for (const m of mutants) if (alive.has(m.status)) out.push(`${name}:${m.location.start.line}-${m.location.end.line}`);
  }
  console.log([...new Set(out)].join(','));
  process.exit(0);
}
for (const name of [...files.keys()].sort()) {
  if (fileFilter && !name.includes(fileFilter)) continue;
  const { mutants, source } = files.get(name);
  const lines = source.split('\n');
  const left = mutants
    .filter((m) => alive.has(m.status))
    .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  if (left.length === 0) continue;
  if (markdown) {
    console.log(`## ${name}`);
    for (const m of left) console.log(`- ${m.location.start.line}:${m.location.start.column} ${m.mutatorName} \`${String(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 50)}\` — `);
    continue;
  }
  console.log(`## ${name} (${left.length})`);
  for (const m of left) {
    const line = m.location.start.line;
    const replacement = String(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60);
    const code = (lines[line - 1] ?? '').trim().slice(0, 90);
    const status = m.status === 'NoCoverage' ? ' [no coverage]' : '';
    console.log(`${line}:${m.location.start.column} ${m.mutatorName} → ${replacement}${status}\n    ${code}`);
  }
}

/** Compares the survivors with the ones the document explains; returns the exit code. */
function check(doc) {
  const explained = new Set();
  let file;
  for (const line of readFileSync(doc, 'utf8').split('\n')) {
    const heading = /^## (\S+)/.exec(line);
    if (heading) file = heading[1];
    else if (file && line.startsWith('- ')) {
      for (const m of line.split(' — ')[0].matchAll(/(\d+):(\d+) (\w+)/g)) explained.add(`${file} ${m[1]}:${m[2]} ${m[3]}`);
    }
  }
  const survivors = new Set();
  for (const [name, { mutants }] of files) {
    if (fileFilter && !name.includes(fileFilter)) continue;
    for (const m of mutants) if (alive.has(m.status)) survivors.add(`${name} ${m.location.start.line}:${m.location.start.column} ${m.mutatorName}`);
  }
  const unexplained = [...survivors].filter((s) => !explained.has(s)).sort();
  const stale = [...explained].filter((s) => !survivors.has(s) && files.has(s.split(' ')[0])).sort();
  for (const s of unexplained) console.log(`not explained: ${s}`);
  for (const s of stale) console.log(`explained but no longer a survivor: ${s}`);
  console.log(`${survivors.size} survivors, ${survivors.size - unexplained.length} explained, ${stale.length} stale entries`);
  return unexplained.length + stale.length === 0 ? 0 : 1;
}

/** Prints the score table; returns the exit code. */
function scores() {
  const count = (mutants, status) => mutants.filter((m) => m.status === status).length;
  const row = (name, mutants) => {
    const [killed, timeout, survived, none] = ['Killed', 'Timeout', 'Survived', 'NoCoverage'].map((s) => count(mutants, s));
    const all = killed + timeout + survived + none;
    const pct = (n, d) => `${((100 * n) / d).toFixed(1)}%`;
    return `| ${name} | ${pct(killed + timeout, all)} | ${pct(killed + timeout, all - none)} | ${killed} | ${timeout} | ${survived} | ${none} |`;
  };
  console.log('| module | score | score (covered) | killed | timeout | survived | no coverage |');
  console.log('|---|---|---|---|---|---|---|');
  const every = [];
  for (const name of [...files.keys()].sort()) {
    if (fileFilter && !name.includes(fileFilter)) continue;
    const { mutants } = files.get(name);
    every.push(...mutants);
    console.log(row(name.replace(/^src\//, ''), mutants));
  }
  console.log(row('**all**', every));
  return 0;
}
