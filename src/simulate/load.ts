import path from 'node:path';
import { resolveModelPath } from '../config/load.js';
import { readText } from '../config/read-text.js';
import { checkSource } from '../diagnostics/check.js';
import type { Diagnostic, Loaded } from '../diagnostics/diagnostic.js';
import { parseSource, type SourceDoc } from '../diagnostics/source.js';
import { TrackSchema, type Track } from './catalogue.js';
import { SimulationSchema, type SimulationConfig } from './config.js';
import { ScenarioFileSchema, type Scenario } from './scenario.js';

export interface LoadedSimulation {
  config: SimulationConfig;
  scenarios: Scenario[];
  catalogue: Track[];
  /** The bytes the run depends on (for its hash): the scenario and catalogue files as read. */
  sources: { scenarios: string; catalogue: string };
}

const CODES = { invalid: 'simulate/invalid', unknownKey: 'simulate/unknown-key' } as const;

/** Reads a simulation file, its scenarios and its catalogue, collecting every problem with its file and line. */
export async function loadSimulation(file: string): Promise<Loaded<LoadedSimulation>> {
  const read = await readText(file);
  if (!read.ok) return read.diagnostics[0]?.message === 'file not found' ? { ok: false, diagnostics: [{ ...read.diagnostics[0], message: 'simulation file not found', hint: 'pass --config <file> (see datasets/music-sim/simulate.yaml)' }] } : read;
  const parsed = parseSource(file, read.text);
  if (!parsed.ok) return parsed;
  const checked = checkSource(SimulationSchema, parsed.doc, CODES);
  if (!checked.ok) return checked;
  const dir = path.dirname(path.resolve(file));
  const value = checked.value;
  const config: SimulationConfig = {
    ...value,
    file,
    dir,
    label: value.label ?? path.basename(file).replace(/\.(ya?ml|json)$/i, ''),
    listener: value.listener.model_path ? { ...value.listener, model_path: resolveModelPath(value.listener.model_path, dir) } : value.listener,
  };
  const diagnostics: Diagnostic[] = [];
  if (config.agent.adapter === 'openai' && config.agent.tools === 'mock-catalogue' && !config.catalogue) {
    diagnostics.push({ code: 'simulate/invalid', severity: 'error', file, path: ['agent', 'tools'], ...(parsed.doc.locate(['agent', 'tools']) ?? parsed.doc.locate(['agent']) ?? {}), message: 'the mock catalogue needs a `catalogue` file', expected: '`catalogue: <tracks.jsonl>`, or `tools: none` or `tools: {url: …}`' });
  }
  const scenarioFile = path.resolve(dir, config.scenarios);
  const scenarios = await loadScenarios(scenarioFile, diagnostics);
  const catalogueFile = config.catalogue ? path.resolve(dir, config.catalogue) : undefined;
  const catalogue = catalogueFile ? await loadCatalogue(catalogueFile, diagnostics) : { tracks: [], text: '' };
  if (diagnostics.length) return { ok: false, diagnostics };
  return { ok: true, value: { config, scenarios: scenarios.scenarios, catalogue: catalogue.tracks, sources: { scenarios: scenarios.text, catalogue: catalogue.text } }, warnings: [] };
}

async function loadScenarios(file: string, diagnostics: Diagnostic[]): Promise<{ scenarios: Scenario[]; text: string }> {
  const read = await readText(file);
  if (!read.ok) {
    diagnostics.push(...read.diagnostics);
    return { scenarios: [], text: '' };
  }
  const parsed = parseSource(file, read.text);
  if (!parsed.ok) {
    diagnostics.push(...parsed.diagnostics);
    return { scenarios: [], text: '' };
  }
  const checked = checkSource(ScenarioFileSchema, parsed.doc, CODES);
  if (!checked.ok) {
    diagnostics.push(...checked.diagnostics);
    return { scenarios: [], text: '' };
  }
  diagnostics.push(...scenarioRules(checked.value.scenarios, parsed.doc));
  return { scenarios: checked.value.scenarios, text: read.text };
}

/** What the schema cannot say: ids unique across scenarios and within each scenario's constraints. */
function scenarioRules(scenarios: readonly Scenario[], doc: SourceDoc): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (p: (string | number)[]) => ({ file: doc.file, path: p, ...(doc.locate(p) ?? {}) });
  const ids = new Map<string, number>();
  scenarios.forEach((s, i) => {
    if (ids.has(s.id)) out.push({ code: 'simulate/invalid', severity: 'error', ...at(['scenarios', i, 'id']), message: `scenario id \`${s.id}\` is also scenario ${ids.get(s.id)! + 1}'s`, expected: 'a distinct id per scenario' });
    ids.set(s.id, i);
    const seen = new Set<string>();
    s.constraints.forEach((c, j) => {
      if (seen.has(c.id)) out.push({ code: 'simulate/invalid', severity: 'error', ...at(['scenarios', i, 'constraints', j, 'id']), message: `constraint id \`${c.id}\` appears twice in scenario \`${s.id}\``, expected: 'distinct constraint ids' });
      seen.add(c.id);
      if (c.equals === undefined && !c.in && !c.not_in && c.min === undefined && c.max === undefined && c.includes === undefined) {
        out.push({ code: 'simulate/invalid', severity: 'error', ...at(['scenarios', i, 'constraints', j]), message: `constraint \`${c.id}\` sets no rule`, expected: 'one of equals, in, not_in, min, max, includes' });
      }
    });
  });
  return out;
}

async function loadCatalogue(file: string, diagnostics: Diagnostic[]): Promise<{ tracks: Track[]; text: string }> {
  const read = await readText(file);
  if (!read.ok) {
    diagnostics.push(...read.diagnostics);
    return { tracks: [], text: '' };
  }
  const tracks: Track[] = [];
  const ids = new Set<string>();
  read.text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const parsed = parseSource(file, line, { lineOffset: i, json: true });
    if (!parsed.ok) return diagnostics.push(...parsed.diagnostics);
    const checked = checkSource(TrackSchema, parsed.doc, CODES);
    if (!checked.ok) return diagnostics.push(...checked.diagnostics);
    const track = checked.value as Track;
    if (ids.has(track.id)) diagnostics.push({ code: 'simulate/invalid', severity: 'error', file, line: i + 1, path: ['id'], message: `track id \`${track.id}\` appears twice in the catalogue`, expected: 'a distinct id per track' });
    ids.add(track.id);
    tracks.push(track);
  });
  if (tracks.length === 0 && diagnostics.length === 0) diagnostics.push({ code: 'simulate/invalid', severity: 'error', file, path: [], message: 'the catalogue holds no track', expected: 'one JSON object per line: {"id", "title", "artist", …attributes}' });
  return { tracks, text: read.text };
}
