import { viewCommand } from './commands/view.js';
import { initCommand } from './commands/init.js';
import { commentCommand } from './commands/comment.js';
import { withExamples } from './examples.js';
import { completionCommand } from './commands/completion.js';
import { juryVersion } from '../api/package-root.js';
import { Command, CommanderError } from 'commander';
import { InputError, RunError } from '../diagnostics/diagnostic.js';
import { agreementCommand } from './commands/agreement.js';
import { calibrateCommand } from './commands/calibrate.js';
import { annotatorsCommand } from './commands/annotators.js';
import { powerCommand } from './commands/power.js';
import { rankCommand } from './commands/rank.js';
import { biasCommand } from './commands/bias.js';
import { reviewCommand } from './commands/review.js';
import { importCommand } from './commands/import.js';
import { mergeCommand } from './commands/merge.js';
import { diffCommand } from './commands/diff.js';
import { gateCommand } from './commands/gate.js';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { probeCommand } from './commands/probe.js';
import { simulateCommand } from './commands/simulate.js';
import type { CliContext } from './context.js';
import { formatDiagnostics } from './print/diagnostics.js';

export type ExitCode = 0 | 1 | 2 | 3 | 129 | 130 | 143;

/** The one place that picks an exit code: 0 pass, 1 gate failed, 2 bad input or usage, 3 the run failed, 130 / 143 / 129 stopped by SIGINT / SIGTERM / SIGHUP. */
export async function main(argv: string[], context: CliContext): Promise<ExitCode> {
  const debug = argv.includes('--debug');
  const program = new Command('jury')
    .description('evaluate conversational AI assistants with a panel of LLM judges')
    .version(`jury ${juryVersion()} (Node ${process.version})`, '-V, --version', 'print the version of jury and of Node')
    .option('--debug', 'print stack traces of errors')
    .exitOverride()
    .configureOutput({ writeOut: (s) => context.stdout.write(s), writeErr: (s) => context.stderr.write(s) })
    .showSuggestionAfterError(true);
  for (const command of [validateCommand(context), runCommand(context), probeCommand(context), simulateCommand(context), diffCommand(context), gateCommand(context), agreementCommand(context), calibrateCommand(context), annotatorsCommand(context), powerCommand(context), rankCommand(context), biasCommand(context), reviewCommand(context), importCommand(context), mergeCommand(context), viewCommand(context), initCommand(context), commentCommand(context), completionCommand(context, () => program)]) {
    program.addCommand(command.exitOverride().option('--debug', 'print stack traces of errors'));
  }
  withExamples(program);
  try {
    await program.parseAsync(argv);
    return context.interrupted ?? (context.gateFailed ? 1 : 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof InputError) {
      context.stderr.write(formatDiagnostics(error.diagnostics));
      return 2;
    }
    if (error instanceof RunError) {
      context.stderr.write(`jury: ${error.message}\n`);
      if (debug && error.stack) context.stderr.write(`${error.stack}\n`);
      return 3;
    }
    const machine = machineError(error);
    if (machine) {
      context.stderr.write(`jury: ${machine}\n`);
      if (debug && error instanceof Error && error.stack) context.stderr.write(`${error.stack}\n`);
      return 3;
    }
    const message = error instanceof Error ? error.message : String(error);
    context.stderr.write(`jury: internal error: ${message}\nThis is a bug in jury; please report it${debug ? '' : ' (run with --debug for the stack trace)'}.\n`);
    if (debug && error instanceof Error && error.stack) context.stderr.write(`${error.stack}\n`);
    return 3;
  }
}

/** What the machine refused (a full disk, a read-only folder, too many open files): its state, not a bug. */
const MACHINE_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on this machine',
  EIO: 'an input/output error from the disk',
};

/** The sentence for an error the machine's state caused, or undefined for anything else. */
export function machineError(error: unknown): string | undefined {
  const { code, path: file } = (error ?? {}) as { code?: unknown; path?: unknown };
  if (typeof code !== 'string' || !(code in MACHINE_ERRORS)) return undefined;
  return `the machine refused ${typeof file === 'string' ? `to write or read ${file}` : 'a file operation'}: ${MACHINE_ERRORS[code]} (${code}). Every verdict already journaled is kept: fix this, then finish with jury run --resume <run folder>.`;
}

