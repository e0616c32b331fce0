import { appendFileSync } from 'node:fs';
import type { GateResult } from '../../gate/gate.js';
import { githubAnnotations, renderGate, renderJunit } from '../../render/gate.js';
import { writeAtomic } from '../../report/write.js';
import type { CliContext } from '../context.js';

/**
 * Everything a gate verdict produces: the text on stdout, JUnit XML when asked, and on GitHub Actions a
 * Markdown summary appended to $GITHUB_STEP_SUMMARY and `::error` annotations for failed checks.
 */
export function emitGate(result: GateResult, label: string, context: CliContext, junit?: string): void {
  context.stdout.write(renderGate(result, 'text', label));
  if (junit) writeAtomic(junit, renderJunit(result, label));
  const summary = context.env.GITHUB_STEP_SUMMARY;
  if (summary) appendFileSync(summary, `${renderGate(result, 'md', label)}\n`);
  if (context.env.GITHUB_ACTIONS === 'true') context.stdout.write(githubAnnotations(result));
  if (!result.passed) context.gateFailed = true;
}
