import { createHash } from 'node:crypto';

/**
 * JSON with keys sorted at every depth and numbers rounded to `decimals` places, so that equal data gives
 * equal bytes: reports diff cleanly in git and hashes are stable. Undefined fields are dropped; -0 is 0.
 */
export function canonicalJson(value: unknown, options: { decimals?: number; indent?: number } = {}): string {
  return JSON.stringify(normalise(value, options.decimals ?? 6), null, options.indent ?? 0);
}

function normalise(value: unknown, decimals: number): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as JSON; undefined statistics are null with a reason`);
    const factor = 10 ** decimals;
    const rounded = Math.round(value * factor) / factor;
    return Object.is(rounded, -0) ? 0 : rounded;
  }
  if (Array.isArray(value)) return value.map((v) => normalise(v, decimals));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalise(v, decimals);
    }
    return out;
  }
  return value;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
