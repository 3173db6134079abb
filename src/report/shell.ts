/** Shell and inline-code text for the runbook and the rollback levels' runbook lines. */

/** A shell word: plain when safe, else single-quoted. */
export function shq(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}

/** A fenced `sh` block, one command a line. */
export function sh(...lines: string[]): string[] {
  return ['```sh', ...lines, '```']
}

/** Inline code (a backtick inside becomes a quote). */
export function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``
}

/** An argv as one shell line, each word quoted only when it needs it. */
export function argvLine(run: string[]): string {
  return run.map(a => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')
}
