/** Durations as plans write them: `500ms`, `30s`, `5m`, `1h30m`, `2d`. */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000
}

const DURATION = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d))+$/
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g

/** Milliseconds of a duration string, or undefined when it is not one. A bare number is seconds. */
export function parseDuration(text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text * 1000 : undefined
  const s = text.trim()
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000
  if (!DURATION.test(s)) return undefined
  let ms = 0
  for (const m of s.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]]
  return ms
}

/** Like parseDuration, but throws on an invalid value (the plan was linted before). */
export function durationMs(text: string | number | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs
  const ms = parseDuration(text)
  if (ms === undefined) throw new Error(`invalid duration "${text}"`)
  return ms
}

/** A human form of milliseconds: `850ms`, `12.3s`, `4m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`
  const totalS = Math.round(ms / 1000)
  if (totalS < 3600) return `${Math.floor(totalS / 60)}m${String(totalS % 60).padStart(2, '0')}s`
  const totalM = Math.round(totalS / 60)
  return `${Math.floor(totalM / 60)}h${String(totalM % 60).padStart(2, '0')}m`
}
