import { contentText, type Message } from '../transcript/transcript.js';
import type { Track } from './catalogue.js';

/** One assistant turn and the tracks it recommended, with each track as the tool results showed it. */
export interface RecommendingTurn {
  /** Index of the assistant message. */
  at: number;
  tracks: Track[];
  /** Catalogue tracks the text names that no tool result had returned (a recommendation not grounded in a tool). */
  ungrounded: Track[];
  /** The turn asks the listener something ("?") and recommends nothing. */
  question: boolean;
}

/**
 * Reads each assistant turn's recommendations. A recommendation is a track some tool result returned earlier in
 * the conversation (a JSON object with `title` and `artist`, anywhere in the result) whose title the turn's text
 * names, together with its artist or in quotes: read from what the tools returned, not guessed from the prose.
 */
export function recommendingTurns(messages: readonly Message[], catalogue: readonly Track[] = []): RecommendingTurn[] {
  const seen = new Map<string, Track>();
  const out: RecommendingTurn[] = [];
  messages.forEach((message, at) => {
    if (message.role === 'tool') for (const track of tracksIn(contentText(message.content))) if (!seen.has(key(track))) seen.set(key(track), track);
    if (message.role !== 'assistant') return;
    const text = contentText(message.content);
    if (text.trim() === '') return;
    const tracks = [...seen.values()].filter((t) => names(text, t));
    const ungrounded = catalogue.filter((t) => !seen.has(key(t)) && names(text, t));
    out.push({ at, tracks, ungrounded, question: tracks.length === 0 && ungrounded.length === 0 && text.includes('?') });
  });
  return out;
}

function key(track: Pick<Track, 'title' | 'artist'>): string {
  return `${track.title.toLowerCase()}\u0000${track.artist.toLowerCase()}`;
}

/** Tracks in a tool result: every object with a string title and artist, at any depth. */
export function tracksIn(text: string): Track[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  const out: Track[] = [];
  const visit = (v: unknown, depth: number) => {
    if (depth > 8 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach((x) => visit(x, depth + 1));
    const o = v as Record<string, unknown>;
    if (typeof o.title === 'string' && typeof o.artist === 'string') out.push({ ...o, id: typeof o.id === 'string' ? o.id : o.title, title: o.title, artist: o.artist });
    else Object.values(o).forEach((x) => visit(x, depth + 1));
  };
  visit(value, 0);
  return out;
}

/** The text names the track: its title as a phrase, with the artist named too or the title in quotes. */
function names(text: string, track: Pick<Track, 'title' | 'artist'>): boolean {
  const lower = text.toLowerCase();
  const title = track.title.toLowerCase();
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (!new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'u').test(lower)) return false;
  const quoted = ['"', '“', "'", '‘', '*', '«'].some((q) => lower.includes(`${q}${title}`));
  return quoted || lower.includes(track.artist.toLowerCase());
}
