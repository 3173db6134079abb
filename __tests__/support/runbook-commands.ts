// The commands a runbook prints: every line of its `sh` blocks, in order
// (comments and blank lines left out), and a shell-word splitter good enough
// to hand a phase-gate line to the CLI's own argument parser.

/** Every command of the runbook's `sh` blocks, in document order. */
export function runbookCommands(markdown: string): string[] {
  const out: string[] = []
  let inBlock = false
  for (const line of markdown.split('\n')) {
    if (!inBlock && line.trim() === '```sh') inBlock = true
    else if (inBlock && line.trim() === '```') inBlock = false
    else if (inBlock && line.trim() && !line.trim().startsWith('#')) out.push(line.trim())
  }
  if (inBlock) throw new Error('an sh block is not closed')
  return out
}

/** Splits a command line into words (single and double quotes, `$NAME` from env). */
export function shellWords(line: string, env: Record<string, string | undefined> = {}): string[] {
  const words: string[] = []
  let cur = ''
  let have = false
  let i = 0
  const expand = (quoted: boolean): void => {
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(line.slice(i))
    if (!m) {
      cur += '$'
      i++
      return
    }
    cur += env[m[1]] ?? ''
    have = have || quoted || (env[m[1]] ?? '') !== ''
    i += m[0].length
  }
  while (i < line.length) {
    const c = line[i]
    if (c === ' ' || c === '\t') {
      if (have) words.push(cur)
      cur = ''
      have = false
      i++
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) throw new Error(`unclosed ' in ${line}`)
      cur += line.slice(i + 1, end)
      have = true
      i = end + 1
    } else if (c === '"') {
      have = true
      i++
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '$') expand(true)
        else if (line[i] === '\\' && i + 1 < line.length) {
          cur += line[i + 1]
          i += 2
        } else cur += line[i++]
      }
      if (line[i] !== '"') throw new Error(`unclosed " in ${line}`)
      i++
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[i + 1]
      have = true
      i += 2
    } else if (c === '$') expand(false)
    else {
      cur += c
      have = true
      i++
    }
  }
  if (have) words.push(cur)
  return words
}
