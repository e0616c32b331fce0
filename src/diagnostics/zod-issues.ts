import type { z } from 'zod';
import type { Diagnostic, DiagnosticCode } from './diagnostic.js';
import { didYouMean } from './did-you-mean.js';
import type { SourceDoc } from './source.js';

interface Codes {
  invalid: DiagnosticCode;
  unknownKey: DiagnosticCode;
}

/** Turns zod issues into diagnostics that point at the line, with did-you-mean for unknown keys. */
export function zodDiagnostics(schema: z.ZodType, doc: SourceDoc, issues: z.core.$ZodIssue[], codes: Codes): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, doc.value, path);
      for (const key of issue.keys) {
        const suggestion = didYouMean(key, known);
        const where = doc.locate([...path, key], { key: true });
        out.push({
          code: codes.unknownKey,
          severity: 'error',
          file: doc.file,
          ...(where ?? {}),
          path: [...path, key],
          message: `unknown key \`${key}\`${path.length ? ` in ${describe(path)}` : ''}`,
          expected: known.length ? `one of ${known.map((k) => `\`${k}\``).join(', ')}` : undefined,
          hint: suggestion ? `did you mean \`${suggestion}\`?` : undefined,
        });
      }
      continue;
    }
    const where = doc.locate(path);
    out.push({
      code: codes.invalid,
      severity: 'error',
      file: doc.file,
      ...(where ?? {}),
      path,
      message: `${path.length ? `${describe(path)}: ` : ''}${issueMessage(issue, valueAt(doc.value, path))}`,
      expected: expectedOf(issue),
    });
  }
  return out;
}

function describe(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

// zod leaves the offending input out of issues unless asked; we read it from the document instead.
function valueAt(value: unknown, path: (string | number)[]): unknown {
  let current = value;
  for (const segment of path) current = (current as Record<string | number, unknown> | null | undefined)?.[segment];
  return current;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  // A value can be a multi-megabyte string from a log line: the message shows its start.
  return `${typeof value} ${text.length > 80 ? `${text.slice(0, 77)}…` : text}`;
}

function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) return 'required field is missing';
  if (issue.code === 'invalid_type') {
    return `expected ${issue.expected === 'record' ? 'a mapping' : issue.expected}, received ${typeName(value)}`;
  }
  if (issue.code === 'invalid_union') return `matches none of the allowed forms, received ${typeName(value)}`;
  return issue.message.replace(/^Invalid input: /, '');
}

function expectedOf(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'invalid_type') return issue.expected === 'record' ? 'a mapping of keys to values' : String(issue.expected);
  if (issue.code === 'invalid_value') return issue.values.map((v) => JSON.stringify(v)).join(' | ');
  return undefined;
}

type Def = { type: string; [key: string]: unknown };

function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** The keys the schema accepts at `path` of `value`, following arrays, wrappers and unions. */
export function knownKeysAt(schema: unknown, value: unknown, path: (string | number)[]): string[] {
  let current: unknown = schema;
  let currentValue: unknown = value;
  for (const segment of path) {
    current = unwrap(current, currentValue);
    const def = defOf(current);
    if (!def) return [];
    currentValue = (currentValue as Record<string | number, unknown> | undefined)?.[segment];
    if (def.type === 'object') current = (def.shape as Record<string, unknown>)[String(segment)];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return [];
  }
  const def = defOf(unwrap(current, currentValue));
  return def?.type === 'object' ? Object.keys(def.shape as Record<string, unknown>) : [];
}

function unwrap(schema: unknown, value: unknown): unknown {
  let current = schema;
  for (let guard = 0; guard < 20; guard++) {
    const def = defOf(current);
    if (!def) return current;
    if ('innerType' in def) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else if (def.type === 'lazy') current = (def.getter as () => unknown)();
    else if (def.type === 'union') current = pickUnionOption(def.options as unknown[], value);
    else return current;
  }
  return current;
}

/** The union member whose object keys best match the value (a discriminator, when there is one, decides). */
function pickUnionOption(options: unknown[], value: unknown): unknown {
  const keys = value && typeof value === 'object' ? Object.keys(value) : [];
  let best = options[0];
  let bestScore = -Infinity;
  for (const option of options) {
    const def = defOf(unwrap(option, value));
    if (def?.type !== 'object') continue;
    const shape = def.shape as Record<string, unknown>;
    let score = keys.filter((k) => k in shape).length - keys.filter((k) => !(k in shape)).length;
    for (const [key, field] of Object.entries(shape)) {
      const fieldDef = defOf(field);
      if (fieldDef?.type === 'literal') {
        const values = fieldDef.values as unknown[];
        if (values.includes((value as Record<string, unknown>)?.[key])) score += 100;
      }
    }
    if (score > bestScore) {
      best = option;
      bestScore = score;
    }
  }
  return best;
}
