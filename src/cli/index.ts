#!/usr/bin/env node
/** The `phase-gate` executable. */

import module from 'node:module'

// V8's compiled code for the CLI is kept on disk between runs (Node's
// compile cache, in the system's temporary directory; NODE_DISABLE_COMPILE_CACHE=1
// turns it off): a repeated `phase-gate` call skips compiling the bundle,
// about a third of `phase-gate --version`'s CPU. Only modules loaded after
// this call are cached, hence the dynamic import.
module.enableCompileCache?.()
const { main } = await import('./main.js')

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin
})
process.exitCode = code
