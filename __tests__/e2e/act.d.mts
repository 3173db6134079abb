/** Types of act.mjs (runs a workflow with act and reads its JSON log). */

/** One line of act's JSON log, with the receive order and time. */
export interface ActLine {
  seq: number
  at: number
  msg: string
  level?: string
  job?: string
  jobID?: string
  matrix?: Record<string, unknown>
  jobResult?: string
  stepResult?: string
  step?: string
  stage?: string
  stepID?: string[]
  command?: string
  name?: string
  arg?: string
  content?: string
}

export interface ActJob {
  key: string
  id: string
  name: string
  caller?: string
  workflow?: string
  matrix: Record<string, unknown>
  startedAt: number
  endedAt: number
  firstSeq: number
  lastSeq: number
  result?: string
  steps: { step: string; stage?: string; result: string }[]
  /** `<step id>.<output>` → value */
  outputs: Record<string, string>
  summaries: { step?: string; content: string }[]
  errors: string[]
  lines: string[]
}

export function jobsFromLog(lines: ActLine[]): ActJob[]
export function freePort(): Promise<number>
export function runAct(opts: {
  act: string
  cwd: string
  event: string
  workflow: string
  eventPath: string
  env: Record<string, string>
  args: string[]
  logDir: string
  timeoutMs: number
  onLine?: (line: ActLine) => void
}): Promise<{
  code: number
  timedOut: boolean
  argv: string[]
  durationMs: number
  lines: ActLine[]
  jobs: ActJob[]
  log: string
}>
