import { parseEach } from '../config/read-text.js';
import type { Loaded } from '../diagnostics/diagnostic.js';
import { parseRubric } from './parse.js';
import type { Rubric } from './rubric.js';

/** Loads every rubric file, collecting all problems; rubric ids must be unique across files. */
export async function loadRubrics(files: string[]): Promise<Loaded<Rubric[]>> {
  const { values: rubrics, diagnostics } = await parseEach(files, (file, text) => {
    const parsed = parseRubric(file, text);
    return parsed.ok ? { ok: true, value: [parsed.value] } : parsed;
  });
  const byId = new Map<string, Rubric>();
  for (const rubric of rubrics) {
    const earlier = byId.get(rubric.id);
    if (earlier) diagnostics.push({ code: 'rubric/duplicate-id', severity: 'error', file: rubric.file, path: ['id'], message: `rubric id \`${rubric.id}\` is also used by ${earlier.file}`, expected: 'a distinct id per rubric' });
    byId.set(rubric.id, rubric);
  }
  return diagnostics.length ? { ok: false, diagnostics } : { ok: true, value: rubrics, warnings: [] };
}
