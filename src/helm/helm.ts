/**
 * The `helm` binary through the one exec seam: upgrade --install without
 * `--wait` (readiness is ours), history and manifests as data, rollback and
 * uninstall. Every call names the kubeconfig and context of the run and the
 * release namespace, so helm talks to the cluster the gate talks to.
 */

import { formatDuration } from '../core/duration.js'
import type { Exec, ExecResult } from '../core/exec.js'
import { redact } from '../core/secrets.js'

/** One revision of `helm history -o json`. */
export interface HelmRevision {
  revision: number
  updated: string
  /** deployed, superseded, failed, pending-install, pending-upgrade, pending-rollback, uninstalling ... */
  status: string
  chart: string
  app_version: string
  description: string
}

/** A helm command failed. */
export class HelmError extends Error {
  constructor(
    message: string,
    readonly argv: string[],
    readonly result: ExecResult
  ) {
    super(message)
    this.name = 'HelmError'
  }
}

/** How helm reaches the cluster. */
export interface HelmOptions {
  exec: Exec
  /** Release namespace. */
  namespace: string
  /** The helm binary; default `helm` on PATH. */
  binary?: string
  kubeconfig?: string
  context?: string
  /** Environment for helm (HELM_* settings). */
  env?: Record<string, string>
  signal?: AbortSignal
}

/** What an install or upgrade gets besides the release and chart. */
export interface UpgradeOptions {
  version?: string
  /** Values files in order (the plan's inline values last). */
  valuesFiles: string[]
  /** `--set KEY=VALUE` from the run's overrides (after the values files, so they win). */
  set?: string[]
  /** `--post-renderer` and its args. */
  postRenderer?: { executable: string; args: string[] }
  /** Bounds hooks (`--timeout`) and the helm process. */
  timeoutMs: number
  /** `--dry-run=server`: render and validate against the cluster, change nothing. */
  dryRun?: boolean
}

/** Statuses of a release another helm operation left unfinished. */
export const PENDING_STATUSES = new Set(['pending-install', 'pending-upgrade', 'pending-rollback'])

/** A helm client for one namespace. */
export class Helm {
  constructor(readonly opts: HelmOptions) {}

  private common(): string[] {
    const out = ['--namespace', this.opts.namespace]
    if (this.opts.kubeconfig) out.push('--kubeconfig', this.opts.kubeconfig)
    if (this.opts.context) out.push('--kube-context', this.opts.context)
    return out
  }

  /** Runs helm; resolves with the result or throws HelmError naming the command and its stderr. */
  async run(args: string[], timeoutMs = 120_000): Promise<ExecResult> {
    const argv = [this.opts.binary ?? 'helm', ...args, ...this.common()]
    const r = await this.opts.exec.run(argv, {
      timeoutMs,
      env: this.opts.env,
      signal: this.opts.signal
    })
    if (r.exitCode !== 0 || r.timedOut || r.spawnError) {
      const why = r.spawnError
        ? `could not start helm: ${r.spawnError}`
        : r.timedOut
          ? `timed out after ${formatDuration(timeoutMs)}`
          : (r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')
      throw new HelmError(redact(`helm ${args.slice(0, 2).join(' ')} failed: ${why}`), argv, r)
    }
    return r
  }

  /** The release's revisions, oldest first; [] when the release does not exist. */
  async history(release: string): Promise<HelmRevision[]> {
    try {
      const r = await this.run(['history', release, '--max', '256', '-o', 'json'])
      const parsed = JSON.parse(r.stdout || '[]') as HelmRevision[]
      return parsed.sort((a, b) => a.revision - b.revision)
    } catch (err) {
      if (err instanceof HelmError && /release: not found/.test(err.result.stderr)) return []
      throw err
    }
  }

  /** The rendered manifest of a revision (the current one when none is given). */
  async manifest(release: string, revision?: number): Promise<string> {
    const args = ['get', 'manifest', release]
    if (revision !== undefined) args.push('--revision', String(revision))
    return (await this.run(args)).stdout
  }

  /** `helm upgrade --install` without `--wait`. */
  async upgradeInstall(release: string, chart: string, o: UpgradeOptions): Promise<ExecResult> {
    const args = ['upgrade', '--install', release, chart]
    if (o.version) args.push('--version', o.version)
    for (const f of o.valuesFiles) args.push('--values', f)
    for (const v of o.set ?? []) args.push('--set', v)
    if (o.postRenderer) {
      args.push('--post-renderer', o.postRenderer.executable)
      for (const a of o.postRenderer.args) args.push('--post-renderer-args', a)
    }
    args.push('--timeout', `${Math.max(1, Math.round(o.timeoutMs / 1000))}s`)
    if (o.dryRun) args.push('--dry-run=server')
    return this.run(args, o.timeoutMs + 30_000)
  }

  /** `helm template` with the same chart and values (what the release would render). */
  async template(
    release: string,
    chart: string,
    o: Omit<UpgradeOptions, 'timeoutMs' | 'dryRun'>
  ): Promise<string> {
    const args = ['template', release, chart]
    if (o.version) args.push('--version', o.version)
    for (const f of o.valuesFiles) args.push('--values', f)
    for (const v of o.set ?? []) args.push('--set', v)
    return (await this.run(args)).stdout
  }

  /** `helm rollback <release> <revision>` without `--wait` (readiness is verified by the caller). */
  async rollback(release: string, revision: number, timeoutMs: number): Promise<ExecResult> {
    return this.run(
      [
        'rollback',
        release,
        String(revision),
        '--timeout',
        `${Math.max(1, Math.round(timeoutMs / 1000))}s`
      ],
      timeoutMs + 30_000
    )
  }

  /** `helm uninstall` (a failed first install has no revision to go back to). */
  async uninstall(release: string, timeoutMs: number): Promise<ExecResult> {
    return this.run(
      ['uninstall', release, '--timeout', `${Math.max(1, Math.round(timeoutMs / 1000))}s`],
      timeoutMs + 30_000
    )
  }
}

/** The revision a rollback goes back to: the newest before `current` that was deployed (superseded now). */
export function previousGoodRevision(
  history: HelmRevision[],
  current: number
): HelmRevision | undefined {
  return [...history]
    .filter(h => h.revision < current && (h.status === 'superseded' || h.status === 'deployed'))
    .sort((a, b) => b.revision - a.revision)[0]
}

/** The release's revision now (the newest), if any. */
export function latestRevision(history: HelmRevision[]): HelmRevision | undefined {
  return history.length ? history.reduce((a, b) => (b.revision > a.revision ? b : a)) : undefined
}

/**
 * Words and a command for a release another helm operation left pending
 * (a cancelled job): rollback to the last deployed revision, or uninstall a
 * release that never had one.
 */
export function stuckReleaseAdvice(
  release: string,
  namespace: string,
  history: HelmRevision[]
): { message: string; command: string } | undefined {
  const latest = latestRevision(history)
  if (!latest || !PENDING_STATUSES.has(latest.status)) return undefined
  const good = previousGoodRevision(history, latest.revision)
  const command = good
    ? `helm rollback ${release} ${good.revision} --namespace ${namespace}`
    : `helm uninstall ${release} --namespace ${namespace}`
  return {
    message: `release ${release} is stuck in ${latest.status} at revision ${latest.revision} (${latest.description || 'an interrupted helm operation'}); helm refuses another operation until it is freed`,
    command
  }
}

/** The history as report rows. */
export function historyRows(history: HelmRevision[]): Record<string, unknown>[] {
  return history.map(h => ({
    revision: h.revision,
    status: h.status,
    chart: h.chart,
    appVersion: h.app_version,
    updated: h.updated,
    description: h.description
  }))
}
