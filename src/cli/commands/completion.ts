import { Command } from 'commander';
import type { CliContext } from '../context.js';

interface Spec {
  name: string;
  options: string[];
  subcommands: Spec[];
}

/** The command tree as plain data: names and long options, from commander's own definitions. */
function spec(command: Command): Spec {
  return {
    name: command.name(),
    options: command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => typeof f === 'string')).sort(),
    subcommands: command.commands.filter((c) => c.name() !== 'help').map(spec).sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
}

/** Words to offer after each command path ("jury", "jury import", …). */
function table(s: Spec, prefix = ''): [string, string[]][] {
  const path = prefix ? `${prefix} ${s.name}` : s.name;
  return [[path, [...s.subcommands.map((c) => c.name), ...s.options]], ...s.subcommands.flatMap((c) => table(c, path))];
}

export function bashCompletion(root: Spec): string {
  const cases = table(root).map(([path, words]) => `    "${path}") words="${words.join(' ')}" ;;`).join('\n');
  return `# bash completion for jury: source <(jury completion bash), or save it to ~/.local/share/bash-completion/completions/jury
_jury() {
  local cur path="jury" i word words=""
  cur="\${COMP_WORDS[COMP_CWORD]}"
  # The command path: the words before the cursor that are not options.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    case "$path $word" in
${table(root).map(([path]) => `      "${path}") path="${path}" ;;`).join('\n')}
    esac
  done
  case "$path" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _jury jury
`;
}

export function zshCompletion(root: Spec): string {
  return `#compdef jury
# zsh completion for jury: jury completion zsh > "\${fpath[1]}/_jury", then restart zsh
${bashCompletion(root).split('\n').slice(1).join('\n').replace('complete -o default -F _jury jury\n', '')}
autoload -U +X bashcompinit && bashcompinit
complete -o default -F _jury jury
`;
}

export function fishCompletion(root: Spec): string {
  const lines = ['# fish completion for jury: jury completion fish > ~/.config/fish/completions/jury.fish', 'complete -c jury -f'];
  const top = root.subcommands.map((c) => c.name).join(' ');
  for (const c of root.subcommands) {
    lines.push(`complete -c jury -n "not __fish_seen_subcommand_from ${top}" -a ${c.name}`);
    for (const sub of c.subcommands) lines.push(`complete -c jury -n "__fish_seen_subcommand_from ${c.name}" -a ${sub.name}`);
    for (const o of c.options.filter((x) => x.startsWith('--'))) lines.push(`complete -c jury -n "__fish_seen_subcommand_from ${c.name}" -l ${o.slice(2)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function completionCommand(context: CliContext, program: () => Command): Command {
  return new Command('completion')
    .description('print a shell completion script for bash, zsh or fish')
    .argument('<shell>', 'bash | zsh | fish')
    .addHelpText('after', '\nExamples:\n  source <(jury completion bash)\n  jury completion fish > ~/.config/fish/completions/jury.fish')
    .action((shell: string, _flags: unknown, command: Command) => {
      const root = spec(program());
      const make = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion }[shell];
      if (!make) command.error(`error: unknown shell ${JSON.stringify(shell)}; expected bash, zsh or fish`, { exitCode: 2 });
      else context.stdout.write(make(root));
    });
}
