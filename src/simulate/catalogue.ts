import { z } from 'zod';

/** A track of a catalogue: an id and any attributes (genre, energy, instrumental, year, moods …). */
export type Track = { id: string; title: string; artist: string } & Record<string, unknown>;

export const TrackSchema = z.looseObject({ id: z.string().min(1), title: z.string().min(1), artist: z.string().min(1) });

/**
 * What a listener needs of a track, on one attribute: `equals` a value, is `in` / `not_in` a list, lies within
 * `min`..`max`, or (for a list attribute such as moods) `includes` a value.
 */
export const ConstraintRule = z.strictObject({
  field: z.string().min(1),
  equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
  in: z.array(z.union([z.string(), z.number()])).min(1).optional(),
  not_in: z.array(z.union([z.string(), z.number()])).min(1).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  includes: z.union([z.string(), z.number()]).optional(),
});
export type ConstraintRule = z.infer<typeof ConstraintRule>;

/**
 * Whether a track meets a rule: true, false, or undefined when the track does not say (no such attribute), which
 * is never counted as a violation: a violation is what the tool results show, not what is guessed.
 */
export function meets(track: Readonly<Record<string, unknown>>, rule: ConstraintRule): boolean | undefined {
  const value = track[rule.field];
  if (value === undefined || value === null) return undefined;
  const same = (a: unknown, b: unknown) => (typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b);
  if (rule.equals !== undefined && !same(value, rule.equals)) return false;
  if (rule.in && !rule.in.some((v) => same(value, v))) return false;
  if (rule.not_in && rule.not_in.some((v) => same(value, v))) return false;
  if (rule.min !== undefined && !(typeof value === 'number' && value >= rule.min)) return false;
  if (rule.max !== undefined && !(typeof value === 'number' && value <= rule.max)) return false;
  if (rule.includes !== undefined && !(Array.isArray(value) && value.some((v) => same(v, rule.includes)))) return false;
  return true;
}

/** The arguments of the mock catalogue's `search_catalogue` tool. */
export interface SearchArgs {
  query?: string;
  genre?: string;
  mood?: string;
  energy?: string;
  instrumental?: boolean;
  explicit?: boolean;
  year_min?: number;
  year_max?: number;
  exclude?: string[];
  limit?: number;
}

/** The tools the mock catalogue offers an agent, in OpenAI's function format. */
export const CATALOGUE_TOOLS = [
  {
    type: 'function' as const,
    function: {
      name: 'search_catalogue',
      description: 'Search the music catalogue. Every filter is optional; results are tracks with their attributes.',
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'free text matched against title, artist, genre and moods' },
          genre: { type: 'string' },
          mood: { type: 'string', description: 'e.g. calm, focus, workout, party, sad, romantic' },
          energy: { type: 'string', enum: ['low', 'medium', 'high'] },
          instrumental: { type: 'boolean' },
          explicit: { type: 'boolean' },
          year_min: { type: 'integer' },
          year_max: { type: 'integer' },
          exclude: { type: 'array', items: { type: 'string' }, description: 'track ids or titles to leave out' },
          limit: { type: 'integer', minimum: 1, maximum: 10 },
        },
        additionalProperties: false,
      },
    },
  },
];

/**
 * The mock catalogue's search: filters first, then the free-text words (more matching words first), then the
 * catalogue's order. Deterministic, so a seed and the same agent give the same conversation.
 */
export function searchCatalogue(tracks: readonly Track[], args: SearchArgs): { tracks: Track[] } {
  const words = (args.query ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2);
  const excluded = new Set((args.exclude ?? []).map((e) => e.toLowerCase()));
  const text = (t: Track) => [t.title, t.artist, t.genre, ...(Array.isArray(t.moods) ? t.moods : [])].join(' ').toLowerCase();
  const checks: ConstraintRule[] = [];
  if (args.genre) checks.push({ field: 'genre', equals: args.genre });
  if (args.mood) checks.push({ field: 'moods', includes: args.mood });
  if (args.energy) checks.push({ field: 'energy', equals: args.energy });
  if (args.instrumental !== undefined) checks.push({ field: 'instrumental', equals: args.instrumental });
  if (args.explicit !== undefined) checks.push({ field: 'explicit', equals: args.explicit });
  if (args.year_min !== undefined) checks.push({ field: 'year', min: args.year_min });
  if (args.year_max !== undefined) checks.push({ field: 'year', max: args.year_max });
  const scored = tracks
    .filter((t) => !excluded.has(t.id.toLowerCase()) && !excluded.has(t.title.toLowerCase()) && checks.every((rule) => meets(t, rule) === true))
    .map((t, order) => ({ t, order, hits: words.filter((w) => text(t).includes(w)).length }))
    .filter((s) => words.length === 0 || s.hits > 0);
  scored.sort((a, b) => b.hits - a.hits || a.order - b.order);
  return { tracks: scored.slice(0, Math.min(10, Math.max(1, args.limit ?? 5))).map((s) => s.t) };
}
