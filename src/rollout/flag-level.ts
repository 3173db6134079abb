/**
 * Rollback level `flag`: turn the feature off. Either a ConfigMap key is
 * set (merge patch) and read back, or a command talks to an external flag
 * service (its exit code is the verification). A ConfigMap key only reaches
 * a pod that reads it as a mounted file: pods that read it through env or a
 * subPath mount keep the old value until they restart, which this level
 * reports as a warning naming them instead of restarting them (restarting
 * is the config level's job, and a flag is meant to act without one).
 */

import { errorMessage } from '../core/errors.js'
import type { KubeObject } from '../kube/types.js'
import { code, shq } from '../report/shell.js'
import { COMMAND_PROPERTY, type Level, type LevelOutcome, type LevelRun } from './level.js'
import { consumersOf, describeWorkload } from './workloads.js'

/** Runs the flag level. */
export async function runFlagLevel({
  ctx,
  cluster,
  spec,
  deadline
}: LevelRun): Promise<LevelOutcome> {
  if (spec.command) {
    const r = await ctx.exec.run(spec.command.run, {
      shell: spec.command.shell,
      cwd: ctx.loaded.dir,
      timeoutMs: Math.max(1000, deadline - ctx.clock.now()),
      signal: ctx.signal,
      env: {
        PHASE_GATE_NAMESPACE: ctx.namespace,
        PHASE_GATE_RUN_ID: ctx.runId,
        PHASE_GATE_LEVEL: 'flag',
        ...(spec.key ? { PHASE_GATE_FLAG_KEY: spec.key } : {}),
        ...(spec.value !== undefined ? { PHASE_GATE_FLAG_VALUE: spec.value } : {})
      }
    })
    const ok = r.exitCode === 0 && !r.timedOut && !r.spawnError
    return {
      ok,
      message: ok
        ? `flag command succeeded (${spec.command.run.join(' ')})`
        : `flag command failed (${r.spawnError ?? (r.timedOut ? 'timed out' : `exit ${r.exitCode}`)}): ${spec.command.run.join(' ')}`,
      evidence: (r.stderr || r.stdout).trim().slice(-2000) || undefined,
      data: { command: spec.command.run, exitCode: r.exitCode }
    }
  }

  const name = spec.configMap as string
  const key = spec.key as string
  const value = spec.value as string
  const ref = { apiVersion: 'v1', kind: 'ConfigMap', name, namespace: ctx.namespace }
  const live = await cluster.get(ref)
  if (!live)
    return {
      ok: false,
      message: `ConfigMap ${name} not found in namespace ${ctx.namespace}`,
      adjustment:
        'create the flags ConfigMap with the deployment, or point rollbackLevels.configMap at the one the application reads'
    }
  const previous = dataOf(live)[key]
  if (ctx.settings.dryRun) {
    await cluster.mergePatch(ref, { data: { [key]: value } }, { dryRun: true })
    return {
      ok: true,
      message: `dry run: the server accepts ${key}=${value} in ConfigMap ${name} (now ${show(previous)})`
    }
  }
  await cluster.mergePatch(ref, { data: { [key]: value } })
  const back = await cluster.get(ref)
  const now = back ? dataOf(back)[key] : undefined
  if (now !== value)
    return {
      ok: false,
      message: `ConfigMap ${name} holds ${key}=${show(now)} after setting it to "${value}"`,
      adjustment:
        'another controller may own the key (check managedFields); set the flag where it is owned'
    }

  const consumers = await consumersOf(cluster, ctx.namespace, { configMaps: [name] }).catch(err => {
    ctx.log.warn(
      `flag level: could not list the workloads reading ConfigMap ${name}: ${errorMessage(err)}`
    )
    return []
  })
  const stale = consumers.filter(c => c.uses.some(u => u.use !== 'volume'))
  const mounted = consumers.filter(c => c.uses.every(u => u.use === 'volume'))
  const parts = [`${key}=${value} in ConfigMap ${name} (was ${show(previous)}), read back`]
  if (mounted.length)
    parts.push(
      `${mounted.map(c => describeWorkload(c.ref)).join(', ')} mount${mounted.length === 1 ? 's' : ''} it as a volume: the kubelet updates the file within its sync period (about a minute)`
    )
  if (stale.length)
    parts.push(
      `${stale.map(c => `${describeWorkload(c.ref)} (${[...new Set(c.uses.map(u => u.use))].join(', ')})`).join(', ')} keep${stale.length === 1 ? 's' : ''} the old value until restarted`
    )
  return {
    ok: true,
    verdict: stale.length ? 'warn' : undefined,
    message: parts.join('; '),
    adjustment: stale.length
      ? 'read the flag from a mounted file (not env or subPath) so it applies without a restart, or use the config level, which restarts what mounts the ConfigMap'
      : undefined,
    data: {
      configMap: name,
      key,
      value,
      previous: previous ?? null,
      consumers: consumers.map(c => ({
        workload: describeWorkload(c.ref),
        uses: c.uses.map(u => u.use)
      })),
      restartNeeded: stale.map(c => describeWorkload(c.ref))
    }
  }
}

function dataOf(obj: KubeObject): Record<string, string> {
  return (obj.data as Record<string, string> | undefined) ?? {}
}

function show(v: string | undefined): string {
  return v === undefined ? 'unset' : `"${v}"`
}

/** The flag level: turn the feature off (a ConfigMap key, or a command). */
export const flagLevel = {
  name: 'flag',
  defaultBudgetMs: 60_000,
  schema: {
    configMap: {
      title: 'ConfigMap',
      description: 'flag: the ConfigMap holding the flag.',
      type: 'string',
      minLength: 1
    },
    key: {
      title: 'Key',
      description: 'flag: the key of the flag in the ConfigMap.',
      type: 'string',
      minLength: 1
    },
    value: {
      title: 'Value',
      description: 'flag: the value that turns the feature off (a string: quote "false").',
      type: 'string'
    },
    command: COMMAND_PROPERTY
  },
  lint(spec) {
    const viaConfigMap = ['configMap', 'key', 'value'] as const
    if (spec.command !== undefined) return undefined
    const missing = viaConfigMap.filter(k => spec[k] === undefined)
    return missing.length
      ? `level flag needs configMap, key and value (missing ${missing.join(', ')}) or a command`
      : undefined
  },
  run: runFlagLevel,
  wording: {
    plan: l =>
      l.command
        ? `run ${l.command.run.join(' ')}`
        : `set ${l.key ?? '?'}=${JSON.stringify(l.value ?? '')} in ConfigMap ${l.configMap ?? '?'} and verify it took effect`,
    runbook: l =>
      l.command
        ? `runs ${code(l.command.run.join(' '))} (the flag service)`
        : `sets ${code(`${l.key}=${l.value}`)} in ConfigMap ${l.configMap} and reads it back`
  },
  runbook(l, { kubectl: k }) {
    if (l.command || !l.configMap || l.key === undefined) return {}
    return {
      byHand: {
        why: 'By hand, when phase-gate cannot run:',
        commands: [
          `${k} patch configmap ${shq(l.configMap)} --type merge -p ${shq(JSON.stringify({ data: { [l.key]: l.value ?? '' } }))}`,
          `${k} get configmap ${shq(l.configMap)} -o ${shq(`jsonpath={.data.${l.key}}`)}`
        ]
      }
    }
  }
} satisfies Level<'flag'>
