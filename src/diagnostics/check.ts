import type { z } from 'zod';
import type { Diagnostic, DiagnosticCode } from './diagnostic.js';
import type { SourceDoc } from './source.js';
import { zodDiagnostics } from './zod-issues.js';

/** Validates a parsed document against a schema, locating every problem in the file. */
export function checkSource<S extends z.ZodType>(
  schema: S,
  doc: SourceDoc,
  codes: { invalid: DiagnosticCode; unknownKey: DiagnosticCode },
): { ok: true; value: z.output<S> } | { ok: false; diagnostics: Diagnostic[] } {
  const parsed = schema.safeParse(doc.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, diagnostics: zodDiagnostics(schema, doc, parsed.error.issues, codes) };
}
