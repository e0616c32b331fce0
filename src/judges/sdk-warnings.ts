/**
 * The provider SDKs warn with console.warn on every call (the Anthropic SDK, for a deprecated model: 1,108 lines
 * of stderr on the shipped example). For the length of a run, their warnings go to `say` instead, each distinct
 * text once, so a user sees the deprecation one time, in jury's own output. Returns what restores console.warn.
 */
export function routeSdkWarnings(say: (message: string) => void): () => void {
  const original = console.warn;
  const seen = new Set<string>();
  console.warn = (...args: unknown[]) => {
    const text = args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : String(a))).join(' ').replace(/\s*\n\s*/g, ' ').trim();
    if (seen.has(text)) return;
    seen.add(text);
    say(`provider SDK: ${text}`);
  };
  return () => {
    console.warn = original;
  };
}
