import { describe, expect, it } from '@jest/globals'
import { parseCli } from '../../src/cli/args.js'
import { UsageError } from '../../src/core/errors.js'

describe('parseCli', () => {
  it('parses a check with every flag', () => {
    const inv = parseCli(
      [
        'check',
        'plan.yaml',
        '--gate',
        'phase',
        '--phase',
        'db',
        '--run-id',
        'r-1',
        '--kubeconfig',
        'k',
        '--context',
        'c',
        '--namespace',
        'ns',
        '--report',
        'out/r.json',
        '--summary',
        's.md',
        '--dry-run'
      ],
      {},
      '/w'
    )
    expect(inv.command).toBe('check')
    expect(inv.settings).toMatchObject({
      gate: 'phase',
      planPath: '/w/plan.yaml',
      phase: 'db',
      runId: 'r-1',
      runIdGiven: true,
      kubeconfig: { kind: 'path', path: '/w/k' },
      context: 'c',
      namespace: 'ns',
      reportPath: '/w/out/r.json',
      summaryPath: '/w/s.md',
      dryRun: true
    })
  })
  it('--approve sets approve; without it approve is false (gate all then asks or stops)', () => {
    expect(
      parseCli(['check', 'p.yaml', '--gate', 'all', '--approve'], {}, '/w').settings.approve
    ).toBe(true)
    expect(parseCli(['check', 'p.yaml', '--gate', 'all'], {}, '/w').settings.approve).toBe(false)
  })
  it('generates a fresh run id per call', () => {
    const a = parseCli(['check', 'p.yaml', '--gate', 'all'], {}, '/w').settings
    const b = parseCli(['check', 'p.yaml', '--gate', 'all'], {}, '/w').settings
    expect(a.runIdGiven).toBe(false)
    expect(a.runId).toMatch(/^cli-\d{14}-[0-9a-f]{6}$/)
    expect(a.runId).not.toBe(b.runId)
  })
  it.each([
    [['check', 'p.yaml'], /needs --gate/],
    [['check', 'p.yaml', '--gate', 'nope'], /unknown gate "nope"/],
    [['check', 'p.yaml', '--gate', 'all', '--bogus'], /unknown flag --bogus for check/],
    [['deploy', 'p.yaml'], /unknown command "deploy"/],
    [['lint'], /needs a plan file/],
    [['check', 'p.yaml', '--gate', 'all', '--run-id', 'bad id!'], /not a valid label value/]
  ])('%j is rejected', (argv, message) => {
    expect(() => parseCli(argv, {}, '/w')).toThrow(UsageError)
    expect(() => parseCli(argv, {}, '/w')).toThrow(message)
  })

  it('parses diff with --phase and --output json, and --sarif on lint and check only', () => {
    const diff = parseCli(['diff', 'plan.yaml', '--phase', 'app', '--output', 'json'], {}, '/w')
    expect(diff.command).toBe('diff')
    expect(diff.json).toBe(true)
    expect(diff.settings.phase).toBe('app')
    expect(parseCli(['diff', 'plan.yaml'], {}, '/w').json).toBe(false)
    expect(
      parseCli(['lint', 'p.yaml', '--sarif', 'out/x.sarif'], {}, '/w').settings.sarifPath
    ).toBe('/w/out/x.sarif')
    expect(
      parseCli(['check', 'p.yaml', '--gate', 'reality-check', '--sarif', 'x.sarif'], {}, '/w')
        .settings.sarifPath
    ).toBe('/w/x.sarif')
    expect(() => parseCli(['diff', 'p.yaml', '--sarif', 'x.sarif'], {}, '/w')).toThrow(UsageError)
    expect(() => parseCli(['diff', 'p.yaml', '--output', 'yaml'], {}, '/w')).toThrow(
      /unknown output "yaml"; outputs: text, json/
    )
  })
})
