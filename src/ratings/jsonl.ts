/**
 * The objects of a JSON Lines text with their line numbers; blank lines skipped. A line that is not valid JSON,
 * or not an object, goes to `problem` with a short message instead.
 */
export function forEachJsonLine(text: string, record: (value: Record<string, unknown>, line: number) => void, problem: (line: number, message: string, expected?: string) => void): void {
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      return problem(index + 1, `invalid JSON: ${(e as Error).message.split(' in JSON')[0]}`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) return problem(index + 1, 'not a JSON object', 'one object per line');
    record(value as Record<string, unknown>, index + 1);
  });
}
