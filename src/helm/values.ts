/** The values files a Helm phase is rendered and upgraded with. */

import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { stringify } from 'yaml'
import type { HelmSpec } from '../plan/types.js'

/**
 * The phase's `valuesFiles` (against the plan's folder), then its inline
 * `values` written to a private file in `dir`: last, so they win over the
 * files, as a later `-f` does. The caller owns `dir` and removes it.
 */
export async function helmValuesFiles(
  planDir: string,
  spec: Pick<HelmSpec, 'valuesFiles' | 'values'>,
  dir: string
): Promise<string[]> {
  const files = (spec.valuesFiles ?? []).map(f => resolve(planDir, f))
  if (spec.values && Object.keys(spec.values).length) {
    const file = join(dir, 'values.yaml')
    await writeFile(file, stringify(spec.values), { mode: 0o600 })
    files.push(file)
  }
  return files
}
