import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/api/github-comment.js';
import { cleanEnv, runCli } from '../support/cli.js';

// The few GitHub REST endpoints `jury comment` uses, on 127.0.0.1: list a PR's comments (paged), create, edit.
const TOKEN = 'ghs_secretTokenValue1234567890';
interface Comment { id: number; body: string; user: { login: string } }
const comments: Comment[] = [];
const seen: { method: string; url: string; auth?: string }[] = [];
let status = 200;
let server: Server;
let api: string;

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (d) => (text += d));
    req.on('end', () => resolve(text));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization });
    const reply = (code: number, value: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (status !== 200) return reply(status, { message: 'Resource not accessible by integration' });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return reply(401, { message: 'Bad credentials' });
    const url = new URL(req.url!, 'http://127.0.0.1');
    const list = /^\/repos\/acme\/agent\/issues\/7\/comments$/.exec(url.pathname);
    const edit = /^\/repos\/acme\/agent\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (list && req.method === 'GET') {
      const page = Number(url.searchParams.get('page') ?? 1);
      const per = Number(url.searchParams.get('per_page') ?? 30);
      return reply(200, comments.slice((page - 1) * per, page * per));
    }
    if (list && req.method === 'POST') {
      const comment = { id: 1000 + comments.length, body: (JSON.parse(await body(req)) as { body: string }).body, user: { login: 'github-actions[bot]' } };
      comments.push(comment);
      return reply(201, { ...comment, html_url: `https://github.example.com/acme/agent/pull/7#issuecomment-${comment.id}` });
    }
    if (edit && req.method === 'PATCH') {
      const comment = comments.find((c) => c.id === Number(edit[1]));
      if (!comment) return reply(404, { message: 'Not Found' });
      comment.body = (JSON.parse(await body(req)) as { body: string }).body;
      return reply(200, comment);
    }
    reply(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function env(extra: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'jury-gh-'));
  writeFileSync(path.join(dir, 'event.json'), JSON.stringify({ pull_request: { number: 7 } }));
  return { dir, env: cleanEnv({ GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'acme/agent', GITHUB_API_URL: api, GITHUB_EVENT_PATH: path.join(dir, 'event.json'), ...extra }) };
}

describe('jury comment: one sticky pull-request comment', () => {
  it('creates the comment, then edits the same one on every rerun, found by its marker past the first page', async () => {
    // 150 comments by people first, so jury's lands on the second page of the listing.
    for (let i = 0; i < 150; i++) comments.push({ id: i + 1, body: `comment ${i}${i === 3 ? ` quoting ${'<!-- jury'}` : ''}`, user: { login: 'someone' } });
    const { dir, env: e } = env();
    writeFileSync(path.join(dir, 'diff.md'), '### jury diff: v1 → v2\n| a | b |\n');
    const first = await runCli(['comment', '--body-file', 'diff.md'], { cwd: dir, env: e });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('created comment 1150: https://github.example.com/acme/agent/pull/7#issuecomment-1150\n');
    expect(comments.at(-1)!.body).toBe(`${COMMENT_MARKER}\n### jury diff: v1 → v2\n| a | b |\n`);
    writeFileSync(path.join(dir, 'diff.md'), '### jury diff: v1 → v3\n');
    const again = await runCli(['comment', '--body-file', 'diff.md'], { cwd: dir, env: e });
    expect(again.stdout).toBe('updated comment 1150\n');
    expect(comments).toHaveLength(151);
    expect(comments.at(-1)!.body).toBe(`${COMMENT_MARKER}\n### jury diff: v1 → v3\n`);
    expect(seen.filter((s) => s.method === 'GET').map((s) => new URL(s.url, 'http://127.0.0.1').searchParams.get('page'))).toEqual(['1', '2', '1', '2']);
    // A second report's comment (--key) is a comment of its own.
    const other = await runCli(['comment', '--body-file', 'diff.md', '--key', 'support', '--pr', '7'], { cwd: dir, env: e });
    expect(other.stdout).toMatch(/^created comment 1151/);
    expect(seen.every((s) => s.auth === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('a refused token or a missing permission is said plainly, without the token; no PR or no env is a usage error', async () => {
    const { dir, env: e } = env();
    writeFileSync(path.join(dir, 'diff.md'), 'x');
    status = 403;
    const forbidden = await runCli(['comment', '--body-file', 'diff.md'], { cwd: dir, env: e });
    status = 200;
    expect(forbidden.code).toBe(3);
    expect(forbidden.stderr).toContain('GitHub answered GET /repos/acme/agent/issues/7/comments with 403: the token may not write comments (the workflow needs `permissions: pull-requests: write`)');
    const refused = await runCli(['comment', '--body-file', 'diff.md'], { cwd: dir, env: { ...e, GITHUB_TOKEN: 'ghs_wrong' } });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('with 401: the token was refused');
    for (const out of [forbidden.stdout, forbidden.stderr, refused.stdout, refused.stderr]) expect(out).not.toContain('secretToken');
    const noEnv = await runCli(['comment', '--body-file', 'diff.md'], { cwd: dir, env: cleanEnv() });
    expect(noEnv.code).toBe(2);
    expect(noEnv.stderr).toContain('GITHUB_TOKEN (or GH_TOKEN) and GITHUB_REPOSITORY and GITHUB_API_URL not set');
    const noPr = await runCli(['comment', '--body-file', 'diff.md'], { cwd: dir, env: { ...e, GITHUB_EVENT_PATH: path.join(dir, 'nope.json') } });
    expect(noPr.code).toBe(2);
    expect(noPr.stderr).toContain('no pull request');
  });
});
