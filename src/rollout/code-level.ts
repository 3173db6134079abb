/**
 * Rollback level `code`: the workload back to its last known-good revision.
 * A Deployment gets the pod template of an earlier ReplicaSet, as
 * `kubectl rollout undo` does: the last known-good revision recorded in the
 * state record when there is one, else the newest earlier revision running
 * other images (a restart only changes an annotation), else the one before.
 * It is verified by what it ends on: the Deployment Current, its current
 * ReplicaSet the one with that template's pod-template-hash and images, and
 * its pods on that hash and ready. A Helm release is rolled back with
 * `helm rollback` and verified the same way (revision, chart, objects
 * Current); a command (a revert-and-deploy) is judged by its exit code.
 */

import { formatDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import { Helm } from '../helm/helm.js'
import { rollbackRelease } from '../helm/release.js'
import { collectEvidence, formatEvidence } from '../kube/evidence.js'
import { currentPods, currentReplicaSet, labelSelectorOf, ownedBy } from '../kube/pod-failures.js'
import { KubeApiError, describeRef, type KubeObject, type ObjectRef } from '../kube/types.js'
import { waitForObjects } from '../kube/wait.js'
import type { StateRecord } from '../lifecycle/record.js'
import { describeMigrationRun, hasDown } from '../plan/migration.js'
import { code, shq } from '../report/shell.js'
import {
  COMMAND_PROPERTY,
  type Level,
  type LevelContext,
  type LevelOutcome,
  type LevelRun
} from './level.js'
import { imagesOf, kubectlWorkload, podTemplateOf, workloadRef } from './workloads.js'

const REVISION = 'deployment.kubernetes.io/revision'
const HASH = 'pod-template-hash'

function revisionOf(o: KubeObject | undefined): number {
  return Number(o?.metadata.annotations?.[REVISION] ?? 0) || 0
}

function hashOf(o: KubeObject | undefined): string | undefined {
  return o?.metadata.labels?.[HASH]
}

/** Runs the code level. */
export async function runCodeLevel(run: LevelRun): Promise<LevelOutcome> {
  const { ctx, spec } = run
  if (spec.command) {
    const r = await ctx.exec.run(spec.command.run, {
      shell: spec.command.shell,
      cwd: ctx.loaded.dir,
      timeoutMs: Math.max(1000, run.deadline - ctx.clock.now()),
      signal: ctx.signal,
      env: {
        PHASE_GATE_NAMESPACE: ctx.namespace,
        PHASE_GATE_RUN_ID: ctx.runId,
        PHASE_GATE_LEVEL: 'code'
      }
    })
    const ok = r.exitCode === 0 && !r.timedOut && !r.spawnError
    return {
      ok,
      message: ok
        ? `code rollback command succeeded (${spec.command.run.join(' ')})`
        : `code rollback command failed (${r.spawnError ?? (r.timedOut ? 'timed out' : `exit ${r.exitCode}`)})`,
      evidence: (r.stderr || r.stdout).trim().slice(-2000) || undefined,
      data: { command: spec.command.run, exitCode: r.exitCode }
    }
  }
  if (spec.helm) {
    const helm = new Helm({
      exec: ctx.exec,
      namespace: ctx.namespace,
      kubeconfig:
        ctx.settings.kubeconfig.kind === 'path' ? ctx.settings.kubeconfig.path : undefined,
      context: ctx.settings.context ?? ctx.loaded.plan.target.context,
      signal: ctx.signal
    })
    const r = await rollbackRelease(helm, run.cluster, spec.helm.release, {
      deadline: run.deadline,
      clock: ctx.clock,
      signal: ctx.signal,
      dryRun: ctx.settings.dryRun
    })
    return { ok: r.ok, message: r.message, evidence: r.evidence, data: r.data }
  }
  const ref = workloadRef(spec.target as NonNullable<typeof spec.target>, ctx.namespace)
  if (ref.kind !== 'Deployment')
    return {
      ok: false,
      message: `code rollback of a ${ref.kind} is not built in: only Deployments (and Helm releases) are undone to an earlier revision`,
      adjustment: 'use `helm: {release}` or a `command` (a revert-and-deploy) for this level'
    }
  return undoDeployment(run, ref)
}

/** Picks the ReplicaSet to go back to: last known-good (state record), else the previous revision. */
export function pickRevision(
  owned: KubeObject[],
  current: KubeObject | undefined,
  lastKnownGood?: { image?: string; revision?: string }
): { rs: KubeObject; why: string } | undefined {
  const others = owned.filter(rs => rs !== current && hashOf(rs) !== hashOf(current))
  const byRevision = [...others].sort((a, b) => revisionOf(b) - revisionOf(a))
  if (lastKnownGood?.revision) {
    const rs = byRevision.find(r => String(revisionOf(r)) === lastKnownGood.revision)
    if (rs) return { rs, why: `last known-good revision ${lastKnownGood.revision} (state record)` }
  }
  if (lastKnownGood?.image) {
    const rs = byRevision.find(r =>
      imagesOf(podTemplateOf(r)).includes(lastKnownGood.image as string)
    )
    if (rs) return { rs, why: `last known-good image ${lastKnownGood.image} (state record)` }
  }
  const below = byRevision.filter(r => revisionOf(r) < revisionOf(current))
  // Code rollback means other code: a revision that only differs by an annotation (a restart)
  // runs the same images, so the newest earlier revision with other images is preferred.
  const images = imagesOf(podTemplateOf(current)).join(',')
  const otherCode = below.find(r => imagesOf(podTemplateOf(r)).join(',') !== images)
  if (otherCode)
    return {
      rs: otherCode,
      why: `the newest revision before ${revisionOf(current)} with other images`
    }
  const rs = below[0]
  return rs ? { rs, why: `the revision before ${revisionOf(current)}` } : undefined
}

async function undoDeployment(run: LevelRun, ref: ObjectRef): Promise<LevelOutcome> {
  const { ctx, cluster } = run
  const dep = await cluster.get(ref)
  if (!dep) return { ok: false, message: `${describeRef(ref)} not found` }
  const selector = labelSelectorOf(dep)
  const listRs = async (d: KubeObject): Promise<KubeObject[]> =>
    (
      await cluster.list('apps/v1', 'ReplicaSet', {
        namespace: ref.namespace,
        labelSelector: selector
      })
    ).items.filter(rs => ownedBy(rs, d))
  const owned = await listRs(dep)
  const current = currentReplicaSet(dep, owned)
  const index = await run.record.readIndex().catch(() => undefined)
  const key = `${ref.kind}/${ref.name}`
  const lkg = index?.lastKnownGood
  const pick = pickRevision(owned, current, {
    image: lkg?.images?.[key],
    revision: lkg?.revisions?.[key]
  })
  const from = {
    revision: revisionOf(current),
    hash: hashOf(current),
    images: imagesOf(podTemplateOf(current) ?? podTemplateOf(dep))
  }
  if (!pick)
    return {
      ok: false,
      message: `${describeRef(ref)} has no earlier ReplicaSet to go back to (revision ${from.revision} is the only one kept)`,
      adjustment:
        'keep history (spec.revisionHistoryLimit > 0), or give this level a helm release or a command',
      data: { from }
    }
  const target = pick.rs
  const to = {
    revision: revisionOf(target),
    hash: hashOf(target),
    images: imagesOf(podTemplateOf(target))
  }
  const template = structuredClone(podTemplateOf(target) ?? {}) as {
    metadata?: { labels?: Record<string, string> }
  }
  if (template.metadata?.labels) delete template.metadata.labels[HASH]

  for (let attempt = 0; ; attempt++) {
    const live = (await cluster.get(ref)) as KubeObject
    const next = { ...live, spec: { ...(live.spec as Record<string, unknown>), template } }
    try {
      await cluster.replace(next, { dryRun: ctx.settings.dryRun })
      break
    } catch (err) {
      if (!(err instanceof KubeApiError && err.status === 409) || attempt >= 5) throw err
    }
  }
  if (ctx.settings.dryRun)
    return {
      ok: true,
      message: `dry run: the server accepts ${describeRef(ref)} back on revision ${to.revision} (${to.images.join(', ')}), chosen as ${pick.why}`,
      data: { from, to }
    }

  const w = await waitForObjects(cluster, [ref], {
    timeoutMs: Math.max(0, run.deadline - ctx.clock.now()),
    clock: ctx.clock,
    signal: ctx.signal,
    failFast: true
  })
  const after = await cluster.get(ref)
  const ownedAfter = after ? await listRs(after) : []
  const cur = after ? currentReplicaSet(after, ownedAfter) : undefined
  const pods = after
    ? currentPods(
        after,
        (await cluster.list('v1', 'Pod', { namespace: ref.namespace, labelSelector: selector }))
          .items,
        ownedAfter
      )
    : []
  const readyPods = pods.filter(p =>
    (
      (p.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ??
      []
    ).some(c => c.type === 'Ready' && c.status === 'True')
  )
  const now = { revision: revisionOf(cur), hash: hashOf(cur), images: imagesOf(podTemplateOf(cur)) }
  const problems: string[] = []
  if (w.result !== 'done') problems.push(w.message)
  if (now.hash !== to.hash)
    problems.push(
      `its current ReplicaSet has pod-template-hash ${now.hash ?? 'none'}, not ${to.hash}`
    )
  if (now.images.join(',') !== to.images.join(','))
    problems.push(`it runs ${now.images.join(', ')}, not ${to.images.join(', ')}`)
  if (pods.some(p => hashOf(p) !== to.hash))
    problems.push('some current pods are on another template')
  const data = {
    from,
    to,
    now,
    chosen: pick.why,
    pods: { current: pods.length, ready: readyPods.length }
  }
  if (problems.length)
    return {
      ok: false,
      message: `${describeRef(ref)} not verified back on revision ${to.revision}: ${problems.join('; ')}`,
      evidence: await collectEvidence(cluster, ref).then(
        formatEvidence,
        e => `evidence unavailable: ${errorMessage(e)}`
      ),
      data
    }
  return {
    ok: true,
    message: `${describeRef(ref)} back on the template of revision ${to.revision} (${to.images.join(', ')}, pod-template-hash ${to.hash}; now revision ${now.revision}), was revision ${from.revision} (${from.images.join(', ')}); ${readyPods.length} of ${pods.length} pods ready, in ${formatDuration(w.durationMs)} after the undo; chosen as ${pick.why}`,
    data
  }
}

/** The code level: the workload or Helm release back to its last known-good revision. */
export const codeLevel = {
  name: 'code',
  defaultBudgetMs: 15 * 60_000,
  schema: {
    target: {
      title: 'Target',
      description: 'code: the workload undone to its last known-good revision.',
      $ref: '#/$defs/workloadRef'
    },
    helm: {
      title: 'Helm',
      description: 'code: a Helm release rolled back to its last known-good revision.',
      type: 'object',
      required: ['release'],
      properties: {
        release: {
          title: 'Release',
          description: 'Name of the Helm release.',
          type: 'string',
          minLength: 1
        }
      },
      additionalProperties: false
    },
    command: COMMAND_PROPERTY
  },
  lint: spec =>
    spec.target === undefined && spec.helm === undefined
      ? 'level code needs a target workload or a helm release to undo'
      : undefined,
  refuse: refuseAfterMigration,
  run: runCodeLevel,
  wording: {
    plan: l =>
      l.helm
        ? `helm rollback ${l.helm.release} to the last known-good revision`
        : l.command
          ? `run ${l.command.run.join(' ')}`
          : `undo ${l.target ? `${l.target.kind} ${l.target.name}` : 'the workload'} to the last known-good revision, verified by image and revision`,
    runbook: l =>
      l.helm
        ? `rolls Helm release ${l.helm.release} back to its previous revision`
        : l.command
          ? `runs ${code(l.command.run.join(' '))}`
          : `undoes ${l.target ? `${l.target.kind} ${l.target.name}` : 'the workload'} to its last known-good revision (\`phase-gate history\`), verified by image and revision`
  },
  runbook(l, { kubectl: k, namespace, budgetMs, plan }) {
    const x = l.target && kubectlWorkload(l.target.kind, l.target.name)
    const commands = l.helm
      ? [
          `helm -n ${shq(namespace)} rollback ${shq(l.helm.release)}`,
          `helm -n ${shq(namespace)} history ${shq(l.helm.release)} --max 5`
        ]
      : x
        ? [
            `${k} rollout undo ${x}`,
            `${k} rollout status ${x} --timeout=${Math.round(budgetMs / 1000)}s`
          ]
        : []
    const frozen = (plan.phases ?? []).some(p => p.migration && !hasDown(p.migration))
    return {
      byHand: commands.length
        ? {
            why: 'By hand, when phase-gate cannot run (this goes to the previous revision, not necessarily the last known-good one):',
            commands
          }
        : undefined,
      notes: frozen
        ? [
            'A phase runs a migration without a down step: phase-gate refuses code rollback after it and offers the flag and config levels.'
          ]
        : undefined
    }
  }
} satisfies Level<'code'>

/** Code rollback refused while the old code cannot run on the migrated schema, offering the plan's other levels. */
async function refuseAfterMigration(
  ctx: LevelContext,
  record: StateRecord
): Promise<LevelOutcome | undefined> {
  const frozen = await migrationFreeze(ctx, record)
  if (!frozen) return undefined
  const others = (ctx.loaded.plan.rollbackLevels ?? [])
    .filter(l => l.level !== 'code')
    .map(l => l.level)
  return {
    ok: false,
    message: `code rollback refused: ${frozen}`,
    adjustment: others.length
      ? `the old code cannot run on the migrated schema; use --level ${others.join(' or --level ')} instead, or roll the migration forward`
      : 'the old code cannot run on the migrated schema; add a flag or config rollback level, or roll the migration forward',
    data: { refused: true, reason: frozen, offered: others }
  }
}

/**
 * Why code rollback must not run, if it must not: a phase of the deployed
 * run has a migration without a down step, or a migration check of this
 * deployment found the migration irreversible.
 */
export async function migrationFreeze(
  ctx: LevelContext,
  record: StateRecord
): Promise<string | undefined> {
  const index = await record.readIndex().catch(() => undefined)
  const run = index?.runs.find(r => r.runId === ctx.runId) ?? index?.runs[index.runs.length - 1]
  const ranPhases = new Set(run?.phases ?? [])
  for (const phase of ctx.loaded.plan.phases ?? []) {
    if (!phase.migration || !ranPhases.has(phase.name)) continue
    if (!hasDown(phase.migration))
      return `phase ${phase.name} ran a migration (${describeMigrationRun(phase.migration, 'up')}) that has no down step`
  }
  for (const report of ctx.earlier) {
    for (const gate of report.gates) {
      for (const c of gate.checks) {
        if (c.kind !== 'migration' || c.data?.reversible !== false || c.verdict === 'cancelled')
          continue
        // A failing `up` migrated nothing; only a failing down (or up after down) is irreversible.
        const steps = (c.data.steps ?? []) as {
          step?: string
          exitCode?: number
          timedOut?: boolean
        }[]
        const failed = steps.find(st => st.exitCode !== 0 || st.timedOut)
        if (failed?.step === 'up') continue
        return `the migration check ${c.target} found the migration irreversible (${c.message})`
      }
    }
  }
  return undefined
}
