/** Did-you-mean suggestions for misspelled field names, enum values and references. */

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two strings. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0
  if (a.length === 0) return b.length
  if (b.length === 0) return a.length
  // Optimal string alignment: a transposed pair ("tagret") costs 1, as a reader would count it.
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[] = new Array<number>(rows * cols).fill(0)
  for (let i = 0; i < rows; i++) d[i * cols] = i
  for (let j = 0; j < cols; j++) d[j] = j
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(
        d[(i - 1) * cols + j] + 1,
        d[i * cols + j - 1] + 1,
        d[(i - 1) * cols + j - 1] + cost
      )
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2] + 1)
      }
      d[i * cols + j] = best
    }
  }
  return d[rows * cols - 1]
}

/** The candidate closest to `word` when it is close enough to be a likely typo, else undefined. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase()
  let best: string | undefined
  let bestScore = Infinity
  for (const candidate of candidates) {
    if (candidate === word) continue
    // Case and separator slips (`Namespace`, `reality_check`) are the commonest typos.
    const score =
      normalise(candidate) === normalise(word) ? 0 : editDistance(lower, candidate.toLowerCase())
    if (score < bestScore) {
      best = candidate
      bestScore = score
    }
  }
  if (best === undefined) return undefined
  // Short names tolerate one edit, longer ones about a third of their length: "nmae" → "name",
  // but "foo" is not a typo of "for".
  const allowed = Math.max(1, Math.min(3, Math.floor(Math.max(word.length, best.length) / 3)))
  return bestScore <= allowed ? best : undefined
}

/** ` (did you mean "x"?)` when a candidate is close, otherwise an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates)
  return match === undefined ? '' : ` (did you mean "${match}"?)`
}

/** A short human list: `a, b or c`; long lists are cut with "…". */
export function listWords(words: readonly string[], conjunction = 'or', max = 12): string {
  const shown = words.length > max ? [...words.slice(0, max), '…'] : [...words]
  if (shown.length <= 1) return shown.join('')
  return `${shown.slice(0, -1).join(', ')} ${conjunction} ${shown[shown.length - 1]}`
}

function normalise(s: string): string {
  return s.toLowerCase().replace(/[-_ ]/g, '')
}
