/** The action's entry: main step or post step, nothing else runs on import. */

import * as core from '@actions/core'
import { STATE } from './action/names.js'

const isPost = core.getState(STATE.isPost) === 'true'
if (!isPost) core.saveState(STATE.isPost, 'true')

if (isPost) {
  const { post } = await import('./action/post.js')
  await post()
} else {
  const { run } = await import('./action/run.js')
  await run()
}
