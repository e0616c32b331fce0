import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The batch endpoints of the fake server: OpenAI's Files + Batch API and Anthropic's Message Batches, enough
 * for the official SDKs. A batch completes `delayMs` after it is created; `fails(customId)` marks requests
 * that come back as errors inside the batch.
 */
export interface BatchOptions {
  delayMs?: number;
  fails?: (customId: string) => boolean;
  /** Like Ollama or vLLM: no OpenAI files or batches routes at all (404). */
  noOpenaiBatches?: boolean;
}

type Answer = (api: 'openai' | 'anthropic', body: any) => unknown;

export class FakeBatches {
  readonly files = new Map<string, string>();
  readonly openaiBatches = new Map<string, any>();
  readonly anthropicBatches = new Map<string, any>();
  /** Requests received inside batches, by API. */
  readonly received = { openai: 0, anthropic: 0 };
  options: BatchOptions = {};
  private next = 0;

  constructor(private readonly baseUrl: () => string, private readonly answer: Answer) {}

  /** Handles a batch route; false when the route is not one of ours. */
  handle(req: IncomingMessage, raw: string, res: ServerResponse, send: (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void): boolean {
    const url = req.url ?? '';
    if (this.options.noOpenaiBatches && /^\/v1\/(files|batches)/.test(url)) return false;
    const now = Math.floor(Date.now() / 1000);
    if (req.method === 'POST' && url === '/v1/files') {
      const content = multipartFile(raw, String(req.headers['content-type'] ?? ''));
      const id = `file-${++this.next}`;
      this.files.set(id, content);
      send(res, 200, { id, object: 'file', bytes: content.length, created_at: now, filename: 'batch.jsonl', purpose: 'batch', status: 'processed' });
      return true;
    }
    let match = /^\/v1\/files\/([^/]+)\/content$/.exec(url);
    if (req.method === 'GET' && match) {
      res.writeHead(200, { 'content-type': 'application/jsonl' });
      res.end(this.files.get(match[1]!) ?? '');
      return true;
    }
    if (req.method === 'POST' && url === '/v1/batches') {
      const body = JSON.parse(raw);
      const lines = (this.files.get(body.input_file_id) ?? '').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
      this.received.openai += lines.length;
      const id = `batch_${++this.next}`;
      const batch: any = { id, object: 'batch', endpoint: body.endpoint, input_file_id: body.input_file_id, completion_window: body.completion_window, status: 'in_progress', created_at: now, output_file_id: null, error_file_id: null, request_counts: { total: lines.length, completed: 0, failed: 0 } };
      this.openaiBatches.set(id, batch);
      setTimeout(() => {
        const ok: string[] = [];
        const bad: string[] = [];
        for (const line of lines) {
          if (this.options.fails?.(line.custom_id)) bad.push(JSON.stringify({ id: `r-${line.custom_id}`, custom_id: line.custom_id, response: { status_code: 500, body: { error: { message: 'injected' } } }, error: { code: 'server_error', message: 'injected failure inside the batch' } }));
          else ok.push(JSON.stringify({ id: `r-${line.custom_id}`, custom_id: line.custom_id, response: { status_code: 200, request_id: 'x', body: this.answer('openai', line.body) }, error: null }));
        }
        batch.output_file_id = `file-${++this.next}`;
        this.files.set(batch.output_file_id, ok.join('\n') + '\n');
        if (bad.length) {
          batch.error_file_id = `file-${++this.next}`;
          this.files.set(batch.error_file_id, bad.join('\n') + '\n');
        }
        batch.request_counts = { total: lines.length, completed: ok.length, failed: bad.length };
        batch.status = 'completed';
      }, this.options.delayMs ?? 50);
      send(res, 200, batch);
      return true;
    }
    match = /^\/v1\/batches\/([^/]+)$/.exec(url);
    if (req.method === 'GET' && match) {
      const batch = this.openaiBatches.get(match[1]!);
      send(res, batch ? 200 : 404, batch ?? { error: { message: 'no such batch' } });
      return true;
    }
    if (req.method === 'POST' && url === '/v1/messages/batches') {
      const body = JSON.parse(raw);
      const requests = body.requests as { custom_id: string; params: any }[];
      this.received.anthropic += requests.length;
      const id = `msgbatch_${++this.next}`;
      const batch: any = { id, type: 'message_batch', processing_status: 'in_progress', request_counts: { processing: requests.length, succeeded: 0, errored: 0, canceled: 0, expired: 0 }, results_url: null, created_at: new Date().toISOString(), expires_at: new Date(Date.now() + 86_400_000).toISOString(), ended_at: null, archived_at: null, cancel_initiated_at: null };
      this.anthropicBatches.set(id, { batch, results: '' });
      setTimeout(() => {
        const rows = requests.map((r) => (this.options.fails?.(r.custom_id)
          ? { custom_id: r.custom_id, result: { type: 'errored', error: { type: 'error', error: { type: 'api_error', message: 'injected failure inside the batch' } } } }
          : { custom_id: r.custom_id, result: { type: 'succeeded', message: this.answer('anthropic', r.params) } }));
        const errored = rows.filter((r) => r.result.type === 'errored').length;
        Object.assign(batch, { processing_status: 'ended', ended_at: new Date().toISOString(), results_url: `${this.baseUrl()}/v1/messages/batches/${id}/results`, request_counts: { processing: 0, succeeded: rows.length - errored, errored, canceled: 0, expired: 0 } });
        this.anthropicBatches.get(id).results = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
      }, this.options.delayMs ?? 50);
      send(res, 200, batch);
      return true;
    }
    match = /^\/v1\/messages\/batches\/([^/]+)(\/results)?$/.exec(url);
    if (req.method === 'GET' && match) {
      const entry = this.anthropicBatches.get(match[1]!);
      if (!entry) send(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'no such batch' } });
      else if (match[2]) {
        res.writeHead(200, { 'content-type': 'application/binary' });
        res.end(entry.results);
      } else send(res, 200, entry.batch);
      return true;
    }
    return false;
  }
}

/** The content of the `file` part of a multipart/form-data body. */
function multipartFile(raw: string, contentType: string): string {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const marker = `--${boundary?.[1] ?? boundary?.[2] ?? ''}`;
  for (const part of raw.split(marker)) {
    if (!/name="file"/.test(part)) continue;
    const start = part.indexOf('\r\n\r\n');
    return part.slice(start + 4).replace(/\r\n$/, '');
  }
  return '';
}
