// OTLP/JSON as an OpenTelemetry collector's file exporter writes it: one ExportTraceServiceRequest (or
// ExportLogsServiceRequest) per line, or one such object in a file. Only what the GenAI importer reads is kept.

/** A span or log record with its attributes decoded to plain values. */
export interface OtlpRecord {
  kind: 'span' | 'log';
  traceId?: string;
  spanId?: string;
  name: string;
  /** Start time (a log record's time) in nanoseconds since the epoch, as a bigint for exact ordering. */
  time: bigint;
  attributes: Record<string, unknown>;
  /** Span events in order, their attributes decoded. */
  events: { name: string; time: bigint; attributes: Record<string, unknown> }[];
  /** A log record's body. */
  body?: unknown;
  /** Where it was read: line of the file (1-based) and position among the records of that line. */
  line: number;
  order: number;
}

export type OtlpRead = { ok: true; records: OtlpRecord[] } | { ok: false; line: number; message: string };

/** Decodes every request in the text (a JSON object, or JSON lines of them) into records. */
export function readOtlp(text: string): OtlpRead {
  const requests: { value: unknown; line: number }[] = [];
  const whole = tryJson(text);
  if (whole.ok) requests.push({ value: whole.value, line: 1 });
  else {
    const lines = text.split('\n');
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue;
      const parsed = tryJson(line);
      if (!parsed.ok) return { ok: false, line: index + 1, message: `not JSON (${parsed.message}); an OTLP/JSON file holds one export request per line` };
      requests.push({ value: parsed.value, line: index + 1 });
    }
  }
  const records: OtlpRecord[] = [];
  for (const { value, line } of requests) {
    const request = value as { resourceSpans?: unknown; resourceLogs?: unknown };
    if (!isObject(request) || (!Array.isArray(request.resourceSpans) && !Array.isArray(request.resourceLogs))) {
      return { ok: false, line, message: 'not an OTLP export request: expected `resourceSpans` (traces) or `resourceLogs` (logs)' };
    }
    for (const resource of list(request.resourceSpans)) {
      for (const scope of list(resource.scopeSpans ?? resource.instrumentationLibrarySpans)) {
        for (const span of list(scope.spans)) {
          records.push({
            kind: 'span',
            traceId: idOf(span.traceId),
            spanId: idOf(span.spanId),
            name: String(span.name ?? ''),
            time: nanos(span.startTimeUnixNano),
            attributes: attributes(span.attributes),
            events: list(span.events).map((e) => ({ name: String(e.name ?? ''), time: nanos(e.timeUnixNano), attributes: attributes(e.attributes) })),
            line,
            order: records.length,
          });
        }
      }
    }
    for (const resource of list(request.resourceLogs)) {
      for (const scope of list(resource.scopeLogs)) {
        for (const log of list(scope.logRecords)) {
          const attrs = attributes(log.attributes);
          records.push({
            kind: 'log',
            traceId: idOf(log.traceId),
            spanId: idOf(log.spanId),
            name: String(log.eventName ?? attrs['event.name'] ?? ''),
            time: nanos(log.timeUnixNano ?? log.observedTimeUnixNano),
            attributes: attrs,
            events: [],
            body: log.body === undefined ? undefined : anyValue(log.body),
            line,
            order: records.length,
          });
        }
      }
    }
  }
  return { ok: true, records };
}

/** An OTLP AnyValue as a plain value: strings, numbers, booleans, arrays and objects. */
export function anyValue(value: unknown): unknown {
  if (!isObject(value)) return value;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('bytesValue' in value) return value.bytesValue;
  if ('arrayValue' in value) return list((value.arrayValue as { values?: unknown })?.values).map(anyValue);
  if ('kvlistValue' in value) return attributes((value.kvlistValue as { values?: unknown })?.values);
  return undefined;
}

function attributes(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list(value)) if (typeof kv.key === 'string') out[kv.key] = anyValue(kv.value);
  return out;
}

/** Trace and span ids are hex in OTLP/JSON; an empty or all-zero id is no id. */
function idOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && !/^0+$/.test(value) ? value.toLowerCase() : undefined;
}

function nanos(value: unknown): bigint {
  try {
    return typeof value === 'string' || typeof value === 'number' ? BigInt(value) : 0n;
  } catch {
    return 0n;
  }
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: (error as Error).message.split('\n')[0]! };
  }
}
