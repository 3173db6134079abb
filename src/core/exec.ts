/** The one seam through which phase-gate runs other programs. */

import { spawn } from 'node:child_process'
import { redact } from './secrets.js'

export interface ExecOptions {
  cwd?: string
  env?: Record<string, string>
  timeoutMs?: number
  input?: string
  /** Run through `/bin/sh -c` (only when the plan asks for a shell). */
  shell?: boolean
  signal?: AbortSignal
  /** Cap on captured output per stream, in bytes (default 1 MiB). */
  maxOutput?: number
}

export interface ExecResult {
  exitCode: number
  stdout: string
  stderr: string
  durationMs: number
  timedOut: boolean
  /** Set when the program could not be started at all. */
  spawnError?: string
}

export interface Exec {
  run(argv: string[], opts?: ExecOptions): Promise<ExecResult>
}

/** Runs programs for real, with a timeout, capped output and no shell unless asked. */
export const processExec: Exec = {
  run(argv, opts = {}) {
    const started = Date.now()
    const max = opts.maxOutput ?? 1 << 20
    return new Promise(resolve => {
      const [cmd, ...args] = opts.shell ? ['/bin/sh', '-c', argv.join(' ')] : argv
      let stdout = ''
      let stderr = ''
      let timedOut = false
      let settled = false
      const finish = (
        r: Omit<ExecResult, 'durationMs' | 'stdout' | 'stderr' | 'timedOut'>
      ): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve({ ...r, stdout, stderr, timedOut, durationMs: Date.now() - started })
      }
      const child = spawn(cmd, args, {
        cwd: opts.cwd,
        env: { ...process.env, ...opts.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        signal: opts.signal
      })
      const timer = opts.timeoutMs
        ? setTimeout(() => {
            timedOut = true
            child.kill('SIGTERM')
            setTimeout(() => child.kill('SIGKILL'), 2000).unref()
          }, opts.timeoutMs)
        : undefined
      child.stdout.on('data', (d: Buffer) => {
        if (stdout.length < max) stdout += d.toString()
      })
      child.stderr.on('data', (d: Buffer) => {
        if (stderr.length < max) stderr += d.toString()
      })
      child.on('error', err => finish({ exitCode: 127, spawnError: redact(err.message) }))
      child.on('close', (code, sig) => finish({ exitCode: code ?? (sig ? 128 + 15 : 1) }))
      if (opts.input !== undefined) child.stdin.end(opts.input)
      else child.stdin.end()
    })
  }
}
