/**
 * The drift gate (`phase-gate drift <plan>`, `--gate drift` in a scheduled
 * workflow): each object the last successful run applied, against the live
 * object, restricted to the fields the `phase-gate` field manager managed
 * (kube/managed-fields.ts). One check per object: changed, missing and extra
 * fields; drift is `warn` (`fail` with `drift.failOn: any`); an object that
 * is gone is drift too. Secret values never leave the process.
 */

import { checkResult } from '../checks/result.js'
import { errorMessage } from '../core/errors.js'
import { compareManaged, describeDrift, type FieldDrift } from '../kube/managed-fields.js'
import type { StateRecord, PhaseRecord } from '../lifecycle/record.js'
import { describeRef, type Cluster } from '../kube/types.js'
import { budgetMs } from '../plan/budgets.js'
import type { Plan } from '../plan/types.js'
import { gateResult, type CheckResult } from '../report/model.js'
import type { Gate, GateContext } from './types.js'

/** The run whose applied objects are compared: the given run when it applied phases, else the newest run whose every phase applied. */
export async function lastSuccessfulRun(
  record: StateRecord,
  plan: Pick<Plan, 'phases'>,
  given?: string
): Promise<{ runId: string; phases: PhaseRecord[] } | undefined> {
  const applied = async (runId: string): Promise<PhaseRecord[] | undefined> => {
    const phases = await record.readPhases(runId)
    if (phases.length === 0 || phases.some(p => p.status !== 'applied')) return undefined
    const names = (plan.phases ?? []).map(p => p.name)
    if (names.some(n => !phases.some(p => p.phase === n))) return undefined
    return names.map(n => phases.find(p => p.phase === n) as PhaseRecord)
  }
  if (given) {
    const phases = await applied(given)
    if (phases) return { runId: given, phases }
  }
  const index = await record.readIndex()
  const runs = [...index.runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt))
  for (const r of runs) {
    const phases = await applied(r.runId)
    if (phases) return { runId: r.runId, phases }
  }
  return undefined
}

// Secret data are compared, never shown.
function hideSecret(kind: string, d: FieldDrift): FieldDrift {
  if (kind !== 'Secret' || !/^(data|stringData)\b/.test(d.path)) return d
  const hidden = (v: unknown): unknown => (v === undefined ? undefined : '(hidden)')
  return { ...d, applied: hidden(d.applied), live: hidden(d.live) }
}

async function driftOf(
  ctx: GateContext,
  cluster: Cluster,
  rec: PhaseRecord,
  failOn: 'any' | 'never'
): Promise<CheckResult[]> {
  const bad = failOn === 'any' ? 'fail' : 'warn'
  const out: CheckResult[] = []
  for (const o of rec.objects) {
    if (!o.after) continue
    // The plan's namespace goes without saying; another one is named.
    const what =
      o.ref.namespace === undefined || o.ref.namespace === ctx.namespace
        ? `${o.ref.kind} ${o.ref.name}`
        : describeRef(o.ref)
    const target = `${rec.phase}: ${what}`
    let live
    try {
      live = await cluster.get(o.ref)
    } catch (err) {
      out.push(
        checkResult('drift', target, {
          verdict: 'error',
          message: `could not read ${what}: ${errorMessage(err)}`
        })
      )
      continue
    }
    if (!live) {
      out.push(
        checkResult('drift', target, {
          verdict: bad,
          message: `${what} is gone: run ${rec.runId} applied it in phase ${rec.phase}`,
          adjustment: `re-run phase ${rec.phase} to apply it again, or remove it from the plan`,
          data: {
            phase: rec.phase,
            object: what,
            missingObject: true,
            changed: [],
            missing: [],
            extra: []
          }
        })
      )
      continue
    }
    const drift = compareManaged(o.after, live).map(d => hideSecret(o.ref.kind, d))
    const by = (k: FieldDrift['kind']): FieldDrift[] => drift.filter(d => d.kind === k)
    const data = {
      phase: rec.phase,
      object: what,
      changed: by('changed'),
      missing: by('missing'),
      extra: by('extra')
    }
    if (drift.length === 0) {
      out.push(
        checkResult('drift', target, {
          verdict: 'pass',
          message: `${what}: no drift in the fields phase-gate manages`,
          data
        })
      )
      continue
    }
    out.push(
      checkResult('drift', target, {
        verdict: bad,
        message: `${what}: ${drift.length} field${drift.length === 1 ? '' : 's'} drifted (${data.changed.length} changed, ${data.missing.length} missing, ${data.extra.length} extra)`,
        evidence: drift.map(describeDrift).join('\n'),
        adjustment: `re-run phase ${rec.phase} to put back what the plan says, or change the plan to what the cluster should keep`,
        data
      })
    )
  }
  return out
}

export const driftGate: Gate = {
  name: 'drift',
  async run(ctx) {
    const started = ctx.clock.now()
    const plan = ctx.loaded.plan
    const cluster = await ctx.cluster()
    const record = await ctx.stateRecord()
    const failOn = plan.drift?.failOn ?? 'never'
    const run = await lastSuccessfulRun(
      record,
      plan,
      ctx.settings.runIdGiven ? ctx.settings.runId : undefined
    )
    const checks: CheckResult[] = []
    const notes: string[] = []
    if (!run)
      checks.push(
        checkResult('drift', plan.name, {
          verdict: 'skip',
          message: `no successful run of ${plan.name} in ${ctx.namespace} to compare with (every phase applied)`,
          location: ctx.loaded.locate(['phases'])
        })
      )
    else {
      notes.push(
        `compared with what run ${run.runId} applied (the phase-gate field manager's fields)`
      )
      for (const rec of run.phases) checks.push(...(await driftOf(ctx, cluster, rec, failOn)))
    }
    return [
      gateResult('drift', started, checks, {
        now: ctx.clock.now(),
        budgetMs: budgetMs(plan, 'drift'),
        notes,
        details: { runId: run?.runId, failOn }
      })
    ]
  }
}
