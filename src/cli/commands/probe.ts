import { Command } from 'commander';
import type { CliContext } from '../context.js';

export function probeCommand(context: CliContext): Command {
  return new Command('probe')
    .description("ask each judge's endpoint what it honours (json_schema, forced tools, json_object, logprobs) and show the mode a run uses")
    .option('-c, --config <file>', 'config file', 'jury.yaml')
    .option('--json', 'print the findings as JSON')
    .addHelpText('after', '\nEach OpenAI-compatible judge gets four small requests; Anthropic, llama-cpp and mock judges are listed, not probed.\nRuns remember what it finds (a day, in endpoints.json in the cache folder).\nExit code 3 when an endpoint could not be reached.\n\nExamples:\n  jury probe\n  jury probe -c ci/jury.yaml --json')
    .action(async (flags: { config: string; json?: boolean }) => {
      const { probe, RunError } = await import('../../api.js');
      const { renderProbe } = await import('../../render/probe.js');
      const { rows, failed } = await probe({ configPath: flags.config, env: context.env });
      context.stdout.write(flags.json ? `${JSON.stringify(rows, null, 2)}\n` : renderProbe(rows));
      if (failed) throw new RunError(`${failed} endpoint${failed === 1 ? '' : 's'} could not be probed (see the notes above)`);
    });
}
