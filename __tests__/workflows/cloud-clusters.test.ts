// README "Cloud clusters": an EKS, a GKE and an AKS caller workflow, each
// actionlint clean, each trading the job's OIDC token for cloud credentials
// (id-token: write) with no long-lived secret, leaving the action's
// kubeconfig input empty so the KUBECONFIG an earlier step wrote is used.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { parse } from 'yaml'
import { ensureTool } from '../../scripts/cluster/lib.mjs'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '..', '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const section = readme.split(/^## Cloud clusters$/m)[1]?.split(/^## /m)[0] ?? ''
const workflows = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => m[1])

let actionlint: string
let dir: string
beforeAll(async () => {
  actionlint = await ensureTool('actionlint', { log: m => process.stderr.write(`[tools] ${m}\n`) })
  dir = mkdtempSync(join(tmpdir(), 'cloud-wf-'))
}, 600_000)

type Wf = {
  jobs: Record<
    string,
    {
      permissions: Record<string, string>
      steps: { uses?: string; with?: Record<string, unknown> }[]
    }
  >
}

describe('README: Cloud clusters', () => {
  it('shows an EKS, a GKE and an AKS workflow', () => {
    expect(workflows.map(w => /^name: reality check \((\w+)\)/.exec(w)?.[1])).toEqual([
      'EKS',
      'GKE',
      'AKS'
    ])
  })

  it.each(['EKS', 'GKE', 'AKS'])('%s: actionlint clean', async cloud => {
    const text = workflows.find(w => w.includes(`(${cloud})`)) ?? ''
    const file = join(dir, `${cloud.toLowerCase()}.yml`)
    writeFileSync(file, text)
    const r = await run(actionlint, ['-no-color', '-oneline', file]).catch(
      (e: { stdout?: string }) => e
    )
    expect(r.stdout).toBe('')
  })

  it.each(['EKS', 'GKE', 'AKS'])('%s: OIDC, no long-lived secret, no kubeconfig input', cloud => {
    const text = workflows.find(w => w.includes(`(${cloud})`)) ?? ''
    expect(text).not.toMatch(/secrets\./)
    const wf = parse(text) as Wf
    const job = Object.values(wf.jobs)[0]
    expect(job.permissions['id-token']).toBe('write')
    const gate = job.steps.find(s => s.uses?.startsWith('phase-gate/phase-gate@'))
    expect(gate?.with).toBeDefined()
    expect(gate?.with).not.toHaveProperty('kubeconfig')
    for (const s of job.steps)
      if (s.uses && !s.uses.startsWith('phase-gate/')) expect(s.uses).toMatch(/@[0-9a-f]{40}$/)
  })

  it('the harness is not blind: actionlint flags a broken copy', async () => {
    const file = join(dir, 'broken.yml')
    writeFileSync(file, workflows[0].replace('id-token: write', 'id-token: writ'))
    const r = await run(actionlint, ['-no-color', '-oneline', file]).catch(
      (e: { stdout?: string }) => e
    )
    expect(r.stdout).toMatch(/id-token/)
    rmSync(dir, { recursive: true, force: true })
  })
})
