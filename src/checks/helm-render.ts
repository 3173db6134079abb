/**
 * Helm phases in the reality check: `helm lint` and `helm template` with the plan's values (and
 * this cluster's version and API versions as the chart's Capabilities), the rendered objects fed
 * into the manifests every other kind checks (dry-run, derived permissions, divergence, hygiene),
 * each pointing at its chart template (`# Source:`). Templates that hard-code an image or a
 * namespace are named too: values should carry those.
 */

import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, resolve, sep } from 'node:path'
import { parse } from 'yaml'
import { helmValuesFiles } from '../helm/values.js'
import { errorMessage } from '../core/errors.js'
import { Helm, HelmError } from '../helm/helm.js'
import { joinApiVersion, type ApiSurface } from '../kube/types.js'
import { parseManifests, type LoadedManifest } from '../plan/manifests.js'
import type { HelmSpec, LoadedPlan } from '../plan/types.js'
import type { CheckResult } from '../report/model.js'
import { checkResult } from './result.js'
import { helmSetsFor, withOverrides } from '../render/overrides.js'
import type { AssumptionCheck, RealityContext } from './types.js'

const KIND = 'helm'

/** What rendering the plan's Helm phases gave: objects for the other kinds, results for this one. */
export interface HelmRendering {
  manifests: LoadedManifest[]
  results: CheckResult[]
  /** The rendered objects of each Helm phase, by phase name (the approver's diff). */
  byPhase?: Record<string, LoadedManifest[]>
}

type RenderInput = Pick<
  RealityContext,
  'loaded' | 'settings' | 'namespace' | 'exec' | 'surface' | 'cluster' | 'signal'
>

const cache = new WeakMap<LoadedPlan, Promise<HelmRendering>>()

/** True when the plan deploys a chart in some phase. */
export function hasHelmPhases(loaded: LoadedPlan): boolean {
  return (loaded.plan.phases ?? []).some(p => p.helm !== undefined)
}

/** Renders the plan's Helm phases once per loaded plan (the hook and the check share it). */
export function renderHelmPhases(input: RenderInput): Promise<HelmRendering> {
  let p = cache.get(input.loaded)
  if (!p) {
    p = render(input)
    cache.set(input.loaded, p)
  }
  return p
}

/**
 * The reality check's hook: appends the rendered chart objects to `rc.manifests` before the
 * kinds run, so Helm output is checked like any manifest.
 */
export async function appendRenderedHelm(rc: RealityContext): Promise<void> {
  if (!hasHelmPhases(rc.loaded)) return
  rc.manifests.push(...(await renderHelmPhases(rc)).manifests)
}

/** A local chart directory (relative to the plan), or undefined for repository and OCI references. */
export async function localChart(loaded: LoadedPlan, chart: string): Promise<string | undefined> {
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(chart)) return undefined
  const dir = resolve(loaded.dir, chart)
  return stat(dir).then(
    s => (s.isDirectory() ? dir : undefined),
    () => undefined
  )
}

/**
 * Where a rendered object came from: `<chart>/templates/x.yaml` from `# Source:` mapped to the
 * file in the repository (the chart name is the first segment; subcharts keep `charts/<name>/`).
 */
export function templateFile(source: string, chartDir: string, workspace: string): string {
  const inChart = source.split('/').slice(1).join(sep)
  return relative(workspace, join(chartDir, inChart)) || source
}

/** The line of the template where an object of this kind starts (`kind: X`), else 1. */
export function templateLine(text: string, kind: string): number {
  const lines = text.split('\n')
  const re = new RegExp(`^\\s*kind:\\s*["']?${kind}["']?\\s*(#.*)?$`)
  const i = lines.findIndex(l => re.test(l))
  return i < 0 ? 1 : i + 1
}

/** Lint output lines by level. */
export function parseLint(output: string): { errors: string[]; warnings: string[] } {
  const lines = output.split('\n').map(l => l.trim())
  return {
    errors: lines.filter(l => l.startsWith('[ERROR]')),
    warnings: lines.filter(l => l.startsWith('[WARNING]'))
  }
}

/** Template lines that hard-code what values should carry: an image or a namespace. */
export function hardCodedValues(text: string): { line: number; what: string; text: string }[] {
  const out: { line: number; what: string; text: string }[] = []
  text.split('\n').forEach((l, i) => {
    if (/^\s*#/.test(l) || l.includes('{{')) return
    const m = /^\s*-?\s*(image|namespace):\s*["']?([^\s"'#]+)/.exec(l)
    if (m) out.push({ line: i + 1, what: m[1], text: l.trim() })
  })
  return out
}

/** The `version` of a chart directory's Chart.yaml, or undefined when it cannot be read. */
export async function localChartVersion(chartDir: string): Promise<string | undefined> {
  const text = await readFile(join(chartDir, 'Chart.yaml'), 'utf8').catch(() => undefined)
  if (text === undefined) return undefined
  const v = (parse(text) as { version?: unknown } | null)?.version
  return v === undefined || v === null ? undefined : String(v)
}

/** `--api-versions` for every served group/version and group/version/Kind, as `helm install` would see them. */
export function apiVersionFlags(surface: ApiSurface): string[] {
  const seen = new Set<string>()
  for (const r of surface.resources) {
    const gv = joinApiVersion(r.group, r.version)
    seen.add(gv)
    seen.add(`${gv}/${r.kind}`)
  }
  return [...seen].sort().flatMap(v => ['--api-versions', v])
}

async function templatesOf(chartDir: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = join(dir, e.name)
      if (e.isDirectory()) await walk(p)
      else if (/\.(ya?ml|tpl)$/.test(e.name)) out.push(p)
    }
  }
  await walk(join(chartDir, 'templates'))
  return out.sort()
}

async function render(input: RenderInput): Promise<HelmRendering> {
  const { loaded } = input
  const manifests: LoadedManifest[] = []
  const results: CheckResult[] = []
  const byPhase: Record<string, LoadedManifest[]> = {}
  let kubeVersion: string | undefined
  try {
    kubeVersion = (await input.cluster.version()).gitVersion
  } catch {
    // Without the server's version helm renders for its own default; the dry-run still judges.
  }
  const phases = (loaded.plan.phases ?? [])
    .map((phase, index) => ({ phase, index }))
    .filter(
      (p): p is { phase: typeof p.phase & { helm: HelmSpec }; index: number } =>
        p.phase.helm !== undefined
    )
  for (const { phase, index } of phases) {
    const spec = phase.helm
    const location = loaded.locate(['phases', index, 'helm'])
    const namespace = spec.namespace ?? input.namespace
    const helm = new Helm({ exec: input.exec, namespace, signal: input.signal })
    const chartDir = await localChart(loaded, spec.chart)
    const chart = chartDir ?? spec.chart
    const what = `release ${spec.release} (phase ${phase.name})`
    const tmp = await mkdtemp(join(tmpdir(), 'phase-gate-helm-'))
    try {
      const values = await helmValuesFiles(loaded.dir, spec, tmp)
      const valueFlags = values.flatMap(f => ['--values', f])

      const pin = await chartVersionResult(input, spec, chartDir, what, index)
      if (pin) results.push(pin)
      await lintResults(input, helm, chartDir, valueFlags, spec, what, location, results)
      const released = await templateResults(
        input,
        { helm, chart, chartDir, valueFlags, spec, what, location, phase: phase.name },
        kubeVersion,
        manifests,
        results
      )
      if (released) byPhase[phase.name] = released
    } catch (err) {
      results.push(
        checkResult(KIND, `template ${spec.release}`, {
          verdict: 'error',
          message: `could not render ${what}: ${errorMessage(err)}`,
          location
        })
      )
    } finally {
      await rm(tmp, { recursive: true, force: true })
    }
  }
  return { manifests, results, byPhase }
}

type HelmPhaseSpec = HelmSpec

/** One release being rendered. */
interface ReleaseRun {
  helm: Helm
  chart: string
  chartDir: string | undefined
  valueFlags: string[]
  spec: HelmPhaseSpec
  what: string
  location: CheckResult['location']
  /** The phase's name, for its `--set PHASE.KEY=VALUE` overrides. */
  phase: string
}

/**
 * helm ignores --version for a chart directory: a pin the local chart does not
 * have would pass unseen. A failed check naming both versions, or undefined.
 */
async function chartVersionResult(
  input: RenderInput,
  spec: HelmPhaseSpec,
  chartDir: string | undefined,
  what: string,
  index: number
): Promise<CheckResult | undefined> {
  if (!chartDir || spec.version === undefined) return undefined
  const chartVersion = await localChartVersion(chartDir)
  if (chartVersion === undefined || chartVersion === String(spec.version)) return undefined
  return checkResult(KIND, `version ${spec.release}`, {
    verdict: 'fail',
    severity: 'high',
    message: `${what} pins chart version ${spec.version}, but the local chart ${relative(input.settings.workspace, chartDir) || chartDir} is version ${chartVersion} (its Chart.yaml): helm would install ${chartVersion} without a word`,
    adjustment: `set phases[${index}].helm.version to ${chartVersion}, or put chart version ${spec.version} at ${spec.chart}`,
    location: input.loaded.locate(['phases', index, 'helm', 'version']),
    data: { pinned: String(spec.version), chart: chartVersion }
  })
}

/** `helm lint` of a chart directory in the repository and its hard-coded images and namespaces. */
async function lintResults(
  input: RenderInput,
  helm: Helm,
  chartDir: string | undefined,
  valueFlags: string[],
  spec: HelmPhaseSpec,
  what: string,
  location: CheckResult['location'],
  results: CheckResult[]
): Promise<void> {
  if (chartDir) {
    try {
      const r = await helm.run(['lint', chartDir, ...valueFlags])
      const { warnings } = parseLint(r.stdout)
      results.push(
        checkResult(KIND, `lint ${spec.release}`, {
          verdict: warnings.length ? 'warn' : 'pass',
          severity: warnings.length ? 'low' : 'info',
          message: warnings.length
            ? `helm lint of ${what} passes with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`
            : `helm lint of ${what} passes`,
          evidence: warnings.join('\n') || undefined,
          location
        })
      )
    } catch (err) {
      const out = err instanceof HelmError ? `${err.result.stdout}\n${err.result.stderr}` : ''
      const { errors } = parseLint(out)
      results.push(
        checkResult(KIND, `lint ${spec.release}`, {
          verdict: 'fail',
          severity: 'high',
          message: `helm lint of ${what} fails${errors.length ? `: ${errors[0]}` : ''}`,
          evidence: (errors.join('\n') || errorMessage(err)).slice(0, 4000),
          adjustment: 'fix the chart (the lines name the template); the release would not install',
          location
        })
      )
    }
    for (const file of await templatesOf(chartDir)) {
      const found = hardCodedValues(await readFile(file, 'utf8'))
      for (const f of found)
        results.push(
          checkResult(KIND, `values ${relative(input.settings.workspace, file)}:${f.line}`, {
            verdict: 'warn',
            severity: 'low',
            message: `${relative(input.settings.workspace, file)}:${f.line} hard-codes ${f.what === 'image' ? 'an image' : 'a namespace'} (${f.text}): the chart's values cannot change it`,
            adjustment:
              f.what === 'image'
                ? 'take repository and tag from values ({{ .Values.image.repository }}:{{ .Values.image.tag }})'
                : 'use {{ .Release.Namespace }} so the release namespace applies',
            location: {
              file: relative(input.settings.workspace, file),
              line: f.line,
              column: 1
            }
          })
        )
    }
  } else {
    results.push(
      checkResult(KIND, `lint ${spec.release}`, {
        verdict: 'skip',
        severity: 'info',
        message: `helm lint of ${what} skipped: ${spec.chart} is not a chart directory in the repository; its rendered output is still checked`,
        location
      })
    )
  }
}

/**
 * `helm template` of the release: its objects join the manifests the other
 * checks judge. Returns them, or undefined when the chart did not render.
 */
async function templateResults(
  input: RenderInput,
  release: ReleaseRun,
  kubeVersion: string | undefined,
  manifests: LoadedManifest[],
  results: CheckResult[]
): Promise<LoadedManifest[] | undefined> {
  const { helm, chart, chartDir, valueFlags, spec, what, location } = release
  const args = ['template', spec.release, chart, ...valueFlags, '--include-crds']
  for (const v of helmSetsFor(input.loaded, release.phase)) args.push('--set', v)
  if (spec.version) args.push('--version', spec.version)
  if (kubeVersion) args.push('--kube-version', kubeVersion)
  args.push(...apiVersionFlags(input.surface))
  let text: string
  try {
    text = (await helm.run(args)).stdout
  } catch (err) {
    const detail =
      err instanceof HelmError ? err.result.stderr.trim() || errorMessage(err) : errorMessage(err)
    results.push(
      checkResult(KIND, `template ${spec.release}`, {
        verdict: 'fail',
        severity: 'high',
        message: `helm template of ${what} fails, so its objects cannot be checked`,
        evidence: detail.slice(0, 4000),
        adjustment: 'fix the chart or the values the plan passes',
        location
      })
    )
    return undefined
  }
  const display = `helm template ${spec.release}`
  const firstOfRelease = manifests.length
  const objects = withOverrides(input.loaded, parseManifests(text, display))
  const templateTexts = new Map<string, string>()
  for (const m of objects) {
    if (m.source && chartDir) {
      const file = templateFile(m.source, chartDir, input.settings.workspace)
      if (!templateTexts.has(file))
        templateTexts.set(
          file,
          await readFile(resolve(input.settings.workspace, file), 'utf8').catch(() => '')
        )
      manifests.push({
        ...m,
        file,
        line: templateLine(templateTexts.get(file) ?? '', m.object.kind),
        column: 1
      })
    } else {
      manifests.push({ ...m, file: m.source ? `${spec.chart}: ${m.source}` : display })
    }
  }
  results.push(
    checkResult(KIND, `template ${spec.release}`, {
      verdict: 'pass',
      message: `helm template of ${what} renders ${objects.length} object${objects.length === 1 ? '' : 's'}; they go through the dry-run, permissions, divergence and hygiene checks`,
      evidence:
        objects
          .map(m => `${m.source ?? display}: ${m.object.kind} ${m.object.metadata.name}`)
          .join('\n') || undefined,
      location,
      data: { objects: objects.length, kubeVersion }
    })
  )
  return manifests.slice(firstOfRelease)
}

export const helmRenderCheck: AssumptionCheck<typeof KIND> = {
  kind: KIND,
  applies: ctx => hasHelmPhases(ctx.loaded),
  run: async ctx => (await renderHelmPhases(ctx)).results
}
