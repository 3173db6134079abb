/** The post step (post-if: always()): removes what this run left (temp kubeconfig); only ever warns. */

import * as core from '@actions/core'
import { rm } from 'node:fs/promises'
import { errorMessage } from '../core/errors.js'
import { redact } from '../core/secrets.js'
import { STATE } from './names.js'

/** Post-step cleanup hooks registered by gates (tracer cleanup, interrupted rollbacks). */
export type PostHook = (state: (name: string) => string) => Promise<void>
const hooks: PostHook[] = []

/** Registers a cleanup the post step runs. */
export function registerPostHook(hook: PostHook): void {
  hooks.push(hook)
}

/** The post step. */
export async function post(): Promise<void> {
  const state = (name: string): string => core.getState(name)
  for (const hook of hooks) {
    try {
      await hook(state)
    } catch (err) {
      core.warning(redact(`post-step cleanup: ${errorMessage(err)}`))
    }
  }
  const dir = state(STATE.tempDir)
  if (dir) {
    try {
      await rm(dir, { recursive: true, force: true })
      core.info('removed the temporary kubeconfig')
    } catch (err) {
      core.warning(redact(`could not remove ${dir}: ${errorMessage(err)}`))
    }
  }
}
