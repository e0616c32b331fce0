// Runs the mutation groups one after another, each with its own incremental file, so that a later run re-tests
// only the mutants whose code or covering tests changed. Then: npm run mutate:scores / mutate:survivors.
// Usage: node scripts/mutate-groups.mjs [core|engine|stats ...] (all three by default)
//        node scripts/mutate-groups.mjs retest — the survivors of the three reports tested again without the
//        incremental file (its reuse of "Survived" is not to be trusted), on their lines; the result is
//        reports/mutation/mutation.json, which mutate:scores and mutate:survivors merge last.
import { spawnSync } from 'node:child_process';

const groups = {
  core: 'src/gate/**/*.ts,src/diff/**/*.ts,src/aggregate/**/*.ts,src/review/**/*.ts,src/report/build.ts',
  engine: 'src/calibrate/**/*.ts,src/engine/cache-key.ts,src/engine/retry.ts,src/engine/rate-limit.ts,src/engine/redact.ts,src/engine/jobs.ts,src/journal/**/*.ts,src/judges/parse-verdict.ts,src/format/csv-cell.ts',
  stats: 'src/stats/**/*.ts',
  people: 'src/annotators/**/*.ts',
};
const files = { core: 'g1', engine: 'g2', stats: 'g3', people: 'g4' };
const reports = Object.values(files).map((f) => `reports/stryker-incremental-${f}.json`);
if (process.argv[2] === 'retest') {
  const ranges = spawnSync(process.execPath, ['scripts/mutation-survivors.mjs', ...reports, '--ranges'], { encoding: 'utf8' });
  if (ranges.status !== 0) process.exit(ranges.status ?? 1);
  const { status } = spawnSync('npx', ['stryker', 'run', '--mutate', ranges.stdout.trim()], { stdio: 'inherit' });
  process.exit(status ?? 1);
}
const wanted = process.argv.slice(2);
for (const name of wanted) if (!(name in groups)) throw new Error(`unknown group ${name}: one of ${Object.keys(groups).join(', ')}`);
for (const name of wanted.length ? wanted : Object.keys(groups)) {
  const args = ['stryker', 'run', '--incremental', '--incrementalFile', `reports/stryker-incremental-${files[name]}.json`, '--mutate', groups[name]];
  console.log(`\n# ${name}: npx ${args.join(' ')}`);
  const { status } = spawnSync('npx', args, { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
