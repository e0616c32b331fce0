import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { runLabel } from './flag-parsers.js';

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
    .command('verdicts')
    .description('JSONL of {item, criterion, judge, score, reasoning?} as a run: aggregated and reported like one')
    .argument('<jsonl>', 'verdicts file')
    .option('-c, --config <file>', 'config whose rubrics give the criteria and scales', 'jury.yaml')
    .option('-l, --label <name>', 'name of the imported run (default: the file name)', runLabel)
    .option('-o, --out <dir>', "folder that receives <label>/ (default: the config's output)")
    .exitOverride()
    .action(async (file: string, flags: { config: string; label?: string; out?: string }) => {
      const { importVerdictsRun } = await import('../../api.js');
      const { renderSummary } = await import('../../render/table.js');
      const { report, dir } = await importVerdictsRun({ file, configPath: flags.config, label: flags.label, outDir: flags.out });
      context.stdout.write(`${renderSummary(report)}\n\nreport: ${dir}/report.json\n`);
    });
  return command;
}
