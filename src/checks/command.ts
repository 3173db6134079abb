/** `command`: runs an argv (no shell unless asked) with a timeout; judged on exit code and an output pattern. */

import { durationMs } from '../core/duration.js'
import { checkResult } from './result.js'
import { code, argvLine } from '../report/shell.js'
import type { ValidationCheck } from './validation-kind.js'

/** The last lines of a text, for evidence. */
export function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}

export const commandCheck: ValidationCheck<'command'> = {
  key: 'command',
  target: s => s.run.join(' ').slice(0, 80),
  async run(spec, ctx, location) {
    const target = spec.run.join(' ').slice(0, 80)
    const timeoutMs = durationMs(spec.timeout, 60_000)
    const r = await ctx.exec.run(spec.run, {
      shell: spec.shell,
      cwd: spec.cwd ? `${ctx.loaded.dir}/${spec.cwd}` : ctx.loaded.dir,
      env: {
        // The plan's commands (kubectl, helm) reach the cluster the gate reaches: in CI the
        // kubeconfig input lives only in the gate's private temp file.
        ...(ctx.settings.kubeconfig.kind === 'path'
          ? { KUBECONFIG: ctx.settings.kubeconfig.path }
          : {}),
        ...spec.env,
        PHASE_GATE_NAMESPACE: ctx.namespace,
        PHASE_GATE_RUN_ID: ctx.runId
      },
      timeoutMs,
      signal: ctx.signal
    })
    const wantExit = spec.expect?.exitCode ?? 0
    const problems: string[] = []
    if (r.spawnError) problems.push(`could not start ${spec.run[0]}: ${r.spawnError}`)
    else if (r.timedOut) problems.push(`timed out after ${timeoutMs} ms`)
    else if (r.exitCode !== wantExit) problems.push(`exit code ${r.exitCode}, expected ${wantExit}`)
    if (
      !r.spawnError &&
      spec.expect?.output &&
      !new RegExp(spec.expect.output, 'm').test(r.stdout + r.stderr)
    )
      problems.push(`output does not match /${spec.expect.output}/`)
    return checkResult('command', target, {
      verdict: problems.length ? 'fail' : 'pass',
      message: problems.length ? problems.join('; ') : `exit ${r.exitCode} in ${r.durationMs} ms`,
      evidence: problems.length
        ? [r.stderr && `stderr:\n${tail(r.stderr)}`, r.stdout && `stdout:\n${tail(r.stdout)}`]
            .filter(Boolean)
            .join('\n')
        : undefined,
      data: { exitCode: r.exitCode, durationMs: r.durationMs },
      location
    })
  },
  describe: {
    plan: c =>
      `command: ${argvLine(c.run)} exits ${c.expect?.exitCode ?? 0}${c.expect?.output ? ` printing ${c.expect.output}` : ''}`,
    runbook: c => `${code(c.run.join(' '))} exits ${c.expect?.exitCode ?? 0}`
  }
}
