/** A run of this many characters of a key, or more, is scrubbed wherever it appears. */
export const KEY_FRAGMENT = 8;

/**
 * Removes secrets from text before it is stored or printed: every run of KEY_FRAGMENT or more characters of a
 * key in use (a 401 body may echo part of a key, without its `sk-` prefix), and anything shaped like a provider
 * key (an error body may echo a key we were never given).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 6 && secret.length < KEY_FRAGMENT) out = out.split(secret).join('[redacted]');
    else if (secret.length >= KEY_FRAGMENT) out = scrubFragments(out, secret);
  }
  // sk-ant-… keys are sk- keys too: `ant-` is made of key characters.
  return out.replace(/\bsk-[A-Za-z0-9_-]{6,}/g, '[redacted]');
}

/**
 * Replaces every maximal stretch of `text` covered by windows of KEY_FRAGMENT characters that occur in `secret`.
 * Each window of the text is looked up once in the set of the secret's windows: linear in the text.
 */
function scrubFragments(text: string, secret: string): string {
  if (text.length < KEY_FRAGMENT) return text;
  const windows = new Set<string>();
  for (let i = 0; i + KEY_FRAGMENT <= secret.length; i++) windows.add(secret.slice(i, i + KEY_FRAGMENT));
  let out = '';
  let copiedTo = 0;
  let coverEnd = -1;
  let coverStart = -1;
  for (let i = 0; i + KEY_FRAGMENT <= text.length; i++) {
    if (!windows.has(text.slice(i, i + KEY_FRAGMENT))) continue;
    if (i > coverEnd) {
      if (coverStart >= 0) {
        out += `${text.slice(copiedTo, coverStart)}[redacted]`;
        copiedTo = coverEnd;
      }
      coverStart = i;
    }
    coverEnd = i + KEY_FRAGMENT;
  }
  if (coverStart < 0) return text;
  return `${out}${text.slice(copiedTo, coverStart)}[redacted]${text.slice(coverEnd)}`;
}
