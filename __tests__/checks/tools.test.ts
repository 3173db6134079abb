// The tools check: each tool asked its version the way it answers reliably,
// the version compared with the plan's range; a missing tool fails naming it.
import { describe, expect, it } from '@jest/globals'
import '../../src/checks/builtin.js'
import { firstVersion, probeFor } from '../../src/checks/tools.js'
import { runValidation } from '../../src/checks/validation.js'
import type { Verdict } from '../../src/report/model.js'
import { gateContext, scriptedExec, type ScriptedRun } from './validation-ctx.js'

describe("firstVersion: the version in a tool's output", () => {
  it.each<[string, string | undefined]>([
    ['v3.14.2+g1234abc', '3.14.2'],
    ['Client Version: v1.30.0', '1.30.0'],
    ['go version go1.22.1 linux/amd64', '1.22.1'],
    ['psql (PostgreSQL) 16.2', '16.2'],
    ['Python 3.12.1', '3.12.1'],
    ['jq-1.7.1', '1.7.1'],
    ['Docker version 24.0.7, build afdd53b', '24.0.7'],
    ['Terraform v1.5.7\non linux_amd64', '1.5.7'],
    ['openjdk version "21.0.2" 2024-01-16', '21.0.2'],
    ['helm v3.15.0-rc.1+gabc', '3.15.0-rc.1'],
    ['nginx/1.25.3-alpine', '1.25.3'],
    ['tool build 12345', undefined],
    ['', undefined]
  ])('%j → %s', (text, version) => {
    expect(firstVersion(text)).toBe(version)
  })
})

describe('probeFor: how each tool is asked', () => {
  it.each<[string, string[], string, string, string | undefined]>([
    [
      'kubectl',
      ['version', '--client', '-o', 'json'],
      '{"clientVersion":{"gitVersion":"v1.31.4"}}',
      '',
      'v1.31.4'
    ],
    [
      '/usr/local/bin/kubectl',
      ['version', '--client', '-o', 'json'],
      '{"clientVersion":{"gitVersion":"v1.29.0-rc.2"}}',
      '',
      'v1.29.0-rc.2'
    ],
    [
      'oc',
      ['version', '--client', '-o', 'json'],
      '{"releaseClientVersion":"4.15.3","clientVersion":{"gitVersion":"v0.0.0"}}',
      '',
      '4.15.3'
    ],
    ['helm', ['version', '--short'], 'v3.14.2+gc309b6f\n', '', '3.14.2'],
    ['go', ['version'], 'go version go1.22.1 linux/amd64', '', '1.22.1'],
    ['java', ['-version'], '', 'openjdk version "21.0.2" 2024-01-16', '21.0.2'],
    ['alembic', ['--version'], 'alembic 1.13.1', '', '1.13.1'],
    ['psql', ['--version'], '', 'psql (PostgreSQL) 16.2', '16.2']
  ])('%s', (tool, args, stdout, stderr, version) => {
    const p = probeFor(tool)
    expect(p.args).toEqual(args)
    expect(p.parse(stdout, stderr)).toBe(version)
  })
})

describe('tools check', () => {
  const run = async (spec: Record<string, string>, script: ScriptedRun[]) => {
    const exec = scriptedExec(script)
    const r = await runValidation({ tools: spec }, gateContext({ exec }), {
      file: 'phase-gate.yaml',
      line: 3,
      column: 5
    })
    return { r, exec }
  }
  const kubectl = (v: string): ScriptedRun => ({
    argv: ['kubectl', 'version', '--client'],
    result: { stdout: JSON.stringify({ clientVersion: { gitVersion: v } }) }
  })
  const helm = (v: string): ScriptedRun => ({
    argv: ['helm', 'version', '--short'],
    result: { stdout: `${v}+gabcdef\n` }
  })

  it.each<[string, Record<string, string>, ScriptedRun[], Verdict, RegExp]>([
    [
      'both satisfied',
      { kubectl: '>=1.30', helm: '>=3.14' },
      [kubectl('v1.31.2'), helm('v3.14.4')],
      'pass',
      /kubectl v1\.31\.2, helm 3\.14\.4 satisfy/
    ],
    [
      'helm too old',
      { kubectl: '>=1.30', helm: '>=3.14' },
      [kubectl('v1.31.2'), helm('v3.12.0')],
      'fail',
      /^helm 3\.12\.0 does not satisfy >=3\.14/
    ],
    [
      'a release candidate is below its release',
      { kubectl: '>=1.30' },
      [kubectl('v1.30.0-rc.1')],
      'fail',
      /does not satisfy >=1\.30/
    ],
    [
      'caret range',
      { helm: '^3.14' },
      [helm('v4.0.0')],
      'fail',
      /helm 4\.0\.0 does not satisfy \^3\.14/
    ],
    [
      'missing tool named',
      { kubectl: '>=1.30', argocd: '>=2.10' },
      [kubectl('v1.31.2')],
      'fail',
      /^argocd is not installed or not on PATH/
    ],
    [
      'no version in the output',
      { mytool: '>=1' },
      [
        {
          argv: ['mytool', '--version'],
          result: { exitCode: 2, stderr: 'unknown flag: --version' }
        }
      ],
      'fail',
      /mytool: no version in the output of `mytool --version` \(exit 2: unknown flag/
    ],
    [
      'a range that does not parse',
      { helm: 'newest' },
      [],
      'error',
      /the range "newest" does not parse/
    ]
  ])('%s', async (_name, spec, script, verdict, message) => {
    const { r } = await run(spec, script)
    expect(r.verdict).toBe(verdict)
    expect(r.message).toMatch(message)
    expect(r.id).toBe(`tools:${Object.keys(spec).join(',')}`)
    expect(r.location).toEqual({ file: 'phase-gate.yaml', line: 3, column: 5 })
  })

  it('says what to install and keeps the figures', async () => {
    const { r, exec } = await run({ kubectl: '>=1.30', helm: '>=3.14' }, [kubectl('v1.28.1')])
    expect(r.adjustment).toBe(
      'install kubectl >=1.30 on the runner (or put it first on PATH); install helm >=3.14 on the runner (or put it first on PATH)'
    )
    expect(r.data).toEqual({
      tools: {
        kubectl: {
          range: '>=1.30',
          version: 'v1.28.1',
          outcome: 'too-old',
          command: 'kubectl version --client -o json'
        },
        helm: {
          range: '>=3.14',
          version: undefined,
          outcome: 'missing',
          command: 'helm version --short'
        }
      }
    })
    // kubectl is asked for its client version only: no server round trip.
    expect(exec.calls.map(c => c.argv)).toEqual([
      ['kubectl', 'version', '--client', '-o', 'json'],
      ['helm', 'version', '--short']
    ])
  })
})
