// What one judge call costs the client in CPU, below jury: the same chat-completions call 12,000 times at
// concurrency 64 against the project's fake server (in this process; each client runs in its own process and
// measures its own CPU), made three ways: bare node:http, the openai SDK over jury's transport (node:http,
// keep-alive), and the openai SDK over Node's built-in fetch (the SDK's default). Run with `npm run bench`.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const CALLS = 12000;
const CONCURRENCY = 64;
const body = {
  model: 'floor',
  messages: [{ role: 'system', content: 'You judge. '.repeat(120) }, { role: 'user', content: `<transcript>${'A turn of the conversation. '.repeat(100)}</transcript>\nRate relevance 1-5.` }],
  response_format: { type: 'json_schema', json_schema: { name: 'verdict', strict: true, schema: { type: 'object', properties: { reasoning: { type: 'string' }, score: { type: 'integer' } }, required: ['reasoning', 'score'], additionalProperties: false } } },
};

async function client(mode, url) {
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
  for (let i = 0; i < 200; i++) await call(); // warm up
  const start = process.cpuUsage();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < CALLS) await call();
  }));
  const used = process.cpuUsage(start);
  process.stdout.write(JSON.stringify({ msPerCall: (used.user + used.system) / 1000 / CALLS }));
}

if (process.argv[2] === 'client') {
  await client(process.argv[3], process.argv[4]);
} else {
  const { FakeLlmServer } = await import('../dist-bench/fake-llm-server.js');
  const server = await new FakeLlmServer({ latencyMs: 1 }).start();
  for (const mode of ['http', 'sdk+jury', 'sdk+fetch']) {
    server.reset({ latencyMs: 1 });
    const out = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'client', mode, server.url], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(text)) : reject(new Error(`${mode} client exited ${code}`))));
    });
    console.log(`client CPU per call, ${mode.padEnd(9)}: ${out.msPerCall.toFixed(3)} ms (${CALLS} calls, concurrency ${CONCURRENCY})`);
  }
  await server.close();
}
