import type { JudgeSetup } from '../judges/provider.js';

/**
 * Lines under a run's summary for the judges that needed set-up: the mode a probed endpoint is asked in, the weights
 * a local judge ran. Empty when no judge did, so the summary of an ordinary run is unchanged.
 */
export function renderSetups(setups: Readonly<Record<string, JudgeSetup>>): string {
  const lines: string[] = [];
  for (const [id, setup] of Object.entries(setups).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (typeof setup.structured_output === 'string') {
      const how = setup.probed === 'failed' ? 'not probed: unreachable' : setup.probed === 'remembered' ? 'probed earlier' : 'probed';
      lines.push(`judge ${id}: verdicts as ${setup.structured_output} (${how})`);
    }
    const file = setup.model_file as { name?: string; sha256?: string } | undefined;
    if (file?.name && file.sha256) lines.push(`judge ${id}: ${file.name} (sha256 ${file.sha256.slice(0, 12)}…) on ${String(setup.backend)}, ${String(setup.gpu_layers)} GPU layers`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
