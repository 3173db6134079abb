// Long-running local processes: start detached (they outlive `npm run
// cluster:up` and the jest global setup), record them in pid files, find out
// whether a recorded pid is still ours, stop them, and probe loopback ports.
import { spawn, execFile } from 'node:child_process'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { createServer, connect } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/** Resolves after `ms` milliseconds. */
export { sleep }

/** Runs a command to completion; rejects with its output on a non-zero exit. */
export function run(
  cmd,
  args,
  { env, cwd, input, timeoutMs = 600_000, maxBuffer = 64 << 20 } = {}
) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { env, cwd, timeout: timeoutMs, maxBuffer },
      (err, stdout, stderr) => {
        if (err) {
          const why = err.killed ? `killed after ${timeoutMs} ms` : `exit code ${err.code}`
          err.message = `${cmd} ${args.join(' ')} failed (${why}):\n${(stderr || stdout).trim()}`
          err.stdout = stdout
          err.stderr = stderr
          reject(err)
        } else resolve({ stdout, stderr })
      }
    )
    if (input !== undefined) child.stdin.end(input)
  })
}

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor(what, probe, { timeoutMs = 30_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs
  let last
  for (;;) {
    try {
      const value = await probe()
      if (value) return value
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`
      )
    }
    await sleep(intervalMs)
  }
}

/** A port on 127.0.0.1 that nothing listens on right now, not in `avoid`. */
export async function freePort(avoid = new Set()) {
  for (let i = 0; i < 50; i++) {
    const port = await new Promise((resolve, reject) => {
      const srv = createServer()
      srv.unref()
      srv.on('error', reject)
      srv.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
        const { port } = srv.address()
        srv.close(() => resolve(port))
      })
    })
    if (!avoid.has(port)) return port
  }
  throw new Error('no free port on 127.0.0.1')
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function isPortOpen(port, timeoutMs = 500) {
  return new Promise(resolve => {
    const sock = connect({ host: '127.0.0.1', port })
    const done = open => {
      sock.destroy()
      resolve(open)
    }
    sock.setTimeout(timeoutMs, () => done(false))
    sock.once('connect', () => done(true))
    sock.once('error', () => done(false))
  })
}

/** The argv of a live, non-zombie process, or null. */
export function processArgv(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The state letter follows the parenthesised command name.
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return null
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
  } catch {
    return null
  }
}

/**
 * The process recorded in a pid file when it is alive and still runs the
 * command we started (a pid can be reused after a reboot), else null.
 */
export function recordedProcess(pidFile) {
  let rec
  try {
    rec = JSON.parse(readFileSync(pidFile, 'utf8'))
  } catch {
    return null
  }
  const argv = processArgv(rec.pid)
  if (!argv) return null
  if (argv[0] !== rec.argv[0] || argv[1] !== rec.argv[1]) return null
  return rec
}

/**
 * Starts `cmd args` in its own process group, output appended to `logFile`,
 * and records it in `pidFile` together with `hash` (the configuration it was
 * started with). Returns the record.
 */
export function spawnDetached({ cmd, args, env, cwd, logFile, pidFile, hash }) {
  const fd = openSync(logFile, 'a')
  try {
    writeFileSync(fd, `\n--- ${new Date().toISOString()} starting ${cmd} ${args.join(' ')}\n`)
    const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', fd, fd] })
    child.unref()
    if (!child.pid) throw new Error(`could not start ${cmd}`)
    const rec = { pid: child.pid, argv: [cmd, ...args], hash, startedAt: new Date().toISOString() }
    mkdirSync(join(pidFile, '..'), { recursive: true })
    writeFileSync(pidFile, JSON.stringify(rec) + '\n')
    return rec
  } finally {
    closeSync(fd)
  }
}

/**
 * Stops the process recorded in `pidFile` (SIGTERM to its group, SIGKILL after
 * `graceMs`), waits until it is gone and removes the pid file. A pid that is
 * no longer ours is left alone.
 */
export async function stopRecorded(pidFile, { graceMs = 10_000 } = {}) {
  const rec = recordedProcess(pidFile)
  if (rec) {
    const signal = sig => {
      try {
        process.kill(-rec.pid, sig)
      } catch {
        try {
          process.kill(rec.pid, sig)
        } catch {
          /* already gone */
        }
      }
    }
    signal('SIGTERM')
    const deadline = Date.now() + graceMs
    while (processArgv(rec.pid) && Date.now() < deadline) await sleep(50)
    if (processArgv(rec.pid)) {
      signal('SIGKILL')
      while (processArgv(rec.pid)) await sleep(50)
    }
  }
  if (existsSync(pidFile)) rmSync(pidFile)
  return rec
}
