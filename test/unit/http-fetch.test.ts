import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpFetch, MAX_BODY_BYTES } from '../../src/judges/http-fetch.js';
import { closedPort } from '../support/net.js';

// jury's transport for the SDKs: node:http with keep-alive, a buffered Response, and the built-in fetch for
// anything that is not a plain body. Each test runs a small server on 127.0.0.1.
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void): Promise<{ url: string; seen: Seen[]; connections: () => number }> {
  const seen: Seen[] = [];
  let connections = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(entry);
      handler(req, res, entry);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, connections: () => connections };
}

describe('the SDK transport (node:http, keep-alive)', () => {
  it('sends method, headers and body as given and returns status, headers and the JSON reply', async () => {
    const { url, seen } = await serve((_req, res, s) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
      res.end(JSON.stringify({ echo: JSON.parse(s.body) }));
    });
    const fetchOverHttp = createHttpFetch();
    const headers = new Headers({ 'Content-Type': 'application/json', Authorization: 'Bearer k' });
    const response = await fetchOverHttp(`${url}/v1/chat/completions?x=1`, { method: 'POST', headers, body: JSON.stringify({ model: 'm', text: 'é ✓' }) });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/chat/completions?x=1', body: '{"model":"m","text":"é ✓"}' });
    expect(seen[0]!.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer k' });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-request-id')).toBe('req-1');
    expect(response.url).toBe(`${url}/v1/chat/completions?x=1`);
    expect(await response.json()).toEqual({ echo: { model: 'm', text: 'é ✓' } });
    // A body is read once, as with the built-in Response.
    await expect(response.text()).rejects.toThrow(expect.objectContaining({ message: expect.stringMatching(/already been read/) }));
  });

  it('keeps connections alive: sequential calls share one connection', async () => {
    const { url, connections } = await serve((_req, res) => res.end('{}'));
    const fetchOverHttp = createHttpFetch();
    for (let i = 0; i < 20; i++) await (await fetchOverHttp(`${url}/x`, { method: 'POST', body: '{}' })).text();
    expect(connections()).toBe(1);
  });

  it('reports error statuses with their headers, without throwing', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
      res.end('{"error":{"message":"slow down"}}');
    });
    const response = await createHttpFetch()(`${url}/x`, { method: 'POST', body: '{}' });
    expect(response.ok).toBe(false);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    // Looking at the body stream (as the SDKs' loggers do) does not consume it.
    expect(response.body).toBeInstanceOf(ReadableStream);
    expect(await response.text()).toContain('slow down');
  });

  it('decodes gzip and brotli replies', async () => {
    const reply = JSON.stringify({ text: 'x'.repeat(5000) });
    const { url } = await serve((req, res) => {
      const br = req.url === '/br';
      res.writeHead(200, { 'content-encoding': br ? 'br' : 'gzip', 'content-type': 'application/json' });
      res.end(br ? brotliCompressSync(reply) : gzipSync(reply));
    });
    const fetchOverHttp = createHttpFetch();
    expect(await (await fetchOverHttp(`${url}/gz`, { method: 'GET' })).text()).toBe(reply);
    expect(await (await fetchOverHttp(`${url}/br`, { method: 'GET' })).text()).toBe(reply);
  });

  it('refuses a reply body past the cap (here a gzip bomb: 200 KB that inflate past it) instead of reading it whole', async () => {
    expect(MAX_BODY_BYTES).toBe(128 * 1048576);
    const bomb = gzipSync(Buffer.alloc(MAX_BODY_BYTES + 1024, 0x20));
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
      res.end(bomb);
    });
    await expect(createHttpFetch()(`${url}/bomb`, { method: 'GET' })).rejects.toMatchObject({ code: 'EREPLYTOOLARGE', message: 'the reply is larger than 128 MB; jury does not read it' });
  });

  it('aborts a call in flight with an AbortError and closes its connection', async () => {
    let closed = false;
    const { url } = await serve((req) => req.socket.on('close', () => (closed = true)));
    const controller = new AbortController();
    const pending = createHttpFetch()(`${url}/hang`, { method: 'POST', body: '{}', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { url, seen } = await serve((_req, res) => res.end('{}'));
    const controller = new AbortController();
    controller.abort();
    await expect(createHttpFetch()(`${url}/x`, { method: 'POST', body: '{}', signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(seen).toHaveLength(0);
  });

  it('fails a reply cut off before its end, rather than returning part of it', async () => {
    const { url } = await serve((req, res) => {
      res.writeHead(200, { 'content-length': '1000', 'content-type': 'application/json' });
      res.write('{"choices":[');
      setTimeout(() => req.socket.destroy(), 20);
    });
    await expect(createHttpFetch()(`${url}/x`, { method: 'POST', body: '{}' })).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('fails a refused connection with its error code, which names the judge unreachable', async () => {
    const port = await closedPort();
    await expect(createHttpFetch()(`http://127.0.0.1:${port}/x`, { method: 'POST', body: '{}' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('hands multipart uploads to the built-in fetch unchanged', async () => {
    const { url, seen } = await serve((_req, res) => res.end('{"ok":true}'));
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob(['{"custom_id":"a"}\n']), 'jury-batch.jsonl');
    const response = await createHttpFetch()(`${url}/v1/files`, { method: 'POST', body: form });
    expect(await response.json()).toEqual({ ok: true });
    expect(seen[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]!.body).toContain('filename="jury-batch.jsonl"');
    expect(seen[0]!.body).toContain('{"custom_id":"a"}');
  });
});
