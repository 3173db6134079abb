/**
 * Shorthands for metric expectations and rollback triggers, compiled to CEL over `value` (the
 * query result) and `baseline` (the same query on the stable track):
 * `"< 0.5"` is `value < 0.5`, `{above: 5s}` is `value > 5.0`, `{above: 2x baseline}` is
 * `value > 2.0 * baseline`. Numbers are always written as double literals, because metric values
 * are doubles and CEL has no implicit int/double arithmetic.
 */
import { parseDuration } from '../core/duration.js'

const COMPARISON = /^(<=|>=|==|!=|<|>)\s*(.*)$/s
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
const MULTIPLE_OF_BASELINE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?:x|X|×|\*)\s*baseline$/
const PERCENT = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%$/
const STRING_LITERAL = /^(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')$/

const EXPECTATION_FORMS =
  'a comparison with a number, duration, percentage, multiple of baseline or string ' +
  '("< 0.5", ">= 3", "== 200", "< 500ms", "< 2%", "<= 1.5x baseline", "== \'ok\'"), ' +
  'or a CEL expression over value and baseline ("value < 0.5 || baseline == 0.0")'
const THRESHOLD_FORMS =
  'a number (5, 0.5), a duration in seconds (5s, 500ms, 2m), a percentage (2%), ' +
  'or a multiple of the baseline (2x baseline, 1.5x baseline)'

/** A number as a CEL double literal: 5 is `5.0`, 0.02 stays `0.02`, float noise trimmed. */
export function doubleLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`${n} cannot be written as a CEL number`)
  // 15 significant digits trim float noise (0.1 + 0.2); near the double limit they would overflow.
  const trimmed = Number(n.toPrecision(15))
  const text = String(Number.isFinite(trimmed) ? trimmed : n)
  return /[.eE]/.test(text) ? text : `${text}.0`
}

/** The CEL operand for a threshold, or undefined when the text is none of the accepted forms. */
function operand(text: string): string | undefined {
  const t = text.trim()
  if (t === 'baseline') return 'baseline'
  if (NUMBER.test(t)) return doubleLiteral(Number(t))
  const multiple = MULTIPLE_OF_BASELINE.exec(t)
  if (multiple) return `${doubleLiteral(Number(multiple[1]))} * baseline`
  const percent = PERCENT.exec(t)
  if (percent) return doubleLiteral(Number(percent[1]) / 100)
  const negative = t.startsWith('-')
  const ms = parseDuration(negative ? t.slice(1) : t)
  if (ms !== undefined && /[a-z]$/.test(t)) return doubleLiteral(((negative ? -1 : 1) * ms) / 1000)
  return undefined
}

/**
 * An expectation as CEL: `"< 0.5"` → `value < 0.5`, `"< 2x baseline"` → `value < 2.0 * baseline`,
 * `"< 500ms"` → `value < 0.5`; anything not starting with a comparison passes through as CEL.
 */
export function expectationToCel(expect: string): string {
  const text = expect.trim()
  if (text === '')
    throw new Error(`invalid expectation "${expect}": it is empty; write ${EXPECTATION_FORMS}`)
  const comparison = COMPARISON.exec(text)
  if (!comparison) {
    if (/^=[^=]|^=>|^=</.test(text)) {
      throw new Error(
        `invalid expectation "${expect}": '${text.slice(0, 2).trim()}' is not a comparison; write ${EXPECTATION_FORMS}`
      )
    }
    if (NUMBER.test(text) || operand(text) !== undefined) {
      throw new Error(
        `invalid expectation "${expect}": a bare value is not an expectation, add a comparison ("== ${text}", "< ${text}")`
      )
    }
    // Unchanged, so positions in CEL errors match what the user wrote.
    return expect
  }
  const [, op, rest] = comparison
  const right = STRING_LITERAL.test(rest.trim()) ? rest.trim() : operand(rest)
  if (right === undefined)
    throw new Error(
      `invalid expectation "${expect}": "${rest.trim()}" is not a threshold; write ${EXPECTATION_FORMS}`
    )
  return `value ${op} ${right}`
}

/** A rollback trigger's condition. */
export interface TriggerThreshold {
  above?: string | number
  below?: string | number
  cel?: string
}

function threshold(name: 'above' | 'below', v: string | number): string {
  if (typeof v === 'number') return doubleLiteral(v)
  const right = operand(v)
  if (right === undefined)
    throw new Error(`invalid trigger ${name}: "${v}" is not a threshold; write ${THRESHOLD_FORMS}`)
  return right
}

/**
 * A trigger as CEL that is true when the trigger fires: `{above: 5s}` → `value > 5.0`,
 * `{above: 2x baseline}` → `value > 2.0 * baseline`, `{below: 1}` → `value < 1.0`; with both
 * bounds it fires outside the band; `{cel}` passes through.
 */
export function triggerToCel(trigger: TriggerThreshold): string {
  const { above, below, cel } = trigger
  if (cel !== undefined) {
    if (above !== undefined || below !== undefined)
      throw new Error('invalid trigger: give either cel or above/below, not both')
    if (cel.trim() === '') throw new Error('invalid trigger: cel is empty')
    return cel
  }
  const parts: string[] = []
  if (above !== undefined) parts.push(`value > ${threshold('above', above)}`)
  if (below !== undefined) parts.push(`value < ${threshold('below', below)}`)
  if (parts.length === 0)
    throw new Error(
      `invalid trigger: give above, below or cel; above and below take ${THRESHOLD_FORMS}`
    )
  return parts.join(' || ')
}
