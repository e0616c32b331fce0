import type { GateResult } from '../gate/gate.js';

/** XML text and attribute escaping, for JUnit: transcript-derived text may hold anything. */
export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped, not escaped.
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * JUnit XML that CI systems read: one testcase per gate check, a failure exactly when that check failed, so a
 * CI reporter is red iff the gate failed. Items scoring under their min_mean are where to look, not failures:
 * they are listed in the suite's system-out, with the warnings (simulated scores, a partial match).
 */
export function renderJunit(result: GateResult, label: string): string {
  const checks = result.checks.map((c) => {
    const name = escapeXml(`${c.gate} ${c.subject}`);
    return c.passed
      ? `    <testcase classname="jury.gates" name="${name}"><system-out>${escapeXml(c.message)}</system-out></testcase>`
      : `    <testcase classname="jury.gates" name="${name}"><failure message="${escapeXml(c.message)}" type="${c.gate}">${escapeXml(c.message)}</failure></testcase>`;
  });
  const failedChecks = result.checks.filter((c) => !c.passed).length;
  const notes = [
    ...result.warnings.map((w) => `WARNING: ${w}`),
    ...(result.default_gate ? [`note: ${result.default_gate}`] : []),
    ...(result.below_threshold.length ? [`${result.below_threshold.length} item × criterion panel scores are below their min_mean:`] : []),
    ...result.below_threshold.map((b) => `  ${b.item}${b.turn ? ` turn ${b.turn}` : ''} ${b.rubric}/${b.criterion}: ${b.score} < ${b.threshold}`),
  ];
  const simulated = result.checks.some((c) => c.gate === 'not_simulated');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="jury ${escapeXml(label)}" tests="${checks.length}" failures="${failedChecks}">`,
    `  <testsuite name="gates" tests="${checks.length}" failures="${failedChecks}">`,
    '    <properties>',
    `      <property name="passed" value="${result.passed}"/>`,
    `      <property name="simulated" value="${simulated}"/>`,
    `      <property name="below_threshold" value="${result.below_threshold.length}"/>`,
    '    </properties>',
    ...checks,
    ...(notes.length ? [`    <system-out>${escapeXml(notes.join('\n'))}</system-out>`] : []),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The gate verdict as text (terminal) or Markdown (GitHub step summary); warnings first, as they qualify the rest. */
export function renderGate(result: GateResult, format: 'text' | 'md', label: string): string {
  const icon = (passed: boolean) => (format === 'md' ? (passed ? '✅' : '❌') : passed ? 'PASS' : 'FAIL');
  const failed = result.checks.filter((c) => !c.passed).length;
  if (format === 'md') {
    const lines = [`### jury gate: ${label}: ${result.passed ? '✅ passed' : '❌ failed'}`, ''];
    for (const w of result.warnings) lines.push(`> **Warning:** ${w}`, '');
    if (result.default_gate) lines.push(`> **Note:** ${result.default_gate}`, '');
    lines.push('| | gate | subject | result |', '|---|---|---|---|', ...result.checks.map((c) => `| ${icon(c.passed)} | ${c.gate} | ${c.subject} | ${c.message.replace(/\|/g, '\\|')} |`), '');
    if (result.below_threshold.length) lines.push(`${result.below_threshold.length} item × criterion scores are below their min_mean.`, '');
    return lines.join('\n');
  }
  const lines = result.warnings.map((w) => `WARNING: ${w}`);
  if (result.default_gate) lines.push(`note: ${result.default_gate}`);
  lines.push(...result.checks.map((c) => `${icon(c.passed)}  ${c.gate.padEnd(14)} ${c.subject}: ${c.message}`));
  lines.push(`gate ${result.passed ? 'passed' : 'FAILED'} (${failed} of ${result.checks.length} checks failed)`);
  return `${lines.join('\n')}\n`;
}

/** GitHub Actions workflow commands: `::error` for each failed check (data escaped as the runner requires). */
export function githubAnnotations(result: GateResult): string {
  const escape = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return result.checks.filter((c) => !c.passed).map((c) => `::error title=${escape(`jury gate ${c.gate}`).replace(/[,:]/g, ' ')}::${escape(`${c.subject}: ${c.message}`)}\n`).join('');
}
