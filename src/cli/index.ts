#!/usr/bin/env node
/** The `phase-gate` executable. */

import { main } from './main.js'

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin
})
process.exitCode = code
