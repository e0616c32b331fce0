import { readFileSync } from 'node:fs';
import { InputError, RunError } from '../diagnostics/diagnostic.js';

/** The hidden line that marks jury's comment, so a rerun edits it instead of adding another. */
export const COMMENT_MARKER = '<!-- jury: pull request report -->';

export interface CommentOptions {
  body: string;
  /** From the environment a GitHub Actions job has: GITHUB_TOKEN (or GH_TOKEN), GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_API_URL. */
  env: Record<string, string | undefined>;
  /** The pull request's number; default: the one in the event that started the workflow. */
  pr?: number;
  /** Tells one report's comment from another's when a repository has several (a marker suffix). */
  key?: string;
}

/**
 * Posts the body as one sticky pull-request comment: lists the PR's comments (every page), edits the one that
 * carries the marker, or creates it. Uses three REST endpoints: GET and POST /repos/{repo}/issues/{n}/comments,
 * PATCH /repos/{repo}/issues/comments/{id}. The token never appears in any message.
 */
export async function postStickyComment(opts: CommentOptions): Promise<{ action: 'created' | 'updated'; id: number; url?: string }> {
  const token = opts.env.GITHUB_TOKEN || opts.env.GH_TOKEN;
  const repo = opts.env.GITHUB_REPOSITORY;
  // No default address: GitHub Actions sets GITHUB_API_URL (github.com's or a GitHub Enterprise server's).
  const api = (opts.env.GITHUB_API_URL ?? '').replace(/\/+$/, '');
  const missing = [...(token ? [] : ['GITHUB_TOKEN (or GH_TOKEN)']), ...(repo ? [] : ['GITHUB_REPOSITORY']), ...(api ? [] : ['GITHUB_API_URL'])];
  const pr = opts.pr ?? pullRequestOfEvent(opts.env.GITHUB_EVENT_PATH);
  if (missing.length || !pr) {
    throw new InputError([{ code: 'usage/invalid', severity: 'error', file: 'environment', path: [], message: missing.length ? `${missing.join(' and ')} not set` : 'no pull request: the workflow was not started by a pull_request event and --pr was not given', expected: 'a GitHub Actions job on a pull request (with permissions: pull-requests: write), or --pr N with GITHUB_TOKEN and GITHUB_REPOSITORY' }]);
  }
  const marker = opts.key ? COMMENT_MARKER.replace(' -->', ` (${opts.key}) -->`) : COMMENT_MARKER;
  const body = `${marker}\n${opts.body}`;
  const call = async (method: string, url: string, payload?: unknown): Promise<unknown> => {
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'jury', ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { body: JSON.stringify(payload) } : {}),
    }).catch((error: Error) => {
      throw new RunError(`GitHub could not be reached at ${api}: ${error.message}`);
    });
    if (!response.ok) {
      const why = response.status === 401 ? 'the token was refused' : response.status === 403 ? 'the token may not write comments (the workflow needs `permissions: pull-requests: write`)' : response.status === 404 ? `no pull request #${pr} in ${repo} that this token can see` : `${response.status} ${response.statusText}`;
      throw new RunError(`GitHub answered ${method} ${new URL(url).pathname} with ${response.status}: ${why}`);
    }
    return response.json();
  };
  let existing: { id: number } | undefined;
  for (let page = 1; page <= 50 && !existing; page++) {
    const comments = (await call('GET', `${api}/repos/${repo}/issues/${pr}/comments?per_page=100&page=${page}`)) as { id: number; body?: string }[];
    existing = comments.find((c) => typeof c.body === 'string' && c.body.startsWith(marker));
    if (comments.length < 100) break;
  }
  if (existing) {
    const updated = (await call('PATCH', `${api}/repos/${repo}/issues/comments/${existing.id}`, { body })) as { id: number; html_url?: string };
    return { action: 'updated', id: updated.id, ...(updated.html_url ? { url: updated.html_url } : {}) };
  }
  const created = (await call('POST', `${api}/repos/${repo}/issues/${pr}/comments`, { body })) as { id: number; html_url?: string };
  return { action: 'created', id: created.id, ...(created.html_url ? { url: created.html_url } : {}) };
}

function pullRequestOfEvent(file: string | undefined): number | undefined {
  if (!file) return undefined;
  try {
    const event = JSON.parse(readFileSync(file, 'utf8')) as { pull_request?: { number?: number }; number?: number };
    return event.pull_request?.number ?? undefined;
  } catch {
    return undefined;
  }
}
