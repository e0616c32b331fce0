import { createHash } from 'node:crypto';
import type { Calibration } from '../../calibrate/calibrate.js';
import type { Diff } from '../../diff/diff.js';
import type { Report } from '../../report/report.js';
import type { Transcript } from '../../transcript/transcript.js';
import { CLIENT, STYLE, TEMPLATE } from './assets.generated.js';
import { pageData } from './data.js';
import { escapeHtml, jsonForScript } from './escape.js';
import { banners, calibrationSection, criteria, diffSection, overview, type RunFacts } from './sections.js';
import { pairwiseSection } from './pairwise-section.js';

export interface HtmlInput {
  report: Report;
  /** run.json beside the report, when there is one (cost, tokens, failures by cause). */
  run?: RunFacts;
  /** The transcripts judged, by id (the drill-down shows them); may be empty. */
  transcripts: ReadonlyMap<string, Transcript>;
  baseline?: { report: Report; diff: Diff; transcripts: ReadonlyMap<string, Transcript> };
  calibration?: Calibration;
  /** Where the report came from, as the footer names it. */
  source: string;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * One self-contained HTML file: the overview, criteria, diff and calibration as plain HTML (readable without
 * JavaScript, printable), the item browser drawn by the inline script from the embedded JSON. The
 * Content-Security-Policy allows only that script and style (by hash) and no request of any kind. Pure: the
 * same input gives the same bytes.
 */
export function renderHtmlReport(input: HtmlInput): string {
  const { report } = input;
  const title = `jury: ${report.run.label}`;
  const csp = `default-src 'none'; script-src ${sha256(CLIENT)}; style-src ${sha256(STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`;
  const sections = [
    overview(report, input.run),
    ...(report.pairwise ? [pairwiseSection(report)] : []),
    ...(input.baseline ? [diffSection(input.baseline.diff)] : []),
    ...(input.calibration ? [calibrationSection(input.calibration)] : []),
    criteria(report),
  ];
  const values: Record<string, string> = {
    CSP: escapeHtml(csp),
    TITLE: escapeHtml(title),
    STYLE,
    BANNERS: banners(report),
    STATIC: sections.join('\n'),
    SOURCE: escapeHtml(input.source),
    DATA: jsonForScript(pageData(report, input.transcripts, input.baseline)),
    CLIENT,
  };
  // One pass over the template, so that nothing substituted is itself searched for placeholders.
  return TEMPLATE.replace(/\{\{([A-Z]+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}
