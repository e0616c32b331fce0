import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import type { CliContext } from '../context.js';

export function viewCommand(context: CliContext): Command {
  return new Command('view')
    .description('write one self-contained HTML file of a report: overview, criteria, every item with its conversation and verdicts')
    .argument('<report>', 'report.json')
    .option('--baseline <report>', 'also show the diff against this report, with regressions side by side')
    .option('--labels <file...>', 'also show the judges against these human labels (calibration)')
    .option('--dataset <glob...>', "the report's transcripts (default: the datasets of -c / ./jury.yaml)")
    .option('--baseline-dataset <glob...>', "the baseline's transcripts (default: the report's)")
    .option('-c, --config <file>', 'config whose datasets hold the transcripts (default: ./jury.yaml when present)')
    .option('-o, --out <file>', 'where to write it (default: report.html beside the report)')
    .option('--open', "open it in the system's browser (xdg-open, open or start) once written")
    .addHelpText('after', '\nExamples:\n  jury view reports/tempo-v2/report.json\n  jury view reports/tempo-v2/report.json --baseline reports/tempo-v1/report.json --dataset datasets/music-recs/v2.jsonl --baseline-dataset datasets/music-recs/v1.jsonl')
    .action(async (reportPath: string, flags: { baseline?: string; labels?: string[]; dataset?: string[]; baselineDataset?: string[]; config?: string; out?: string; open?: boolean }) => {
      const { viewReport } = await import('../../api.js');
      const configPath = flags.config ?? (existsSync('jury.yaml') ? 'jury.yaml' : undefined);
      const result = await viewReport({ reportPath, baselinePath: flags.baseline, labels: flags.labels, datasets: flags.dataset, baselineDatasets: flags.baselineDataset, configPath, out: flags.out });
      for (const note of result.notes) context.stderr.write(`jury: note: ${note}\n`);
      context.stdout.write(`wrote ${result.file}\n`);
      if (flags.open) {
        const opened = await openInBrowser(result.file);
        if (!opened.ok) context.stderr.write(`jury: note: could not open it (${opened.why}); open ${result.file} yourself\n`);
      }
    });
}

/** Hands the file to the desktop's opener, detached: jury does not wait for the browser. */
function openInBrowser(file: string): Promise<{ ok: true } | { ok: false; why: string }> {
  const [command, args] = process.platform === 'darwin' ? ['open', [file]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', file]] : ['xdg-open', [file]];
  return new Promise((resolve) => {
    const child = spawn(command, args as string[], { detached: true, stdio: 'ignore' });
    child.once('error', (error) => resolve({ ok: false, why: `${command}: ${(error as NodeJS.ErrnoException).code ?? error.message}` }));
    child.once('spawn', () => {
      child.unref();
      resolve({ ok: true });
    });
  });
}
