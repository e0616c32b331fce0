import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { SendGate } from './send-gate.js';

/**
 * A `fetch` for the SDK clients, over node:http(s) with keep-alive agents.
 *
 * Why: with Node's built-in fetch (undici + web streams + an AbortSignal chain) a judge call cost about 1.5 ms
 * of CPU on this project's bench, most of it in the transport; node:http does the same exchange for a fraction
 * (docs/performance.md). Judge requests are small JSON bodies and small JSON replies, so the reply is read
 * whole and handed back as a buffered Response. Anything else (multipart uploads of the batch APIs, streamed
 * bodies, other schemes) goes to the built-in fetch unchanged. Unlike fetch, redirects are not followed (a 3xx
 * reaches the SDK as an error status): model APIs answer where they are asked.
 */
export function createHttpFetch(gate?: SendGate): typeof fetch {
  const fetchOverHttp = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? undefined : new URL(String(input));
    const body = init?.body;
    const plainBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    if (!url || !plainBody || (url.protocol !== 'http:' && url.protocol !== 'https:')) return fetch(input, init);
    return send(url, AGENTS[url.protocol], init ?? {}, body as string | Uint8Array | null | undefined, gate);
  };
  return fetchOverHttp as typeof fetch;
}

// One pool per scheme for the whole process: concurrency is bounded by the engine, so the agents need no cap.
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, maxFreeSockets: 1024, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, maxFreeSockets: 1024, scheduling: 'lifo' }),
};

/**
 * One exchange. With a gate, the request (already built by the SDK) waits for its place and gives it back as
 * soon as the reply has been read, before anything parses it: the next waiting request goes out in the same
 * turn of the event loop.
 */
function send(url: URL, agent: http.Agent, init: RequestInit, body: string | Uint8Array | null | undefined, gate?: SendGate): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortError());
  return new Promise<Response>((resolve, reject) => {
    const start = (release: () => void) => {
      if (signal?.aborted) {
        release();
        reject(abortError());
        return;
      }
      const transport = url.protocol === 'https:' ? https : http;
      const request = transport.request(url, { agent, method: init.method ?? 'GET', headers: plainHeaders(init.headers) }, (response) => {
        readBody(response, release).then(
          (bytes) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(new BufferedResponse(url.href, response, bytes) as unknown as Response);
          },
          (error: unknown) => {
            release();
            signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
        );
      });
      const onAbort = () => request.destroy(abortError());
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error) => {
        release();
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      });
      request.end(body ?? undefined);
    };
    if (gate) gate.enter(start, signal, () => reject(abortError()));
    else start(() => undefined);
  });
}

function abortError(): Error {
  // The SDKs recognise an abort by its name, as they do for the built-in fetch.
  return new DOMException('This operation was aborted', 'AbortError');
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) headers.forEach((value, name) => (out[name] = value));
  else if (Array.isArray(headers)) for (const [name, value] of headers as [string, string][]) out[name.toLowerCase()] = value;
  else for (const [name, value] of Object.entries(headers as Record<string, string>)) out[name.toLowerCase()] = value;
  return out;
}

/** The largest reply body read (decompressed). */
export const MAX_BODY_BYTES = 128 * 1048576;

/** The reply's bytes; `done` is called the moment they are all in (before the promise settles). */
function readBody(response: http.IncomingMessage, done: () => void): Promise<Buffer> {
  const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
  const stream =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? response.pipe(zlib.createGunzip())
      : encoding === 'deflate'
        ? response.pipe(zlib.createInflate())
        : encoding === 'br'
          ? response.pipe(zlib.createBrotliDecompress())
          : response;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      // A verdict is a few hundred bytes and a batch's results some megabytes: a body past the cap (or a
      // compression bomb) is not read into memory.
      if (bytes > MAX_BODY_BYTES) {
        response.destroy();
        reject(Object.assign(new Error(`the reply is larger than ${MAX_BODY_BYTES / 1048576} MB; jury does not read it`), { code: 'EREPLYTOOLARGE' }));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    stream.on('error', reject);
    response.on('error', reject);
    // A connection cut before the whole body arrived: the reply is incomplete, not empty.
    response.on('close', () => {
      if (!response.complete) reject(Object.assign(new Error('the connection closed before the reply was complete'), { code: 'ECONNRESET' }));
    });
  });
}

/** The parts of a Response that the SDKs and jury read, over a body already in memory. */
class BufferedResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers = new Headers();
  readonly redirected = false;
  readonly type = 'basic';
  bodyUsed = false;

  constructor(
    readonly url: string,
    response: http.IncomingMessage,
    private readonly content: Buffer,
  ) {
    this.status = response.statusCode ?? 0;
    this.ok = this.status >= 200 && this.status < 300;
    this.statusText = response.statusMessage ?? '';
    const raw = response.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) this.headers.append(raw[i]!, raw[i + 1]!);
  }

  /** Like a real Response, looking at the body does not consume it (the SDKs' loggers touch it). */
  get body(): ReadableStream<Uint8Array> {
    const bytes = this.content;
    return new ReadableStream({
      start(controller) {
        controller.enqueue(new Uint8Array(bytes));
        controller.close();
      },
    });
  }

  private take(): Buffer {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.bodyUsed = true;
    return this.content;
  }

  async text(): Promise<string> {
    return this.take().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(this.take());
  }

  async blob(): Promise<Blob> {
    return new Blob([this.take()], { type: this.headers.get('content-type') ?? '' });
  }

  clone(): BufferedResponse {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    const copy = Object.create(BufferedResponse.prototype) as BufferedResponse;
    return Object.assign(copy, this, { bodyUsed: false });
  }
}
