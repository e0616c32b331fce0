import { InvalidArgumentError, type Command } from 'commander';
import type { Gates } from '../../config/config.js';

export function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number from 0 up');
  return n;
}

export interface GateFlags {
  baseline?: string;
  junit?: string;
  minMean?: number;
  maxRegression?: number;
  minAlpha?: number;
  maxErrorRate?: number;
}

/** The gate options shared by `jury gate` and `jury run --gate`; flags override jury.yaml's `gates`. */
export function withGateFlags(command: Command): Command {
  return command
    .option('--baseline <report>', 'baseline report.json for the regression gate (default: the config\'s `baseline`)')
    .option('--junit <file>', 'write the gate results as JUnit XML')
    .option('--min-mean <x>', 'gate: lowest acceptable mean on every criterion', number)
    .option('--max-regression <x>', 'gate: largest acceptable significant drop of a criterion mean against the baseline', number)
    .option('--min-alpha <x>', "gate: lowest acceptable Krippendorff's alpha on every criterion", number)
    .option('--max-error-rate <x>', 'gate: largest acceptable share of failed verdicts per judge (0..1)', number);
}

export function gateOverrides(flags: GateFlags): Partial<Gates> {
  return {
    ...(flags.minMean !== undefined ? { min_mean: { '*': flags.minMean } } : {}),
    ...(flags.maxRegression !== undefined ? { max_regression: flags.maxRegression } : {}),
    ...(flags.minAlpha !== undefined ? { min_alpha: { '*': flags.minAlpha } } : {}),
    ...(flags.maxErrorRate !== undefined ? { max_error_rate: flags.maxErrorRate } : {}),
  };
}
