import type { Failure } from './provider.js';

/** The error classes that the openai and @anthropic-ai/sdk packages share by design. */
export interface SdkErrorClasses {
  APIError: abstract new (...args: never[]) => Error & { status?: number; headers?: Headers };
  APIUserAbortError: abstract new (...args: never[]) => Error;
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** A certificate that is not trusted (self-signed, expired, wrong host) will not become trusted on a retry. */
const CERTIFICATE_PROBLEM = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

/**
 * A reply that came back 200 but is not what the API returns (an HTML page from a proxy, a JSON body of another
 * shape): the SDK hands it over as it is, and reading it would fail somewhere deep with a TypeError.
 */
export class BadReplyError extends Error {
  constructor(expected: string, body: unknown) {
    const text = typeof body === 'string' ? body : JSON.stringify(body) ?? String(body);
    super(`the server answered, but not with ${expected}: ${text.length > 120 ? `${text.slice(0, 117)}...` : text}`);
    this.name = 'BadReplyError';
  }
}

/** Maps an SDK error to a Failure. Both SDKs raise one class per status; we read the status itself. */
export function classifySdkError(error: unknown, sdk: SdkErrorClasses): Failure {
  const message = error instanceof Error ? error.message : String(error);
  // Asked again like an unreadable verdict: a proxy's error page is sometimes passing, never a verdict.
  if (error instanceof BadReplyError) return { cause: 'unparseable', message };
  if (error instanceof sdk.APIUserAbortError) return { cause: 'aborted', message };
  if (error instanceof sdk.APIConnectionTimeoutError) return { cause: 'timeout', message };
  if (error instanceof sdk.APIConnectionError) {
    // Nothing listens there, the host does not exist, or its certificate is not trusted: unlike a reset, this
    // will not fix itself in a second.
    const code = (error as { cause?: { code?: string; cause?: { code?: string } } }).cause;
    const errno = code?.code ?? code?.cause?.code;
    const unreachable = errno !== undefined && (UNREACHABLE.has(errno) || CERTIFICATE_PROBLEM.test(errno));
    return { cause: unreachable ? 'unreachable' : 'transient', message: connectionMessage(error) };
  }
  if (error instanceof sdk.APIError) {
    const status = error.status ?? 0;
    if (status === 429) return { cause: 'rate_limit', message, retryAfterMs: retryAfterMs(error.headers) };
    // 529 is Anthropic's "overloaded": a rate limit in all but name, so back off the same way.
    if (status === 529 || status === 503) return { cause: 'transient', message, retryAfterMs: retryAfterMs(error.headers) };
    if (status === 408 || status === 409 || status >= 500) return { cause: 'transient', message };
    if (status === 401 || status === 403) return { cause: 'auth', message };
    if (status >= 300 && status < 400) {
      const location = error.headers?.get('location');
      return { cause: 'bad_request', message: `the server answered ${status}, a redirect${location ? ` to ${location}` : ''}; jury does not follow redirects (a request would be sent again, key included, to another address): set base_url to the address the server names` };
    }
    // Too large will not become smaller on a retry.
    if (status === 413) return { cause: 'bad_request', message: `the server refused the request as too large (413): ${message}` };
    return { cause: 'bad_request', message };
  }
  return { cause: 'transient', message };
}

function connectionMessage(error: Error): string {
  const cause = (error as { cause?: { code?: string; cause?: { code?: string } } }).cause;
  const code = cause?.code ?? cause?.cause?.code;
  return code ? `${error.message} (${code})` : error.message;
}

/**
 * How long the provider asked us to wait: `retry-after-ms` (OpenAI's), then `retry-after` in seconds or as
 * an HTTP date. Undefined when absent or unreadable. Not capped here: the retry policy compares it with the
 * judge's max_delay_ms and fails the call rather than wait past it.
 */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** "1s", "6m0s", "1m30.5s", "20ms" (OpenAI's x-ratelimit-reset-*) in milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:([\d.]+)s)?(?:([\d.]+)ms)?$/.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  const [, h, m, sec, ms] = match;
  return (Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(sec ?? 0)) * 1000 + Number(ms ?? 0);
}

/**
 * When a successful response says the budget is now spent (remaining 0), how long until it resets.
 * OpenAI: x-ratelimit-remaining-{requests,tokens} with x-ratelimit-reset-* durations. Anthropic:
 * anthropic-ratelimit-{requests,tokens}-remaining with -reset as an RFC 3339 time.
 */
export function exhaustedFor(headers: Headers, now = Date.now()): number | undefined {
  let wait: number | undefined;
  for (const kind of ['requests', 'tokens']) {
    if (headers.get(`x-ratelimit-remaining-${kind}`) === '0') {
      const ms = parseDuration(headers.get(`x-ratelimit-reset-${kind}`) ?? '');
      if (ms !== undefined) wait = Math.max(wait ?? 0, ms);
    }
    if (headers.get(`anthropic-ratelimit-${kind}-remaining`) === '0') {
      const at = Date.parse(headers.get(`anthropic-ratelimit-${kind}-reset`) ?? '');
      if (Number.isFinite(at)) wait = Math.max(wait ?? 0, at - now);
    }
  }
  return wait !== undefined && wait > 0 ? wait : undefined;
}
