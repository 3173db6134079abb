// Runs a caller workflow with act on this host (-P <label>=-self-hosted: no
// Docker), offline (every remote `uses:` mapped to a local folder, act's
// version check off, no cache server), its artifact server on loopback, and
// reads act's JSON log into jobs: which ran, in what order, with which matrix,
// their steps' results, outputs and job summaries (act logs the content of
// $GITHUB_STEP_SUMMARY after each step).
import { spawn } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/**
 * Folds act's JSON log lines (each with `seq` and `at`, the receive order and
 * time) into jobs, in the order they started. A job is one run of a job: a
 * matrix leg is a job of its own.
 */
export function jobsFromLog(lines) {
  const jobs = new Map()
  for (const l of lines) {
    if (!l.jobID) continue
    const key = `${l.job}|${JSON.stringify(l.matrix ?? {})}`
    let job = jobs.get(key)
    if (!job) {
      const path = String(l.job)
        .split('/')
        .map(s => s.trim())
      job = {
        key,
        id: l.jobID,
        name: path[path.length - 1],
        caller: path.length > 1 ? path[0] : undefined,
        workflow: path.length > 2 ? path[path.length - 2] : undefined,
        matrix: l.matrix ?? {},
        startedAt: l.at,
        endedAt: l.at,
        firstSeq: l.seq,
        lastSeq: l.seq,
        result: undefined,
        steps: [],
        outputs: {},
        summaries: [],
        errors: [],
        lines: []
      }
      jobs.set(key, job)
    }
    job.endedAt = l.at
    job.lastSeq = l.seq
    job.lines.push(l.msg)
    if (l.jobResult) job.result = l.jobResult
    if (l.command === 'summary' && typeof l.content === 'string')
      job.summaries.push({ step: l.step, content: l.content })
    if (l.command === 'set-output' && l.name)
      job.outputs[`${(l.stepID ?? [])[0] ?? l.step}.${l.name}`] = l.arg
    if (l.command === 'error') job.errors.push(String(l.arg ?? l.msg).trim())
    if (l.stepResult && l.step)
      job.steps.push({ step: l.step, stage: l.stage, result: l.stepResult })
  }
  // A job that calls a reusable workflow logs a few lines of its own (resolving the call); its jobs are the jobs.
  const callers = new Set([...jobs.values()].map(j => j.caller).filter(Boolean))
  return [...jobs.values()]
    .filter(j => !(callers.has(j.name) && !j.workflow && j.result === undefined))
    .sort((a, b) => a.firstSeq - b.firstSeq)
}

/**
 * Runs act. `onLine(line)` sees every parsed log line as it arrives (scenario
 * hooks). Returns the exit code, the jobs, the raw lines, the duration and
 * where the log was written.
 */
export async function runAct({
  act,
  cwd,
  event,
  workflow,
  eventPath,
  env,
  args,
  logDir,
  timeoutMs,
  onLine
}) {
  mkdirSync(logDir, { recursive: true })
  const started = Date.now()
  const argv = [event, '-W', workflow, '-e', eventPath, '--json', ...args]
  const child = spawn(act, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  const raw = createWriteStream(join(logDir, 'act.jsonl'))
  const err = createWriteStream(join(logDir, 'act.stderr.log'))
  child.stderr.pipe(err)
  const lines = []
  let seq = 0
  const rl = createInterface({ input: child.stdout })
  rl.on('line', text => {
    raw.write(text + '\n')
    let l
    try {
      l = JSON.parse(text)
    } catch {
      l = { msg: text, level: 'raw' }
    }
    l.seq = seq++
    l.at = Date.now()
    lines.push(l)
    try {
      onLine?.(l)
    } catch (e) {
      lines.push({
        msg: `onLine hook failed: ${e.message}`,
        level: 'error',
        seq: seq++,
        at: Date.now()
      })
    }
  })
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {
      /* gone */
    }
  }, timeoutMs)
  const code = await new Promise(resolve => child.on('close', c => resolve(c ?? 1)))
  clearTimeout(timer)
  await new Promise(r => raw.end(r))
  await new Promise(r => err.end(r))
  return {
    code,
    timedOut,
    argv,
    durationMs: Date.now() - started,
    lines,
    jobs: jobsFromLog(lines),
    log: join(logDir, 'act.jsonl')
  }
}
