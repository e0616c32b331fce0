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
      .option('-c, --config <file>', 'jury.yaml whose `gates` and `baseline` apply (default: ./jury.yaml when present)'),
  ).action(async (reportPath: string, flags: GateFlags & { config?: string }) => {
    const { gate } = await import('../../api.js');
    const configPath = flags.config ?? (existsSync('jury.yaml') ? 'jury.yaml' : undefined);
    const { result, report } = await gate({ reportPath, baselinePath: flags.baseline, configPath, overrides: gateOverrides(flags), allowIncomplete: flags.allowIncomplete, allowSimulated: flags.allowSimulated, by: flags.by });
    emitGate(result, report.run.label, context, flags.junit);
  });
}
