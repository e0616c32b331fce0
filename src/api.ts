// The API the CLI calls: each function reads, calls the pure core, writes. One module per group of commands.
export * from './api/inputs.js';
export * from './api/run.js';
export * from './api/agreement.js';
export * from './api/compare.js';
export * from './api/labels.js';
export * from './api/annotators.js';
export * from './api/import.js';
export * from './api/merge.js';
export * from './api/dry-run.js';
export * from './api/view.js';
export * from './api/init.js';
export { juryVersion } from './api/package-root.js';
export * from './api/github-comment.js';
export { InputError, RunError } from './diagnostics/diagnostic.js';
export * from './api/power.js';
export * from './api/rank.js';
export * from './api/bias.js';
export * from './api/probe.js';
