import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeAtomic } from '../report/write.js';
import { packageRoot } from './package-root.js';

export const INIT_PROVIDERS = ['openai', 'anthropic', 'ollama'] as const;
export const INIT_TEMPLATES = ['music-recommendation', 'support-agent', 'general-assistant'] as const;
export type InitProvider = (typeof INIT_PROVIDERS)[number];
export type InitTemplate = (typeof INIT_TEMPLATES)[number];

export interface InitOptions {
  dir: string;
  provider: InitProvider;
  template: InitTemplate;
  ci?: 'github';
}

export interface InitResult {
  written: string[];
  /** Files that were already there: left as they were. */
  kept: string[];
  next: string[];
}

/** The panel for a provider: two judges from different model families, so one family's bias is not the verdict. */
function judges(provider: InitProvider): string {
  const openai = `  - id: gpt
    provider: openai
    model: gpt-4.1-mini
    api_key_env: OPENAI_API_KEY
    temperature: 0`;
  const anthropic = `  - id: claude
    provider: anthropic
    model: claude-sonnet-4-6
    api_key_env: ANTHROPIC_API_KEY`;
  const ollama = (id: string, model: string) => `  - id: ${id}
    provider: openai                  # Ollama speaks the OpenAI API
    base_url: http://127.0.0.1:11434/v1
    api_key_env: null
    model: ${model}
    temperature: 0
    structured_output: json_schema
    max_concurrency: 2
    timeout_s: 300
    price: { input: 0, output: 0 }    # your own machine: free`;
  if (provider === 'ollama') return `${ollama('qwen', 'qwen2.5:7b-instruct')}\n${ollama('llama', 'llama3.1:8b')}`;
  return provider === 'openai' ? `${openai}\n${anthropic}` : `${anthropic}\n${openai}`;
}

function config(o: InitOptions): string {
  return `# jury.yaml, written by \`jury init\`. Every key: https://www.npmjs.com/package/jury (README, "jury.yaml").
# Try it without keys or servers: \`npx jury run --mock\` replaces the judges with simulated ones.
label: my-agent                     # the run's name and its folder under \`output\`
datasets:                           # your agent's conversations: JSONL/JSON/YAML, OpenAI, Anthropic or Responses format
  - datasets/${o.template}.jsonl
rubrics:
  - rubrics/${o.template}.yaml
judges:                             # the panel${o.provider === 'ollama' ? ' (two local models through Ollama: `ollama pull` them first)' : ' (set OPENAI_API_KEY and ANTHROPIC_API_KEY)'}
${judges(o.provider)}
aggregation:
  method: mean                      # mean | median | majority
  quorum: majority                  # a unit is scored when most of the panel answered
concurrency: ${o.provider === 'ollama' ? 4 : 8}                     # calls in flight across the panel
gates:                              # what \`jury gate\` / \`jury run --gate\` checks (docs/ci.md)
  min_mean: { "*": 3.5 }            # every 1-5 criterion's panel mean at least 3.5
  max_regression: 0                 # with --baseline: no significant drop on any criterion
  max_error_rate: 0.05              # at most 5% failed verdicts per judge
# baseline: reports/main/report.json  # the report a pull request is compared with
`;
}

function workflow(): string {
  return `# Written by \`jury init --ci github\`: judge every pull request, gate it, comment the diff.
name: jury
on:
  pull_request:
permissions:
  contents: read
  pull-requests: write
  actions: read
jobs:
  eval:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - run: npm ci
      # The action ships inside the jury package: npm ci put it in node_modules.
      - uses: ./node_modules/jury
        with:
          config: jury.yaml
        env:
          OPENAI_API_KEY: \${{ secrets.OPENAI_API_KEY }}
          ANTHROPIC_API_KEY: \${{ secrets.ANTHROPIC_API_KEY }}
`;
}

/** Writes a working starting point into `dir`; nothing that exists is overwritten. */
export function initProject(o: InitOptions): InitResult {
  const root = packageRoot();
  const rubricSource = path.join(root, `rubrics/${o.template}.yaml`);
  const transcripts = readFileSync(path.join(root, `templates/transcripts/${o.template}.jsonl`), 'utf8');
  const rubric = readFileSync(rubricSource, 'utf8');
  const ids = transcripts.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
  const criteria = [...rubric.matchAll(/^ {2}- id: ([a-z0-9_-]+)/gm)].map((m) => m[1]!);
  const labels = `item,criterion,annotator,score,note\n${ids.map((id) => `${id},${o.template}/${criteria[0]},your-name,,"fill in a score on the rubric's scale, then: npx jury calibrate <report.json> --labels labels.csv"`).join('\n')}\n`;
  const files: [string, string][] = [
    ['jury.yaml', config(o)],
    [`rubrics/${o.template}.yaml`, rubric],
    [`datasets/${o.template}.jsonl`, transcripts],
    ['labels.template.csv', labels],
    ...(o.ci === 'github' ? [['.github/workflows/jury.yml', workflow()] as [string, string]] : []),
  ];
  const written: string[] = [];
  const kept: string[] = [];
  for (const [name, text] of files) {
    const file = path.join(o.dir, name);
    if (existsSync(file)) kept.push(name);
    else {
      writeAtomic(file, text);
      written.push(name);
    }
  }
  return { written, kept, next: ['npx jury validate', 'npx jury run --mock', 'npx jury view reports/my-agent/report.json --open'] };
}
