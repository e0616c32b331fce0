import { describeScale, scalePoints, type Scale, type Score } from '../rubric/rubric.js';
import type { FailureCause } from './verdict.js';

export type ParsedVerdict =
  | { ok: true; score: Score; reasoning: string; citedTurns: number[] }
  | { ok: false; cause: Extract<FailureCause, 'unparseable' | 'off_scale'>; message: string };

/**
 * Reads a verdict from a model's text. Tolerant of what servers without structured output do (code fences,
 * prose around the object, a score given as "4"), strict about meaning: a score off the scale is a failure,
 * never rounded or clamped into a guess.
 */
export function parseVerdict(text: string, scale: Scale, maxTurn: number): ParsedVerdict {
  const object = extractJsonObject(text);
  if (!object) return { ok: false, cause: 'unparseable', message: 'no JSON object in the reply' };
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

/** The first JSON object in the text that parses, looking inside code fences and past surrounding prose. */
export function extractJsonObject(text: string): Record<string, unknown> | undefined {
  const direct = tryParse(text.trim());
  if (direct) return direct;
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    const end = matchingBrace(text, start);
    if (end === -1) continue;
    const candidate = tryParse(text.slice(start, end + 1));
    if (candidate) return candidate;
  }
  return undefined;
}

function tryParse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Index of the brace closing the one at `start`, skipping braces inside strings. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Reads a combined verdict ({"verdicts": {criterion id: verdict}}): each criterion parsed and checked on its
 * own scale, so one bad criterion does not spoil the others.
 */
export function parseCombinedVerdict(text: string, criteria: readonly { id: string; scale: Scale }[], maxTurn: number): Map<string, ParsedVerdict> {
  const object = extractJsonObject(text);
  const verdicts = object?.verdicts;
  const out = new Map<string, ParsedVerdict>();
  for (const { id, scale } of criteria) {
    const one = verdicts && typeof verdicts === 'object' ? (verdicts as Record<string, unknown>)[id] : undefined;
    out.set(id, one && typeof one === 'object' ? parseVerdict(JSON.stringify(one), scale, maxTurn) : { ok: false, cause: 'unparseable', message: `no verdict for criterion \`${id}\`` });
  }
  return out;
}
