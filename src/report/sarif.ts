/**
 * SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`):
 * plan lint problems, hygiene findings and divergence findings, each with its
 * file, line and a stable rule id. Rendered from the lint problems and the
 * result model; nothing here talks to a cluster.
 */

import { redact } from '../core/secrets.js'
import type { Problem } from '../plan/lint.js'
import { VERSION } from '../version.js'
import type { CheckResult, RunReport, SourceLocation } from './model.js'

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json'

/** The check kinds whose findings go into SARIF besides lint problems. */
export const SARIF_CHECK_KINDS: ReadonlySet<string> = new Set(['hygiene', 'divergence'])

type Level = 'error' | 'warning' | 'note'

interface Finding {
  ruleId: string
  ruleText: string
  level: Level
  message: string
  location: SourceLocation
}

/** A lint problem's rule id: `lint/` and its field path without indices (`lint/rollout.rollbackIf.metric`). */
export function lintRuleId(p: Pick<Problem, 'path'>): string {
  const path = p.path.replace(/\[\d+\]/g, '').replace(/^\.+|\.+$/g, '')
  return `lint/${path || 'plan'}`
}

/** A hygiene or divergence finding's rule id: `hygiene/<rule>` or `divergence/<what>`. */
export function checkRuleId(c: CheckResult): string {
  if (c.kind === 'hygiene') {
    const rule = typeof c.data?.rule === 'string' ? c.data.rule : 'config'
    return `hygiene/${rule}`
  }
  return `${c.kind}/${c.target.split(' ')[0] || 'finding'}`
}

/** Problems a loader error carries as `file:line:col: path: message` strings, back into lint problems. */
export function problemsFromStrings(lines: readonly string[]): Problem[] {
  const out: Problem[] = []
  for (const l of lines) {
    const m = /^(.*?):(\d+):(\d+): (?:([^\s:]+): )?(.*)$/.exec(l)
    if (!m) continue
    out.push({
      severity: 'error',
      location: { file: m[1], line: Number(m[2]), column: Number(m[3]) },
      path: m[4] ?? '',
      message: m[5]
    })
  }
  return out
}

/** The SARIF log for lint problems and (for `check`) the run's hygiene and divergence findings. */
export function renderSarif(input: { problems?: readonly Problem[]; report?: RunReport }): object {
  const findings: Finding[] = []
  for (const p of input.problems ?? [])
    findings.push({
      ruleId: lintRuleId(p),
      ruleText: `plan lint: ${lintRuleId(p).slice('lint/'.length)}`,
      level: p.severity === 'error' ? 'error' : 'warning',
      message: `${p.path ? `${p.path}: ` : ''}${p.message}`,
      location: p.location
    })
  for (const g of input.report?.gates ?? [])
    for (const c of g.checks) {
      if (!SARIF_CHECK_KINDS.has(c.kind) || !c.location) continue
      const level: Level | undefined =
        c.verdict === 'fail' || c.verdict === 'error'
          ? 'error'
          : c.verdict === 'warn'
            ? 'warning'
            : undefined
      if (!level) continue
      findings.push({
        ruleId: checkRuleId(c),
        ruleText: `${c.kind} ${checkRuleId(c).split('/')[1]}`,
        level,
        message: [c.message, c.adjustment ? `What to do: ${c.adjustment}` : '']
          .filter(Boolean)
          .join('\n'),
        location: c.location
      })
    }
  const rules: { id: string; shortDescription: { text: string } }[] = []
  const index = new Map<string, number>()
  for (const f of findings)
    if (!index.has(f.ruleId)) {
      index.set(f.ruleId, rules.length)
      rules.push({ id: f.ruleId, shortDescription: { text: f.ruleText } })
    }
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'phase-gate',
            version: VERSION,
            informationUri: 'https://github.com/phase-gate/phase-gate',
            rules
          }
        },
        results: findings.map(f => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId),
          level: f.level,
          message: { text: redact(f.message) },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(f.location.file), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: Math.max(1, f.location.line),
                  startColumn: Math.max(1, f.location.column || 1)
                }
              },
              ...(f.location.path
                ? { logicalLocations: [{ fullyQualifiedName: f.location.path }] }
                : {})
            }
          ]
        }))
      }
    ]
  }
}

/** A repository-relative path as a URI reference (forward slashes, each segment escaped). */
function toUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map(s => encodeURIComponent(s))
    .join('/')
}
