#!/usr/bin/env node
import { main } from './main.js';

// A reader that stops early (`jury validate | head -1`) closes the pipe: that is the reader's choice, not an error
// of jury's; leave quietly instead of dying on EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// process.exitCode, never process.exit(): exit() can cut off output still being piped.
process.exitCode = await main(process.argv, { stdout: process.stdout, stderr: process.stderr, env: process.env });
