/** Gate R: every assumption of the plan proven on the live cluster, all kinds concurrently. */

import { ASSUMPTION_CHECKS } from '../checks/index.js'
import { appendRenderedHelm } from '../checks/helm-render.js'
import { errorResult } from '../checks/result.js'
import type { RealityContext } from '../checks/types.js'
import { loadAssumedManifests } from '../plan/manifests.js'
import { registerSecretValues } from '../kube/secret-values.js'
import { withSharedReads } from '../kube/shared-reads.js'
import { budgetMs } from '../plan/budgets.js'
import { recordPreDeployment } from '../lifecycle/pre-deployment.js'
import { StateRecord } from '../lifecycle/record.js'
import { gateResult, isPassing, type CheckResult, type GateResult } from '../report/model.js'
import type { Gate, GateContext } from './types.js'

/** Builds the shared context once: discovery and manifests load concurrently. */
export async function realityContext(ctx: GateContext): Promise<RealityContext> {
  const live = await ctx.cluster()
  // The kinds run at once and several read the same objects: each read is sent once.
  const cluster = withSharedReads(live)
  const [surface, manifests] = await Promise.all([
    live.discover(),
    loadAssumedManifests(ctx.loaded, ctx.settings.workspace)
  ])
  for (const m of manifests) registerSecretValues(m.object)
  const rc: RealityContext = {
    loaded: ctx.loaded,
    settings: ctx.settings,
    namespace: ctx.namespace,
    runId: ctx.runId,
    cluster,
    surface,
    manifests,
    registry: () => ctx.registry(),
    exec: ctx.exec,
    clock: ctx.clock,
    log: ctx.log,
    signal: ctx.signal
  }
  // Helm phases: the rendered chart objects join the manifests every kind checks.
  await appendRenderedHelm(rc)
  return rc
}

export const realityCheckGate: Gate = {
  name: 'reality-check',
  async run(ctx) {
    const started = ctx.clock.now()
    const rc = await realityContext(ctx)
    const kinds = ASSUMPTION_CHECKS.filter(k => k.applies(rc))
    let done = 0
    ctx.progress({
      gate: 'reality-check',
      activity: `checking ${kinds.map(k => k.kind).join(', ')}`,
      done,
      total: kinds.length
    })
    const results = await Promise.all(
      kinds.map(async k => {
        let r: CheckResult[]
        try {
          r = await k.run(rc)
        } catch (err) {
          r = [errorResult(k.kind, k.kind, err)]
        }
        done++
        ctx.progress({
          gate: 'reality-check',
          activity: `${k.kind} checked`,
          done,
          total: kinds.length
        })
        return r
      })
    )
    const result = gateResult('reality-check', started, results.flat(), {
      now: ctx.clock.now(),
      budgetMs: budgetMs(ctx.loaded.plan, 'reality-check'),
      details: {
        discovery: { aggregated: rc.surface.aggregated, requests: rc.surface.requests },
        manifests: rc.manifests.length
      }
    })
    await markImagesReady(ctx, result)
    return [result]
  }
}

/**
 * A passing reality check whose image checks all passed moves the plan's
 * target to `images-ready` (unless a release is in flight there). The only
 * write this gate makes; one it cannot make (no namespace yet, read-only
 * credentials) is a note, never a verdict.
 */
async function markImagesReady(ctx: GateContext, result: GateResult): Promise<void> {
  if (ctx.settings.dryRun || !isPassing(result.verdict) || result.verdict === 'skip') return
  const images = result.checks.filter(c => c.kind === 'image')
  if (!images.every(c => isPassing(c.verdict))) return
  // The live cluster, not the context's shared reads: the record reads what it is about to write.
  const record = new StateRecord(
    await ctx.cluster(),
    ctx.loaded.plan.name,
    ctx.namespace,
    ctx.loaded.plan.state?.keepRuns
  )
  const reason = images.length
    ? `reality check: ${images.length} image${images.length === 1 ? '' : 's'} pullable`
    : 'reality check: the plan names no image'
  const outcome = await recordPreDeployment(
    record,
    'images-ready',
    ctx.runId,
    reason,
    new Date(ctx.clock.now()).toISOString()
  )
  result.notes = [
    ...(result.notes ?? []),
    outcome.recorded
      ? `deployment state: images-ready (${reason})`
      : `deployment state not moved to images-ready: ${outcome.blocker?.message ?? 'unknown'}`
  ]
  if (outcome.recorded) result.details = { ...(result.details ?? {}), state: 'images-ready' }
}
