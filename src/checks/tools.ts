/**
 * `tools: {kubectl: ">=1.30", helm: ">=3.14"}`: the tools a runbook calls
 * exist on the runner at the needed versions (the environment part of
 * pre-deployment readiness). Each tool is asked its version the way
 * it answers reliably (`kubectl version --client -o json`, `helm version
 * --short`, otherwise `<tool> --version`), and the version is compared with
 * the semver range.
 */

import { errorMessage } from '../core/errors.js'
import type { ExecResult } from '../core/exec.js'
import type { ToolsCheck } from '../plan/types.js'
import { checkResult } from './result.js'
import { tail } from './command.js'
import type { ValidationCheck } from './validation-kind.js'
import { parseRange, parseVersion } from './version-range.js'

type Spec = ToolsCheck['tools']

/** How to ask one tool its version and where the version is in the answer. */
export interface VersionProbe {
  /** Arguments after the tool's name. */
  args: string[]
  /** The version text in the output, or undefined when there is none. */
  parse(stdout: string, stderr: string): string | undefined
}

// A version as tools print it: `v1.30.2`, `3.14.2+g1234`, `go1.22.1`, `16.2`,
// with a pre-release only when it is one (`-rc.1`), not a distro suffix (`-alpine`).
const VERSION_IN_TEXT =
  /(?:^|[^\d.])v?(\d+\.\d+(?:\.\d+)?(?:-(?:alpha|beta|rc|pre)[0-9A-Za-z.]*)?)(?![\d])/

/** The first version number in a tool's output. */
export function firstVersion(text: string): string | undefined {
  return VERSION_IN_TEXT.exec(text)?.[1]
}

function jsonField(text: string, path: string[]): string | undefined {
  try {
    let v: unknown = JSON.parse(text)
    for (const k of path)
      v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined
    return typeof v === 'string' && v ? v : undefined
  } catch {
    return undefined
  }
}

const both = (stdout: string, stderr: string): string => `${stdout}\n${stderr}`

const GENERIC: VersionProbe = { args: ['--version'], parse: (o, e) => firstVersion(both(o, e)) }

/** Tools whose `--version` is missing or misleading, and how to ask them instead. */
export const VERSION_PROBES: Readonly<Record<string, VersionProbe>> = {
  // `kubectl version` without --client also asks the server, which may be down or far away.
  kubectl: {
    args: ['version', '--client', '-o', 'json'],
    parse: o => jsonField(o, ['clientVersion', 'gitVersion']) ?? firstVersion(o)
  },
  oc: {
    args: ['version', '--client', '-o', 'json'],
    parse: o =>
      jsonField(o, ['releaseClientVersion']) ??
      jsonField(o, ['clientVersion', 'gitVersion']) ??
      firstVersion(o)
  },
  helm: { args: ['version', '--short'], parse: (o, e) => firstVersion(both(o, e)) },
  go: { args: ['version'], parse: o => firstVersion(o) },
  kustomize: { args: ['version'], parse: (o, e) => firstVersion(both(o, e)) },
  argocd: { args: ['version', '--client', '--short'], parse: (o, e) => firstVersion(both(o, e)) },
  // java and a few others print their version on stderr.
  java: { args: ['-version'], parse: (o, e) => firstVersion(both(e, o)) }
}

/** The probe for a tool (by its base name, so `/usr/local/bin/helm` is helm). */
export function probeFor(tool: string): VersionProbe {
  const base = tool.split('/').pop() ?? tool
  return VERSION_PROBES[base] ?? GENERIC
}

/** One tool's finding. */
export interface ToolFinding {
  tool: string
  range: string
  command: string
  /** found: version read; missing: not on PATH; unreadable: ran, but no version in its output; bad-range: the range does not parse. */
  outcome: 'ok' | 'too-old' | 'missing' | 'unreadable' | 'bad-range'
  version?: string
  exitCode?: number
  detail?: string
}

const TOOL_TIMEOUT_MS = 30_000

export const toolsCheck: ValidationCheck<'tools'> = {
  key: 'tools',
  target: s => Object.keys(s).join(','),
  async run(spec, ctx, location) {
    const target = Object.keys(spec).join(',')
    const findings = await Promise.all(
      Object.entries(spec).map(async ([tool, range]): Promise<ToolFinding> => {
        const probe = probeFor(tool)
        const command = [tool, ...probe.args].join(' ')
        const matches = parseRange(range)
        if (!matches)
          return {
            tool,
            range,
            command,
            outcome: 'bad-range',
            detail: `the range "${range}" does not parse (write e.g. ">=1.30", "^3.14", ">=1.2 <2")`
          }
        let r: ExecResult
        try {
          // No cwd: a version probe needs none, and a missing directory would read as a missing tool.
          r = await ctx.exec.run([tool, ...probe.args], {
            timeoutMs: TOOL_TIMEOUT_MS,
            signal: ctx.signal
          })
        } catch (err) {
          return { tool, range, command, outcome: 'missing', detail: errorMessage(err) }
        }
        if (r.spawnError) return { tool, range, command, outcome: 'missing', detail: r.spawnError }
        const text = probe.parse(r.stdout, r.stderr)
        const version = text ? parseVersion(text) : undefined
        if (!text || !version) {
          const said = tail(r.stderr || r.stdout, 5)
          return {
            tool,
            range,
            command,
            outcome: 'unreadable',
            exitCode: r.exitCode,
            detail: r.timedOut
              ? `timed out after ${TOOL_TIMEOUT_MS / 1000}s`
              : `exit ${r.exitCode}${said ? `: ${said}` : ', no output'}`
          }
        }
        return {
          tool,
          range,
          command,
          version: text,
          exitCode: r.exitCode,
          outcome: matches(version) ? 'ok' : 'too-old'
        }
      })
    )
    const bad = findings.filter(f => f.outcome !== 'ok')
    const line = (f: ToolFinding): string => {
      switch (f.outcome) {
        case 'ok':
          return `${f.tool} ${f.version} satisfies ${f.range} (${f.command})`
        case 'too-old':
          return `${f.tool} ${f.version} does not satisfy ${f.range} (${f.command})`
        case 'missing':
          return `${f.tool} is not installed or not on PATH (${f.detail})`
        case 'unreadable':
          return `${f.tool}: no version in the output of \`${f.command}\` (${f.detail})`
        case 'bad-range':
          return `${f.tool}: ${f.detail}`
      }
    }
    const fixes = bad
      .filter(f => f.outcome === 'missing' || f.outcome === 'too-old')
      .map(f => `install ${f.tool} ${f.range} on the runner (or put it first on PATH)`)
    return checkResult('tools', target, {
      verdict:
        bad.some(f => f.outcome === 'bad-range') && bad.every(f => f.outcome === 'bad-range')
          ? 'error'
          : bad.length
            ? 'fail'
            : 'pass',
      message: bad.length
        ? bad.map(line).join('; ')
        : `${findings.map(f => `${f.tool} ${f.version}`).join(', ')} satisfy ${findings.map(f => `${f.tool} ${f.range}`).join(', ')}`,
      evidence: findings.map(f => `${f.outcome === 'ok' ? 'ok  ' : 'FAIL'} ${line(f)}`).join('\n'),
      adjustment: fixes.length
        ? fixes.join('; ')
        : bad.length
          ? 'fix the ranges in the plan, or make the tools print their version'
          : undefined,
      data: {
        tools: Object.fromEntries(
          findings.map(f => [
            f.tool,
            { range: f.range, version: f.version, outcome: f.outcome, command: f.command }
          ])
        )
      },
      location
    })
  },
  describe: {
    plan: t => `tools: ${toolList(t)}`,
    runbook: t => `tools at the needed versions: ${toolList(t)}`
  }
}

function toolList(t: Spec): string {
  return Object.entries(t)
    .map(([n, v]) => `${n} ${v}`)
    .join(', ')
}
