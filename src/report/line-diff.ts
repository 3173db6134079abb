/**
 * A unified diff of two texts, line by line: Myers' O(ND) shortest edit
 * script, then hunks with three lines of context, as `diff -u` prints them.
 * Small and pure, so the approver's diff needs no dependency.
 */

/** One line of an edit script. */
export interface DiffLine {
  op: ' ' | '-' | '+'
  text: string
}

/** The shortest edit script from `a` to `b` (Myers 1986), as kept, removed and added lines. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length
  const m = b.length
  const max = n + m
  const offset = max + 1
  let v = new Int32Array(2 * max + 3)
  const trace: Int32Array[] = []
  let found = false
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice())
    const next = v.slice()
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
          ? v[offset + k + 1]
          : v[offset + k - 1] + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      next[offset + k] = x
      if (x >= n && y >= m) {
        found = true
        break
      }
    }
    v = next
  }
  trace.push(v)
  // Walk back through the saved frontiers.
  const out: DiffLine[] = []
  let x = n
  let y = m
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]
    const k = x - y
    const down = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1])
    const prevK = down ? k + 1 : k - 1
    const prevX = vd[offset + prevK]
    const prevY = prevX - prevK
    while (x > prevX && y > prevY) {
      out.push({ op: ' ', text: a[x - 1] })
      x--
      y--
    }
    if (d === 0) break
    if (down) out.push({ op: '+', text: b[prevY] })
    else out.push({ op: '-', text: a[prevX] })
    x = prevX
    y = prevY
  }
  while (x > 0 && y > 0) {
    out.push({ op: ' ', text: a[x - 1] })
    x--
    y--
  }
  return out.reverse()
}

/** `diff -u` hunks (without the `---`/`+++` header) of `a` against `b`; empty when equal. */
export function unifiedDiff(a: readonly string[], b: readonly string[], context = 3): string[] {
  const script = diffLines(a, b)
  const changed = script.map(l => l.op !== ' ')
  if (!changed.some(Boolean)) return []
  const out: string[] = []
  let i = 0
  while (i < script.length) {
    if (!changed[i]) {
      i++
      continue
    }
    // A hunk: from `context` lines before the change to `context` after the last change near it.
    const start = Math.max(0, i - context)
    let end = i
    let j = i
    while (j < script.length) {
      if (changed[j]) {
        end = j
        j++
        continue
      }
      // Unchanged run: does another change follow within 2 × context?
      let k = j
      while (k < script.length && !changed[k]) k++
      if (k < script.length && k - j <= 2 * context) {
        j = k
        continue
      }
      break
    }
    const stop = Math.min(script.length, end + context + 1)
    let aStart = 0
    let bStart = 0
    for (let p = 0; p < start; p++) {
      if (script[p].op !== '+') aStart++
      if (script[p].op !== '-') bStart++
    }
    const body = script.slice(start, stop)
    const aLen = body.filter(l => l.op !== '+').length
    const bLen = body.filter(l => l.op !== '-').length
    out.push(`@@ -${range(aStart, aLen)} +${range(bStart, bLen)} @@`)
    for (const l of body) out.push(`${l.op}${l.text}`)
    i = stop
  }
  return out
}

/** `start,len` as diff -u writes it (1-based; `start` is the line before when the range is empty). */
function range(start: number, len: number): string {
  if (len === 0) return `${start},0`
  return len === 1 ? `${start + 1}` : `${start + 1},${len}`
}
