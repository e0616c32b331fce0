import { createInterface } from 'node:readline/promises';
import { Command, Option } from 'commander';
import type { CliContext } from '../context.js';

const PROVIDERS = ['openai', 'anthropic', 'ollama'] as const;
const TEMPLATES = ['music-recommendation', 'support-agent', 'general-assistant'] as const;

export function initCommand(context: CliContext): Command {
  return new Command('init')
    .description('write a working starting point here: a commented jury.yaml, a rubric, three example transcripts, a labels template (and a CI workflow)')
    .addOption(new Option('--provider <name>', 'the judges: two from different model families').choices(PROVIDERS))
    .addOption(new Option('--template <name>', "the rubric and examples, from jury's library").choices(TEMPLATES))
    .addOption(new Option('--ci <system>', 'also write a CI workflow').choices(['github']))
    .option('-y, --yes', 'ask nothing: openai, music-recommendation, no CI unless --ci')
    .addHelpText('after', '\nNothing that exists is overwritten.\n\nExamples:\n  npx jury init\n  npx jury init --provider ollama --template support-agent --ci github --yes')
    .action(async (flags: { provider?: (typeof PROVIDERS)[number]; template?: (typeof TEMPLATES)[number]; ci?: 'github'; yes?: boolean }) => {
      // Questions only for a person at a terminal who did not answer them with flags; scripts get the defaults.
      const ask = !flags.yes && process.stdin.isTTY === true && context.stdout === process.stdout;
      let { provider, template, ci } = flags;
      if (ask) {
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        try {
          provider ??= await choose(rl, 'Judges from', PROVIDERS);
          template ??= await choose(rl, 'Rubric template', TEMPLATES);
          if (!ci && (await rl.question('Write a GitHub Actions workflow? [y/N] ')).trim().toLowerCase().startsWith('y')) ci = 'github';
        } finally {
          rl.close();
        }
      }
      const { initProject } = await import('../../api.js');
      const result = initProject({ dir: process.cwd(), provider: provider ?? 'openai', template: template ?? 'music-recommendation', ...(ci ? { ci } : {}) });
      for (const file of result.written) context.stdout.write(`wrote ${file}\n`);
      for (const file of result.kept) context.stdout.write(`kept  ${file} (it exists; not overwritten)\n`);
      context.stdout.write(`\nnext:\n${result.next.map((c) => `  ${c}`).join('\n')}\n`);
    });
}

async function choose<T extends string>(rl: { question(q: string): Promise<string> }, what: string, options: readonly T[]): Promise<T> {
  const answer = (await rl.question(`${what} (${options.map((o, i) => `${i + 1} ${o}`).join(', ')}) [1]: `)).trim();
  const picked = options[Number(answer) - 1] ?? options.find((o) => o === answer);
  return picked ?? options[0]!;
}
