import type { Command } from 'commander';
import type { Gates } from '../../config/config.js';
import { nonNegative, share, sliceKey, wholeFromOne } from './flag-parsers.js';

export interface GateFlags {
  baseline?: string;
  junit?: string;
  minMean?: number;
  maxRegression?: number;
  minAlpha?: number;
  maxErrorRate?: number;
  minWinRate?: number;
  failOnSignificantLoss?: boolean;
  maxSliceRegression?: number;
  minSliceItems?: number;
  by?: string[];
  primary?: string[];
  allowIncomplete?: boolean;
  allowSimulated?: boolean;
}

/** The gate options shared by `jury gate` and `jury run --gate`; flags override jury.yaml's `gates`. */
export function withGateFlags(command: Command): Command {
  return command
    .option('--baseline <report>', 'baseline report.json for the regression gate (default: the config\'s `baseline`)')
    .option('--junit <file>', 'write the gate results as JUnit XML')
    .option('--min-mean <x>', 'gate: lowest acceptable mean on every criterion', nonNegative)
    .option('--max-regression <x>', 'gate: largest acceptable significant drop of a criterion mean against the baseline', nonNegative)
    .option('--min-alpha <x>', "gate: lowest acceptable Krippendorff's alpha on every criterion", share)
    .option('--max-error-rate <x>', 'gate: largest acceptable share of failed or missing verdicts per judge (0..1)', share)
    .option('--min-win-rate <x>', "gate (pairwise runs): fail a criterion whose candidate win rate is ruled below x (its 95% CI's upper end < x)", share)
    .option('--fail-on-significant-loss', 'gate (pairwise runs): fail when the base wins any criterion by the sign test (Holm)')
    .option('--by <key>', "cut summaries and the regression gate by a metadata key, e.g. metadata.genre (repeatable; default: the config's `slices`)", sliceKey)
    .option('--max-slice-regression <x>', 'gate: largest acceptable significant drop of a criterion mean within any slice (needs --baseline and --by or `slices`)', nonNegative)
    .option('--min-slice-items <n>', 'slices with fewer matched items are reported, not gated (default 10)', wholeFromOne)
    .option('--primary <criterion...>', "criteria tested as their own, smaller Holm family for the regression gate (default: the config's `gates.primary`)")
    .option('--allow-incomplete', 'gate a report marked incomplete anyway (by default it fails every gate)')
    .option('--allow-simulated', 'gate simulated (mock) scores anyway, to check a pipeline (by default they fail the gate)');
}

/** True when any flag asks for a gate: `jury run --min-mean 4` gates without `--gate`, never silently not. */
export function wantsGate(flags: GateFlags & { gate?: boolean }): boolean {
  // --primary says how to test, not what to require: alone it asks for no gate.
  return Boolean(flags.gate || flags.junit || flags.baseline || flags.allowIncomplete || flags.allowSimulated) || Object.keys(gateOverrides(flags)).some((k) => k !== 'primary');
}

export function gateOverrides(flags: GateFlags): Partial<Gates> {
  return {
    ...(flags.minMean !== undefined ? { min_mean: { '*': flags.minMean } } : {}),
    ...(flags.maxRegression !== undefined ? { max_regression: flags.maxRegression } : {}),
    ...(flags.minAlpha !== undefined ? { min_alpha: { '*': flags.minAlpha } } : {}),
    ...(flags.maxErrorRate !== undefined ? { max_error_rate: flags.maxErrorRate } : {}),
    ...(flags.minWinRate !== undefined ? { min_win_rate: { '*': flags.minWinRate } } : {}),
    ...(flags.failOnSignificantLoss ? { no_significant_loss: true } : {}),
    ...(flags.maxSliceRegression !== undefined ? { max_slice_regression: flags.maxSliceRegression } : {}),
    ...(flags.minSliceItems !== undefined ? { min_slice_items: flags.minSliceItems } : {}),
    ...(flags.primary?.length ? { primary: flags.primary } : {}),
  };
}
