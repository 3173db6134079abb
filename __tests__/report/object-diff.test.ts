// The approver's diff, pure parts: server noise and the run label stripped,
// Secret values replaced by markers on both sides before any text exists
// (changed, unchanged, added, removed, stringData against data), and the
// Markdown capped with the count of lines left out.
import { describe, expect, it } from '@jest/globals'
import type { KubeObject } from '../../src/kube/types.js'
import {
  SECRET_MARK,
  changeOf,
  diffText,
  redactSecretPair,
  stripNoise
} from '../../src/kube/object-diff.js'
import { unifiedDiff } from '../../src/report/line-diff.js'
import { renderDiffMarkdown } from '../../src/report/diff-render.js'
import { FakeCluster } from '../support/fake-cluster.js'

const b64 = (s: string): string => Buffer.from(s).toString('base64')

const secret = (data: Record<string, string>, stringData?: Record<string, string>): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'n' },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
    ...(stringData ? { stringData } : {})
  }) as KubeObject

describe('stripNoise', () => {
  it('drops what the server keeps for itself, the last-applied annotation and the run label', () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        uid: 'u',
        resourceVersion: '5',
        generation: 2,
        creationTimestamp: 'now',
        managedFields: [{ manager: 'x' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":1}' },
        labels: { 'phase-gate.dev/run': 'r1', app: 'web' }
      },
      data: { a: '1' },
      status: { x: 1 }
    } as unknown as KubeObject
    expect(stripNoise(obj)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', labels: { app: 'web' } },
      data: { a: '1' }
    })
    // The input is left as it was.
    expect(obj.metadata.uid).toBe('u')
  })
})

describe('redactSecretPair', () => {
  it('names a changed key with a marker and keeps no value on either side', () => {
    const live = secret({ password: 'old-canary', user: 'admin', gone: 'x1' })
    const next = secret({ user: 'admin' }, { password: 'new-canary', token: 't0ken' })
    const pair = redactSecretPair(live, next)
    expect(pair.live?.data).toEqual({
      password: SECRET_MARK.previous,
      user: SECRET_MARK.unchanged,
      gone: SECRET_MARK.previous
    })
    expect(pair.next.data).toEqual({
      user: SECRET_MARK.unchanged,
      password: SECRET_MARK.changed,
      token: SECRET_MARK.added
    })
    expect((pair.next as { stringData?: unknown }).stringData).toBeUndefined()
    const text = JSON.stringify(pair)
    for (const v of ['old-canary', 'new-canary', 'admin', 't0ken', 'x1'])
      for (const form of [v, b64(v)]) expect(text).not.toContain(form)
  })

  it('a value given as stringData equal to the live data is unchanged', () => {
    const pair = redactSecretPair(secret({ k: 'same' }), secret({}, { k: 'same' }))
    expect(unifiedDiff(diffText(pair.live as KubeObject), diffText(pair.next))).toEqual([])
  })

  it('a new Secret shows its keys as set; other kinds pass through untouched', () => {
    expect(redactSecretPair(undefined, secret({ k: 'v' })).next.data).toEqual({ k: '(set)' })
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } }
    expect(redactSecretPair(undefined, cm as KubeObject).next).toBe(cm)
  })
})

describe('changeOf (fake cluster)', () => {
  it('new, unchanged and changed against what the server answers a dry run', async () => {
    const cluster = new FakeCluster()
    const cm = (v: string): KubeObject =>
      ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', namespace: 'n' },
        data: { k: v }
      }) as KubeObject
    expect((await changeOf(cluster, cm('1'))).status).toBe('new')
    await cluster.apply(cm('1'))
    expect((await changeOf(cluster, cm('1'))).status).toBe('unchanged')
    const changed = await changeOf(cluster, cm('2'))
    expect(changed.status).toBe('changed')
    expect(changed.diff?.filter(l => /^[-+]/.test(l))).toEqual(['-  k: "1"', '+  k: "2"'])
  })
})

describe('renderDiffMarkdown', () => {
  it('folds each changed object, caps the lines and says how many were left out', () => {
    const diff = ['@@ -1,200 +1,200 @@', ...Array.from({ length: 200 }, (_, i) => `-line ${i}`)]
    const md = renderDiffMarkdown(
      [
        {
          phase: 'app',
          changes: [
            { object: 'ConfigMap n/a', kind: 'ConfigMap', name: 'a', status: 'changed', diff },
            { object: 'ConfigMap n/b', kind: 'ConfigMap', name: 'b', status: 'unchanged' },
            { object: 'ConfigMap n/c', kind: 'ConfigMap', name: 'c', status: 'new' }
          ]
        }
      ],
      { maxObjectLines: 50 }
    )
    expect(md).toContain('**Phase app**: 1 new, 1 changed, 1 unchanged')
    expect(md).toContain('- unchanged: `ConfigMap n/b`')
    expect(md).toContain('<details><summary>ConfigMap n/a: 200 lines changed</summary>')
    expect(md).toContain('_151 more lines left out; `phase-gate diff` prints them all._')
    expect(md.split('\n').filter(l => l.startsWith('-line '))).toHaveLength(49)
    expect(md.split('<details>').length).toBe(md.split('</details>').length)
  })
})
