import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpFetch } from '../../src/judges/http-fetch.js';
import { SendGate } from '../../src/judges/send-gate.js';

describe('the send gate', () => {
  it('lets `limit` in, then one per release, first come first served; a second release of one place is a no-op', () => {
    const gate = new SendGate(2);
    const started: string[] = [];
    const releases = new Map<string, () => void>();
    for (const name of ['a', 'b', 'c', 'd']) gate.enter((release) => (started.push(name), releases.set(name, release)), undefined, () => undefined);
    expect(started).toEqual(['a', 'b']);
    releases.get('b')!();
    expect(started).toEqual(['a', 'b', 'c']);
    releases.get('b')!();
    expect(started).toEqual(['a', 'b', 'c']);
    expect(gate.inUse).toBe(2);
    releases.get('a')!();
    releases.get('c')!();
    releases.get('d')!();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(gate.inUse).toBe(0);
  });

  it('drops a waiter whose signal aborts, and tells it', () => {
    const gate = new SendGate(1);
    const started: string[] = [];
    let holder: (() => void) | undefined;
    gate.enter((release) => (holder = release), undefined, () => undefined);
    const controller = new AbortController();
    const aborted: string[] = [];
    gate.enter(() => started.push('x'), controller.signal, () => aborted.push('x'));
    gate.enter(() => started.push('y'), undefined, () => aborted.push('y'));
    controller.abort();
    holder!();
    expect(aborted).toEqual(['x']);
    expect(started).toEqual(['y']);
  });
});

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('the transport with a send gate', () => {
  it('never has more requests on the wire than the gate allows, and passes each place on when a reply is read', async () => {
    let inFlight = 0;
    let most = 0;
    server = createServer((req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      req.resume();
      req.on('end', () => setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      }, 20));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const gate = new SendGate(3);
    const fetchOverHttp = createHttpFetch(gate);
    const replies = await Promise.all(Array.from({ length: 12 }, () => fetchOverHttp(url, { method: 'POST', body: '{}' }).then((r) => r.json())));
    expect(replies).toEqual(Array.from({ length: 12 }, () => ({ ok: true })));
    expect(most).toBe(3);
    expect(gate.inUse).toBe(0);
  });

  it('gives the place back when a request fails or is aborted while it waits', async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => (req.url === '/cut' ? req.socket.destroy() : setTimeout(() => res.end('{}'), 30)));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const gate = new SendGate(1);
    const fetchOverHttp = createHttpFetch(gate);
    const slow = fetchOverHttp(`${base}/slow`, { method: 'POST', body: '{}' });
    const controller = new AbortController();
    const waiting = fetchOverHttp(`${base}/slow`, { method: 'POST', body: '{}', signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    await slow;
    // A connection the server cuts is the network error the SDK retries (ECONNRESET), and gives its place back.
    await expect(fetchOverHttp(`${base}/cut`, { method: 'POST', body: '{}' })).rejects.toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
    expect(gate.inUse).toBe(0);
    expect(await (await fetchOverHttp(`${base}/slow`, { method: 'POST', body: '{}' })).json()).toEqual({});
  });
});
