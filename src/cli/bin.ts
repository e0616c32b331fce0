#!/usr/bin/env node
import { main } from './main.js';

// process.exitCode, never process.exit(): exit() can cut off output still being piped.
process.exitCode = await main(process.argv, { stdout: process.stdout, stderr: process.stderr, env: process.env });
