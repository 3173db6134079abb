// Found by the e2e suite: in a workflow the action's kubeconfig input lives
// only in the gate's private temp file, so a plan's `command` check running
// kubectl reached no cluster (web-app's config phase failed under act). The
// command check hands the gate's kubeconfig to the commands it runs.
import { describe, expect, it } from '@jest/globals'
import '../../src/checks/builtin.js'
import { runValidation } from '../../src/checks/validation.js'
import type { Settings } from '../../src/settings.js'
import { gateContext, scriptedExec } from '../checks/validation-ctx.js'

const spec = { command: { run: ['kubectl', 'get', 'configmap', 'web-config'] } }

describe('command check: the kubeconfig of the gate', () => {
  it.each<[string, Settings['kubeconfig'], Record<string, string> | undefined, string | undefined]>(
    [
      [
        'a kubeconfig file (the action input, written to a temp file)',
        { kind: 'path', path: '/tmp/pg/kubeconfig' },
        undefined,
        '/tmp/pg/kubeconfig'
      ],
      [
        'the default kubeconfig: the environment decides',
        { kind: 'default' },
        undefined,
        undefined
      ],
      [
        'a KUBECONFIG the plan sets for the command wins',
        { kind: 'path', path: '/tmp/pg/kubeconfig' },
        { KUBECONFIG: '/etc/other' },
        '/etc/other'
      ]
    ]
  )('%s', async (_, kubeconfig, env, expected) => {
    const exec = scriptedExec([{ argv: ['kubectl'], result: { exitCode: 0 } }])
    const ctx = gateContext({ exec, settings: { kubeconfig } })
    const r = await runValidation({ command: { ...spec.command, env } }, ctx)
    expect(r.verdict).toBe('pass')
    expect(exec.calls[0].opts?.env?.KUBECONFIG).toBe(expected)
    expect(exec.calls[0].opts?.env?.PHASE_GATE_NAMESPACE).toBe('shop')
  })
})
