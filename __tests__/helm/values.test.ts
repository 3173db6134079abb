// The values files of a Helm phase: its valuesFiles against the plan's
// folder, then its inline values in a private file, last so they win.
import { describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { helmValuesFiles } from '../../src/helm/values.js'

describe('helmValuesFiles', () => {
  it('gives the files in order, then the inline values in a file only the owner reads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pg-values-'))
    try {
      const files = await helmValuesFiles(
        '/plans/app',
        { valuesFiles: ['values/base.yaml', '/abs/prod.yaml'], values: { replicas: 3 } },
        dir
      )
      expect(files).toEqual([
        '/plans/app/values/base.yaml',
        '/abs/prod.yaml',
        join(dir, 'values.yaml')
      ])
      expect(parse(await readFile(files[2], 'utf8'))).toEqual({ replicas: 3 })
      expect((await stat(files[2])).mode & 0o777).toBe(0o600)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('writes nothing without inline values', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pg-values-'))
    try {
      expect(await helmValuesFiles('/p', { values: {} }, dir)).toEqual([])
      expect(await helmValuesFiles('/p', {}, dir)).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
