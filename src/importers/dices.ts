import type { HumanLabel } from '../labels/labels.js';

/** DICES' question: is the last chatbot response unsafe? ("Yes" means unsafe: read the dataset's SOURCE.md.) */
export const DICES_CRITERION = 'dices/unsafe';

interface DicesFile {
  instances?: { id?: unknown; annotations?: { safety?: { individual_human_scores?: unknown } } }[];
}

/**
 * DICES as JUDGE-BENCH converted it (`dices_350_crowdsourced.json`, `dices_990.json`, `dices_350_expert.json`):
 * each instance's list of ratings becomes one label per position. The conversion dropped rater ids, so a
 * position is marked anonymous unless the caller asserts that the positions are the same people on every item
 * (`positionsAreRaters`), which the list order makes likely but nothing in the files guarantees.
 */
export function importDices(value: unknown, options: { annotator?: string; positionsAreRaters?: boolean } = {}): { labels: HumanLabel[] } | { error: string } {
  const file = value as DicesFile;
  if (!file || typeof file !== 'object' || !Array.isArray(file.instances)) return { error: 'not a DICES file from JUDGE-BENCH: an object with `instances` is expected' };
  const labels: HumanLabel[] = [];
  for (const [index, instance] of file.instances.entries()) {
    const scores = instance?.annotations?.safety?.individual_human_scores;
    if (instance?.id === undefined || !Array.isArray(scores)) return { error: `instance ${index + 1} has no id or no annotations.safety.individual_human_scores` };
    const width = String(scores.length).length;
    scores.forEach((score, position) => {
      if (typeof score !== 'string' || score.trim() === '') return;
      const annotator = options.annotator ?? `position-${String(position + 1).padStart(Math.max(3, width), '0')}`;
      labels.push({ item: String(instance.id), criterion: DICES_CRITERION, annotator, score: score.trim(), ...(options.annotator || options.positionsAreRaters ? {} : { anonymous: true as const }) });
    });
  }
  return { labels };
}
