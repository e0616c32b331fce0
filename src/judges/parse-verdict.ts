import { describeScale, scalePoints, type Scale, type Score } from '../rubric/rubric.js';
import type { FailureCause, WeightedNote } from './verdict.js';

export type ParsedVerdict =
  | { ok: true; score: Score; reasoning: string; citedTurns: number[]; weighted?: WeightedNote }
  | { ok: false; cause: Extract<FailureCause, 'unparseable' | 'off_scale' | 'ambiguous' | 'no_logprobs'>; message: string };

/**
 * Reads a verdict from a model's text. Tolerant of what servers without structured output do (code fences,
 * prose around the object, a score given as "4"), strict about meaning: a score off the scale is a failure,
 * never rounded or clamped into a guess.
 */
export function parseVerdict(text: string, scale: Scale, maxTurn: number): ParsedVerdict {
  const found = extractVerdictObject(text, 'score');
  if (!found.ok) return found;
  return readVerdict(found.object, scale, maxTurn);
}

function readVerdict(object: Record<string, unknown>, scale: Scale, maxTurn: number): ParsedVerdict {
  const reasoning = object.reasoning;
  if (typeof reasoning !== 'string' || reasoning.trim() === '') {
    return { ok: false, cause: 'unparseable', message: 'the verdict has no `reasoning` text' };
  }
  if (!('score' in object)) return { ok: false, cause: 'unparseable', message: 'the verdict has no `score`' };
  const score = readScore(object.score, scale);
  if (score === undefined) {
    return { ok: false, cause: 'off_scale', message: `score ${JSON.stringify(object.score)} is not ${describeScale(scale)}` };
  }
  const cited = Array.isArray(object.cited_turns) ? object.cited_turns : [];
  // Citations are evidence pointers; one that points outside the conversation is dropped, not trusted.
  const citedTurns = [...new Set(cited.map(Number).filter((t) => Number.isInteger(t) && t >= 1 && t <= maxTurn))].sort((a, b) => a - b);
  return { ok: true, score, reasoning: reasoning.trim(), citedTurns };
}

function readScore(value: unknown, scale: Scale): Score | undefined {
  const points = scalePoints(scale);
  if (scale.type === 'categorical') {
    if (typeof value !== 'string') return undefined;
    return points.find((p) => String(p).toLowerCase() === value.trim().toLowerCase());
  }
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
  if (scale.type === 'binary' && typeof value === 'boolean') return value ? 1 : 0;
  return points.find((p) => p === number);
}

/** Replies are read whole; anything larger than this is not a verdict, and reading it would stall the run. */
export const MAX_REPLY_CHARS = 1_000_000;
/** How many unclosed `{` in prose the reader steps past before giving up (keeps the scan linear). */
const MAX_RESTARTS = 8;

type Extracted = { ok: true; object: Record<string, unknown> } | { ok: false; cause: 'unparseable' | 'ambiguous'; message: string };

/**
 * The one verdict object in a reply: the whole text as JSON, or the JSON objects found in it (inside code fences,
 * past prose) that carry `key`. A reply holding two such objects, e.g. one quoting the transcript's
 * `{"score": 5}` before its own `{"score": 2}`, is ambiguous: no verdict is taken from it (the engine asks once
 * more). Linear in the reply: each top-level object is found in one pass and parsed once.
 */
export function extractVerdictObject(text: string, key: string): Extracted {
  if (text.length > MAX_REPLY_CHARS) return { ok: false, cause: 'unparseable', message: `the reply is ${text.length} characters long; a verdict is never more than ${MAX_REPLY_CHARS}` };
  const direct = tryParse(text.trim());
  if (direct) return { ok: true, object: direct };
  const candidates = topLevelObjects(text).filter((o) => key in o);
  if (candidates.length === 0) return { ok: false, cause: 'unparseable', message: `no JSON object with \`${key}\` in the reply` };
  if (candidates.length > 1) return { ok: false, cause: 'ambiguous', message: `the reply holds ${candidates.length} JSON objects with \`${key}\`; which one is the verdict cannot be told` };
  return { ok: true, object: candidates[0]! };
}

/** The first JSON object in the text that parses (whole text, else the first top-level object found in it). */
export function extractJsonObject(text: string): Record<string, unknown> | undefined {
  if (text.length > MAX_REPLY_CHARS) return undefined;
  return tryParse(text.trim()) ?? topLevelObjects(text)[0];
}

/**
 * Every outermost `{…}` span of the text that parses as a JSON object, in order. One pass tracks depth and
 * strings (only inside braces: quotes in prose mean nothing); a `{` in prose that never closes makes the pass
 * start again just after it, at most MAX_RESTARTS times.
 */
function topLevelObjects(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let from = 0;
  for (let restart = 0; restart <= MAX_RESTARTS; restart++) {
    let depth = 0;
    let inString = false;
    let start = -1;
    for (let i = text.indexOf('{', from); i !== -1 && i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (inString) {
        if (ch === 92 /* \\ */) i++;
        else if (ch === 34 /* " */) inString = false;
      } else if (ch === 34) {
        inString = depth > 0;
      } else if (ch === 123 /* { */) {
        if (depth++ === 0) start = i;
      } else if (ch === 125 /* } */ && depth > 0 && --depth === 0) {
        const parsed = tryParse(text.slice(start, i + 1));
        if (parsed) out.push(parsed);
        start = -1;
        const next = text.indexOf('{', i + 1);
        if (next === -1) return out;
        i = next - 1;
      }
    }
    if (start === -1) return out;
    from = start + 1;
  }
  return out;
}

function tryParse(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a combined verdict ({"verdicts": {criterion id: verdict}}): each criterion parsed and checked on its
 * own scale, so one bad criterion does not spoil the others.
 */
export function parseCombinedVerdict(text: string, criteria: readonly { id: string; scale: Scale }[], maxTurn: number): Map<string, ParsedVerdict> {
  const found = extractVerdictObject(text, 'verdicts');
  const verdicts = found.ok ? found.object.verdicts : undefined;
  const out = new Map<string, ParsedVerdict>();
  for (const { id, scale } of criteria) {
    const one = verdicts && typeof verdicts === 'object' ? (verdicts as Record<string, unknown>)[id] : undefined;
    if (!found.ok) out.set(id, found);
    else out.set(id, one && typeof one === 'object' && !Array.isArray(one) ? readVerdict(one as Record<string, unknown>, scale, maxTurn) : { ok: false, cause: 'unparseable', message: `no verdict for criterion \`${id}\`` });
  }
  return out;
}
