import { Command, InvalidArgumentError } from 'commander';
import type { CliContext } from '../context.js';
import { runLabel } from './flag-parsers.js';

function sideNames(value: string): { base: string; candidate: string } {
  const names = value.split(',').map((v) => v.trim());
  if (names.length !== 2 || names.some((n) => n === '') || names[0] === names[1]) throw new InvalidArgumentError(`${value}: two different names, base then candidate (e.g. gpt-4,claude-v1)`);
  return { base: names[0]!, candidate: names[1]! };
}

export function importCommand(context: CliContext): Command {
  const command = new Command('import').description('bring in data made elsewhere: a public dataset with human ratings, or external verdicts');
  command
    .command('ab-redial')
    .description('AB-ReDial (annotated_dialogues.csv): transcripts, a labels file, a rubric and a jury.yaml')
    .argument('<csv>', 'annotated_dialogues.csv')
    .requiredOption('-o, --out <dir>', 'folder to write into')
    .exitOverride()
    .action(async (file: string, flags: { out: string }) => {
      const { importAbRedialFiles } = await import('../../api.js');
      const result = await importAbRedialFiles({ file, outDir: flags.out });
      context.stdout.write(`imported ${result.transcripts} dialogues and ${result.labels} labels:\n${result.files.map((f) => `  ${f}`).join('\n')}\n`);
    });
  command
    .command('dices')
    .description('DICES as JUDGE-BENCH converted it: crowd ratings as a labels file, the expert file as gold, for jury annotators')
    .argument('<crowd>', 'dices_350_crowdsourced.json or dices_990.json')
    .option('--expert <file>', 'dices_350_expert.json: written as dices-gold.csv')
    .option('--positions-are-raters', 'treat each list position as the same person on every item (the conversion dropped rater ids; without this flag positions are anonymous)')
    .requiredOption('-o, --out <dir>', 'folder to write into')
    .exitOverride()
    .action(async (crowd: string, flags: { out: string; expert?: string; positionsAreRaters?: boolean }) => {
      const { importDicesFiles } = await import('../../api.js');
      const result = await importDicesFiles({ crowd, expert: flags.expert, outDir: flags.out, positionsAreRaters: flags.positionsAreRaters });
      context.stdout.write(`imported ${result.labels} labels${flags.expert ? ` and ${result.gold} gold labels` : ''}${flags.positionsAreRaters ? '' : ' (positions marked anonymous)'}:\n${result.files.map((f) => `  ${f}`).join('\n')}\n`);
    });
  command
    .command('otel')
    .description('OpenTelemetry GenAI traces (OTLP/JSON, as a collector file exporter writes them): one transcript per conversation')
    .argument('<files...>', 'OTLP/JSON files (.json, .jsonl, .gz): spans, or GenAI log events')
    .requiredOption('-o, --out <dir>', 'folder to write otel.jsonl into')
    .addHelpText('after', '\nExample:\n  jury import otel traces/*.jsonl -o imported && jury validate --dataset imported/otel.jsonl')
    .exitOverride()
    .action(async (files: string[], flags: { out: string }) => {
      const { importOtelFiles } = await import('../../api.js');
      const result = await importOtelFiles({ files, outDir: flags.out });
      context.stdout.write(`imported ${result.conversations} conversation${result.conversations === 1 ? '' : 's'}: ${result.file}\n${result.notes.map((n) => `note: ${n}\n`).join('')}next: jury validate --dataset ${result.file}\n`);
    });
  command
    .command('crsarena-dial')
    .description('CRSArena-Dial: dialogues as transcripts, the users\' own verdicts as labels, their votes as pairs, a rubric and a jury.yaml')
    .argument('<paths...>', 'the data folder, or crs_arena_dial_<setting>.json and votes_<setting>.csv files')
    .requiredOption('-o, --out <dir>', 'folder to write into')
    .addHelpText('after', '\nExample:\n  jury import crsarena-dial ../shared/datasets/crsarena-dial -o crsarena && cd crsarena && jury run --mock')
    .exitOverride()
    .action(async (paths: string[], flags: { out: string }) => {
      const { importCrsArenaFiles } = await import('../../api.js');
      const r = await importCrsArenaFiles({ paths, outDir: flags.out });
      const skipped = [
        ...(r.unjudgeable ? [`${r.unjudgeable} dialogue${r.unjudgeable === 1 ? '' : 's'} without a system reply (nothing to judge)`] : []),
        ...(r.unmatched ? [`${r.unmatched} vote${r.unmatched === 1 ? '' : 's'} naming a dialogue not imported`] : []),
      ];
      const skippedText = skipped.length ? `; left out: ${skipped.join(', ')}` : '';
      context.stdout.write(`imported ${r.dialogues} dialogues, ${r.labels} user verdicts and ${r.pairs} voted pairs${skippedText}:\n${r.files.map((f) => `  ${f}`).join('\n')}\n`);
    });
  command
    .command('verdicts')
    .description('JSONL of {item, criterion, judge, score, reasoning?} as a run: aggregated and reported like one')
    .argument('<jsonl>', 'verdicts file')
    .option('-c, --config <file>', 'config whose rubrics give the criteria and scales', 'jury.yaml')
    .option('-l, --label <name>', 'name of the imported run (default: the file name)', runLabel)
    .option('-o, --out <dir>', "folder that receives <label>/ (default: the config's output)")
    .option('--pairwise', 'pairwise verdicts: {item, criterion, judge, order: ab|ba, score: A|B|tie} as shown, or {item, criterion, judge, winner: base|candidate|tie} already combined')
    .option('--names <base,candidate>', 'pairwise: what the two sides are called (winner may name them)', sideNames)
    .exitOverride()
    .action(async (file: string, flags: { config: string; label?: string; out?: string; pairwise?: boolean; names?: { base: string; candidate: string } }) => {
      const { importVerdictsRun } = await import('../../api.js');
      const { renderSummary } = await import('../../render/table.js');
      const pairwise = flags.pairwise || flags.names ? { ...(flags.names ? { names: flags.names } : {}) } : undefined;
      const { report, dir } = await importVerdictsRun({ file, configPath: flags.config, label: flags.label, outDir: flags.out, ...(pairwise ? { pairwise } : {}) });
      context.stdout.write(`${renderSummary(report)}\n\nreport: ${dir}/report.json\n`);
    });
  return command;
}
