// A bug (an unexpected exception) exits 70 with a line asking to report it;
// exit 3 stays "could not check" (a failed request, an InfraError).
import { describe, expect, it } from '@jest/globals'
import { main } from '../../src/cli/main.js'
import { errorResult } from '../../src/checks/result.js'
import { InfraError, isBug, REPORT_BUG } from '../../src/core/errors.js'
import { exitCodeForReport, type RunReport } from '../../src/report/model.js'

function sink(onWrite?: (s: string) => void): { stream: NodeJS.WriteStream; text: () => string } {
  let text = ''
  const stream = {
    write: (s: string) => {
      onWrite?.(s)
      text += s
      return true
    },
    isTTY: false
  } as unknown as NodeJS.WriteStream
  return { stream, text: () => text }
}

function report(data?: Record<string, unknown>): Pick<RunReport, 'gates' | 'verdict'> {
  return {
    verdict: 'error',
    gates: [
      {
        gate: 'reality-check',
        verdict: 'error',
        durationMs: 1,
        startedAt: '',
        checks: [
          {
            id: 'a',
            kind: 'api',
            target: 'x',
            verdict: 'error',
            severity: 'high',
            message: 'm',
            durationMs: 1,
            data
          }
        ]
      }
    ]
  }
}

describe('exit codes: a bug is 70, could-not-check is 3', () => {
  it.each([
    [new TypeError("Cannot read properties of undefined (reading 'spec')"), true],
    [new RangeError('Invalid time value'), true],
    [new Error('internal: no hygiene variable x'), true],
    [new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') }), false],
    [new InfraError('cannot reach the API server'), false],
    [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), false]
  ])('isBug(%s) is %s', (err, bug) => {
    expect(isBug(err)).toBe(bug)
  })

  it('a check that threw a bug says so and asks for a report; a failed request does not', () => {
    const bug = errorResult('api', 'apps/v1', new TypeError('x is not a function'))
    expect(bug).toMatchObject({ verdict: 'error', adjustment: REPORT_BUG, data: { bug: true } })
    expect(bug.message).toContain('internal error')
    const infra = errorResult('api', 'apps/v1', new InfraError('connection refused'))
    expect(infra.data?.bug).toBeUndefined()
    expect(infra.message).toContain('could not check')
  })

  it('a report with a bug exits 70, without one 3', () => {
    expect(exitCodeForReport(report({ bug: true }))).toBe(70)
    expect(exitCodeForReport(report())).toBe(3)
    expect(exitCodeForReport({ ...report({ bug: true }), verdict: 'fail' })).toBe(1)
  })

  it('an exception escaping the CLI exits 70 with the line asking to report it', async () => {
    const stdout = sink(() => {
      throw new TypeError('boom')
    })
    const stderr = sink()
    const code = await main(['--version'], {
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: {},
      cwd: process.cwd()
    })
    expect(code).toBe(70)
    expect(stderr.text()).toContain('internal error: boom')
    expect(stderr.text()).toContain(REPORT_BUG)
  })
})
