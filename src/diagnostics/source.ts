import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { Diagnostic } from './diagnostic.js';
import { jsonSyntaxError } from './json-syntax.js';

export interface Location {
  line: number;
  column: number;
  source: string;
}

/** A parsed YAML or JSON text that can say where a field path sits in the file. */
export interface SourceDoc {
  file: string;
  value: unknown;
  locate(path: (string | number)[], options?: { key?: boolean }): Location | undefined;
}

/**
 * Decodes bytes as UTF-8, refusing invalid sequences (a silent U+FFFD would corrupt judged text) and
 * dropping a byte-order mark.
 */
export function decodeUtf8(file: string, bytes: Uint8Array): { ok: true; text: string } | { ok: false; diagnostic: Diagnostic } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const line = countLines(bytes, offset);
    return {
      ok: false,
      diagnostic: {
        code: 'file/encoding',
        severity: 'error',
        file,
        line,
        path: [],
        message: `invalid UTF-8 at byte ${offset}`,
        expected: 'a UTF-8 text file',
        hint: 're-save the file as UTF-8',
      },
    };
  }
}

export function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let low = 0;
  let high = bytes.length;
  // Binary search on the longest valid prefix; a cut inside a multi-byte character is tolerated by `stream`.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    try {
      decoder.decode(bytes.subarray(0, mid), { stream: true });
      decoder.decode();
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  return low;
}

function countLines(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 10) line++;
  return line;
}

/** Texts longer than this (characters) are not parsed a second time to find a field's column. */
export const LOCATE_LIMIT = 1_000_000;

/**
 * Parses YAML (JSON is parsed the same way, as YAML 1.2 is a superset) keeping node positions.
 * `lineOffset` shifts reported lines, for one line of a JSONL file.
 */
export function parseSource(
  file: string,
  text: string,
  options: { lineOffset?: number; json?: boolean } = {},
): { ok: true; doc: SourceDoc } | { ok: false; diagnostics: Diagnostic[] } {
  const lineOffset = options.lineOffset ?? 0;
  if (options.json) {
    // Fast path: valid JSON needs no YAML parse at all; positions are worked out only if a problem needs one.
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // JSON.parse's words and positions differ between Node versions; our scanner's do not.
      const error = jsonSyntaxError(text) ?? { offset: 0, message: 'not valid JSON' };
      const before = text.slice(0, error.offset).split('\n');
      const line = before.length;
      return {
        ok: false,
        diagnostics: [{ code: 'json/syntax', severity: 'error', file, line: line + lineOffset, column: (before.at(-1)?.length ?? 0) + 1, path: [], message: `invalid JSON: ${error.message}`, source: text.split(/\r?\n/)[line - 1] }],
      };
    }
    const deep = tooDeep(file, value, lineOffset);
    if (deep) return { ok: false, diagnostics: [deep] };
    let located: SourceDoc | undefined;
    return {
      ok: true,
      doc: {
        file,
        value,
        locate(path, locateOptions) {
          // Positions come from a YAML parse of the text, which for a line of many megabytes costs seconds and
          // gigabytes: past LOCATE_LIMIT the problem is placed at the start of its line.
          if (text.length > LOCATE_LIMIT) return { line: 1 + lineOffset, column: 1, source: text.split(/\r?\n/, 1)[0] ?? '' };
          located ??= parseYaml(file, text, lineOffset).doc;
          return located?.locate(path, locateOptions);
        },
      },
    };
  }
  const parsed = parseYaml(file, text, lineOffset);
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  const deep = tooDeep(file, parsed.doc.value, lineOffset);
  return deep ? { ok: false, diagnostics: [deep] } : { ok: true, doc: parsed.doc };
}

/** Deeper than this, a document is not a config, rubric, transcript or label file (and recursion would overflow). */
export const MAX_DEPTH = 100;

/** A problem when `value` nests deeper than MAX_DEPTH, found without recursion (the value may be 8,000 deep). */
function tooDeep(file: string, value: unknown, lineOffset: number): Diagnostic | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > MAX_DEPTH) {
      return { code: 'file/too-deep', severity: 'error', file, line: lineOffset + 1, path: [], message: `the data nests more than ${MAX_DEPTH} levels deep`, expected: `at most ${MAX_DEPTH} levels of lists and mappings` };
    }
    for (const child of Array.isArray(node) ? node : Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return undefined;
}

function parseYaml(file: string, text: string, lineOffset: number): { ok: true; doc: SourceDoc; diagnostics?: undefined } | { ok: false; doc?: undefined; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false });
  const lines = text.split(/\r?\n/);
  if (document.errors.length > 0) {
    return {
      ok: false,
      diagnostics: document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        return {
          code: 'yaml/syntax' as const,
          severity: 'error' as const,
          file,
          line: position.line + lineOffset,
          column: position.col,
          path: [],
          message: firstLine(error.message),
          source: lines[position.line - 1],
        };
      }),
    };
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // yaml refuses documents whose aliases expand without bound (the "billion laughs" bomb).
    return { ok: false, diagnostics: [{ code: 'yaml/syntax', severity: 'error', file, path: [], message: `the YAML cannot be expanded: ${firstLine((error as Error).message)}`, expected: 'aliases (*name) used a bounded number of times' }] };
  }
  return {
    ok: true,
    doc: {
      file,
      value,
      locate(path, locateOptions) {
        const offset = nodeOffset(document, path, locateOptions?.key ?? false);
        if (offset === undefined) return undefined;
        const position = lineCounter.linePos(offset);
        return { line: position.line + lineOffset, column: position.col, source: lines[position.line - 1] ?? '' };
      },
    },
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Offset of the node at `path`, or of the deepest ancestor that exists (the best place to point at). */
function nodeOffset(document: Document, path: (string | number)[], wantKey: boolean): number | undefined {
  let node: unknown = document.contents;
  let offset = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return offset;
      if (last && wantKey) return rangeStart(pair.key) ?? offset;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (node === undefined) return offset;
    } else {
      return offset;
    }
    offset = rangeStart(node) ?? offset;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | undefined)?.range;
  return range ? range[0] : undefined;
}
