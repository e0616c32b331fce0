import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { wholeFromOne } from './flag-parsers.js';

export function commentCommand(context: CliContext): Command {
  return new Command('comment')
    .description('post a Markdown file as one sticky pull-request comment on GitHub (edited in place on every rerun)')
    .requiredOption('--body-file <file>', 'the Markdown to post, e.g. the output of jury diff --format md')
    .option('--pr <n>', "the pull request's number (default: the one in $GITHUB_EVENT_PATH)", wholeFromOne)
    .option('--key <name>', 'tells this comment from another jury comment on the same pull request')
    .addHelpText('after', '\nNeeds GITHUB_TOKEN (or GH_TOKEN), GITHUB_REPOSITORY and GITHUB_API_URL, as a GitHub Actions job has them.\n\nExample:\n  jury diff base.json report.json --format md > diff.md && jury comment --body-file diff.md')
    .action(async (flags: { bodyFile: string; pr?: number; key?: string }) => {
      const { postStickyComment } = await import('../../api.js');
      const { readText } = await import('../../config/read-text.js');
      const { InputError } = await import('../../diagnostics/diagnostic.js');
      const read = await readText(flags.bodyFile);
      if (!read.ok) throw new InputError(read.diagnostics);
      const result = await postStickyComment({ body: read.text, env: context.env, ...(flags.pr ? { pr: flags.pr } : {}), ...(flags.key ? { key: flags.key } : {}) });
      context.stdout.write(`${result.action} comment ${result.id}${result.url ? `: ${result.url}` : ''}\n`);
    });
}
