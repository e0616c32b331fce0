// What one judge call costs the client in CPU, below jury: the same chat-completions call at concurrency 64
// against the project's fake server (in this process; each client runs in its own process and measures its own
// CPU), made three ways: bare node:http, the openai SDK over jury's transport (node:http, keep-alive), and the
// openai SDK over Node's built-in fetch (the SDK's default); 12,000 calls at 1 ms latency, and 3,000 at the
// throughput bench's 200 ms, where every reply wakes the process on its own. Run with `npm run bench`.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const CONCURRENCY = 64;
const body = {
  model: 'floor',
  messages: [{ role: 'system', content: 'You judge. '.repeat(120) }, { role: 'user', content: `<transcript>${'A turn of the conversation. '.repeat(100)}</transcript>\nRate relevance 1-5.` }],
  response_format: { type: 'json_schema', json_schema: { name: 'verdict', strict: true, schema: { type: 'object', properties: { reasoning: { type: 'string' }, score: { type: 'integer' } }, required: ['reasoning', 'score'], additionalProperties: false } } },
};

async function client(mode, url, calls) {
  let call;
  if (mode === 'http') {
    const agent = new http.Agent({ keepAlive: true });
    const target = new URL(`${url}/v1/chat/completions`);
    const payload = JSON.stringify(body);
    call = () => new Promise((resolve, reject) => {
      const req = http.request(target, { agent, method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      });
      req.on('error', reject);
      req.end(payload);
    });
  } else {
    const { default: OpenAI } = await import('openai');
    const { createHttpFetch } = await import('../dist/judges/http-fetch.js');
    const sdk = new OpenAI({ apiKey: 'x', baseURL: `${url}/v1`, maxRetries: 0, logLevel: 'off', ...(mode === 'sdk+jury' ? { fetch: createHttpFetch() } : {}) });
    call = () => sdk.chat.completions.create(body);
  }
  // Warm up (eight at a time: at 200 ms latency one at a time would take 40 s).
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let i = 0; i < 25; i++) await call();
  }));
  const start = process.cpuUsage();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < calls) await call();
  }));
  const used = process.cpuUsage(start);
  process.stdout.write(JSON.stringify({ msPerCall: (used.user + used.system) / 1000 / calls }));
}

if (process.argv[2] === 'client') {
  await client(process.argv[3], process.argv[4], Number(process.argv[5]));
} else {
  const { FakeLlmServer } = await import('../dist-bench/fake-llm-server.js');
  const server = await new FakeLlmServer({ latencyMs: 1 }).start();
  for (const [latencyMs, calls] of [[1, 12000], [200, 3000]]) {
    for (const mode of ['http', 'sdk+jury', 'sdk+fetch']) {
      server.reset({ latencyMs });
      const out = await new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'client', mode, server.url, String(calls)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let text = '';
        child.stdout.on('data', (d) => (text += d));
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(text)) : reject(new Error(`${mode} client exited ${code}`))));
      });
      console.log(`client CPU per call, ${mode.padEnd(9)}: ${out.msPerCall.toFixed(3)} ms (${calls} calls, concurrency ${CONCURRENCY}, ${latencyMs} ms latency)`);
    }
  }
  await server.close();
}
