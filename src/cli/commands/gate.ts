import { existsSync } from 'node:fs';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { emitGate } from '../print/gate-outputs.js';
import { gateOverrides, withGateFlags, type GateFlags } from './gate-flags.js';

export function gateCommand(context: CliContext): Command {
  return withGateFlags(
    new Command('gate')
      .description('check a report against quality gates (exit 1 when one fails)')
      .argument('<report>', 'report.json to check')
      .option('-c, --config <file>', 'jury.yaml whose `gates` and `baseline` apply (default: ./jury.yaml when present)')
      .option('--html', 'also write report.html beside the report (jury view), with the diff against the baseline'),
  ).action(async (reportPath: string, flags: GateFlags & { config?: string; html?: boolean }) => {
    const { gate } = await import('../../api.js');
    const configPath = flags.config ?? (existsSync('jury.yaml') ? 'jury.yaml' : undefined);
    const { result, report } = await gate({ reportPath, baselinePath: flags.baseline, configPath, overrides: gateOverrides(flags), allowIncomplete: flags.allowIncomplete, allowSimulated: flags.allowSimulated, by: flags.by });
    if (flags.html) {
      const { resolveGates, viewReport } = await import('../../api.js');
      // The baseline the gate used: the flag's, else the one jury.yaml names.
      const { baseline } = await resolveGates(configPath, {}, flags.baseline);
      const view = await viewReport({ reportPath, baselinePath: baseline, configPath });
      for (const note of view.notes) context.stderr.write(`jury: note: ${note}\n`);
      context.stdout.write(`html: ${view.file}\n`);
    }
    emitGate(result, report.run.label, context, flags.junit);
  });
}
