/**
 * Removes secrets from text before it is stored or printed: the exact keys in use, and anything shaped
 * like a provider key (an error body may echo a key we were never given).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  return out.replace(/\b(sk-[A-Za-z0-9_-]{6,}|sk-ant-[A-Za-z0-9_-]{6,})/g, '[redacted]');
}
