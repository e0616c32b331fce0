import { checkSource } from '../diagnostics/check.js';
import type { Diagnostic, Loaded } from '../diagnostics/diagnostic.js';
import { parseSource, type SourceDoc } from '../diagnostics/source.js';
import { RubricSchema, scalePoints, describeScale, type Rubric } from './rubric.js';

/** Parses and validates one rubric file's text: schema first, then the rules that span fields. */
export function parseRubric(file: string, text: string): Loaded<Rubric> {
  const parsed = parseSource(file, text);
  if (!parsed.ok) return parsed;
  const checked = checkSource(RubricSchema, parsed.doc, { invalid: 'rubric/invalid', unknownKey: 'rubric/unknown-key' });
  if (!checked.ok) return checked;
  const rubric: Rubric = { ...checked.value, file };
  const diagnostics = crossFieldRules(rubric, parsed.doc);
  return diagnostics.length ? { ok: false, diagnostics } : { ok: true, value: rubric, warnings: [] };
}

function crossFieldRules(rubric: Rubric, doc: SourceDoc): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: (string | number)[], key = false) => ({ file: doc.file, path, ...(doc.locate(path, { key }) ?? {}) });
  const seen = new Set<string>();
  rubric.criteria.forEach((criterion, index) => {
    if (seen.has(criterion.id)) {
      out.push({ code: 'rubric/duplicate-id', severity: 'error', ...at(['criteria', index, 'id']), message: `criterion id \`${criterion.id}\` appears twice in this rubric`, expected: 'unique criterion ids' });
    }
    seen.add(criterion.id);
    const { scale } = criterion;
    if (scale.type === 'likert' && !(scale.max > scale.min && scale.max - scale.min <= 10)) {
      out.push({ code: 'rubric/invalid', severity: 'error', ...at(['criteria', index, 'scale']), message: `likert scale ${scale.min}..${scale.max} is not usable`, expected: 'min < max with at most 11 points' });
      return;
    }
    if (scale.type === 'categorical' && new Set(scale.labels).size !== scale.labels.length) {
      out.push({ code: 'rubric/invalid', severity: 'error', ...at(['criteria', index, 'scale', 'labels']), message: 'categorical labels repeat', expected: 'distinct labels' });
      return;
    }
    if (scale.type === 'categorical' && scale.tie !== undefined && !scale.labels.includes(scale.tie)) {
      out.push({ code: 'rubric/invalid', severity: 'error', ...at(['criteria', index, 'scale', 'tie']), message: `the tie label \`${scale.tie}\` is not one of the labels`, expected: `one of ${scale.labels.map((l) => JSON.stringify(l)).join(', ')}` });
      return;
    }
    const points = scalePoints(scale).map(String);
    for (const key of Object.keys(criterion.anchors)) {
      if (!points.includes(key)) {
        out.push({ code: 'rubric/anchors', severity: 'error', ...at(['criteria', index, 'anchors', key], true), message: `anchor \`${key}\` is outside the scale of criterion \`${criterion.id}\``, expected: `anchors for ${points.join(', ')}` });
      }
    }
    const missing = points.filter((p) => !(p in criterion.anchors));
    if (missing.length) {
      out.push({ code: 'rubric/anchors', severity: 'error', ...at(['criteria', index, 'anchors']), message: `criterion \`${criterion.id}\` has no anchor for ${missing.join(', ')}`, expected: 'an anchor for every score point', hint: 'say what each score means so that judges read the scale alike' });
    }
    criterion.examples.forEach((example, e) => {
      if (!points.includes(String(example.score))) {
        out.push({ code: 'rubric/invalid', severity: 'error', ...at(['criteria', index, 'examples', e, 'score']), message: `example score ${JSON.stringify(example.score)} is not on the scale`, expected: describeScale(scale) });
      }
    });
  });
  return out;
}
