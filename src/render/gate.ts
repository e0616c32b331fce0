import type { GateResult } from '../gate/gate.js';

/** XML text and attribute escaping, for JUnit: transcript-derived text may hold anything. */
export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped, not escaped.
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * JUnit XML that CI systems read: one testcase per gate check (failed checks fail), and one per item ×
 * criterion scoring under its min_mean, marked failed so that it is listed; the exit code follows the gates.
 */
export function renderJunit(result: GateResult, label: string): string {
  const checks = result.checks.map((c) => {
    const name = escapeXml(`${c.gate} ${c.subject}`);
    return c.passed
      ? `    <testcase classname="jury.gates" name="${name}"><system-out>${escapeXml(c.message)}</system-out></testcase>`
      : `    <testcase classname="jury.gates" name="${name}"><failure message="${escapeXml(c.message)}" type="${c.gate}">${escapeXml(c.message)}</failure></testcase>`;
  });
  const items = result.below_threshold.map((b) => {
    const name = escapeXml(`${b.item}${b.turn ? ` turn ${b.turn}` : ''} ${b.rubric}/${b.criterion}`);
    const message = escapeXml(`panel score ${b.score} below ${b.threshold}`);
    return `    <testcase classname="jury.items" name="${name}"><failure message="${message}" type="below_threshold">${message}</failure></testcase>`;
  });
  const failedChecks = result.checks.filter((c) => !c.passed).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="jury ${escapeXml(label)}" tests="${checks.length + items.length}" failures="${failedChecks + items.length}">`,
    `  <testsuite name="gates" tests="${checks.length}" failures="${failedChecks}">`,
    ...checks,
    '  </testsuite>',
    `  <testsuite name="items below threshold" tests="${items.length}" failures="${items.length}">`,
    ...items,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The gate verdict as text (terminal) or Markdown (GitHub step summary). */
export function renderGate(result: GateResult, format: 'text' | 'md', label: string): string {
  const icon = (passed: boolean) => (format === 'md' ? (passed ? '✅' : '❌') : passed ? 'PASS' : 'FAIL');
  if (format === 'md') {
    const lines = [`### jury gate: ${label}: ${result.passed ? '✅ passed' : '❌ failed'}`, ''];
    for (const w of result.warnings) lines.push(`> **Warning:** ${w}`, '');
    lines.push('| | gate | subject | result |', '|---|---|---|---|', ...result.checks.map((c) => `| ${icon(c.passed)} | ${c.gate} | ${c.subject} | ${c.message.replace(/\|/g, '\\|')} |`), '');
    if (result.below_threshold.length) lines.push(`${result.below_threshold.length} item × criterion scores are below their min_mean.`, '');
    return lines.join('\n');
  }
  const lines = result.checks.map((c) => `${icon(c.passed)}  ${c.gate.padEnd(14)} ${c.subject}: ${c.message}`);
  for (const w of result.warnings) lines.push(`WARNING: ${w}`);
  if (result.checks.length === 0) lines.push('no gates configured');
  lines.push(`gate ${result.passed ? 'passed' : 'FAILED'} (${result.checks.filter((c) => !c.passed).length} of ${result.checks.length} checks failed)`);
  return `${lines.join('\n')}\n`;
}

/** GitHub Actions workflow commands: `::error` for each failed check (data escaped as the runner requires). */
export function githubAnnotations(result: GateResult): string {
  const escape = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return result.checks.filter((c) => !c.passed).map((c) => `::error title=${escape(`jury gate ${c.gate}`).replace(/[,:]/g, ' ')}::${escape(`${c.subject}: ${c.message}`)}\n`).join('');
}
