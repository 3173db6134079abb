// The e2e copy of the action runs this as dist/index.js in front of the real
// bundle (dist/phase-gate.js, bundled from the sources as scripts/bundle.mjs
// bundles dist/). It adds the one runner behaviour act leaves out that the
// reusable workflows rely on: fail-fast. GitHub cancels the legs of a
// `fail-fast: true` matrix that have not finished once one leg fails; act
// runs them anyway, so a rollout would go on to the next stage after a
// rollback. For the jobs named in PHASE_GATE_E2E_FAIL_FAST (the reusable
// workflows' fail-fast matrix jobs) a failed leg leaves a marker in
// PHASE_GATE_E2E_RECORD, and a later leg of the same job in the same run
// stops before the gate runs, reported as cancelled.
//
// Nothing of the gate's behaviour changes: the same process imports the real
// bundle with the same environment, inputs and file commands.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const env = process.env
const post = env.STATE_isPost === 'true'
const job = env.GITHUB_JOB ?? ''
const unit =
  env.INPUT_PHASE || env.INPUT_STAGE || env.INPUT_LEVEL || env.INPUT_CLUSTER || env.INPUT_GATE || ''
const failFast = (env.PHASE_GATE_E2E_FAIL_FAST ?? '').split(',').filter(Boolean).includes(job)
const marker =
  failFast && env.PHASE_GATE_E2E_RECORD
    ? join(env.PHASE_GATE_E2E_RECORD, `failed-${env.GITHUB_RUN_ID}-${job}`)
    : ''

const failed = marker && existsSync(marker) ? readFileSync(marker, 'utf8').trim() : ''
// act keeps no state of a failed step, so a stopped leg's post step knows itself by this file.
const stopped = marker ? `${marker}-stopped-${unit.replace(/[^\w.-]+/g, '_')}` : ''

// A leg stopped by fail-fast never ran the action, so it has no post step either.
if (stopped && existsSync(stopped)) process.exit(0)

if (!post && failed) {
  process.stdout.write(
    `::error::cancelled: ${failed} failed and this matrix has fail-fast: true (GitHub cancels the legs still to run; act does not, so the e2e runner does)\n`
  )
  writeFileSync(stopped, failed)
  process.exit(1)
}

if (!post && marker)
  process.on('exit', code => {
    if (code !== 0) writeFileSync(marker, `${job} ${unit}`)
  })

await import('./phase-gate.js')
