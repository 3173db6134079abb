/** The one error every CEL failure becomes: syntax, check and evaluation errors, with where in the expression. */

/** At which stage the expression failed. */
export type CelErrorKind = 'syntax' | 'check' | 'evaluation'

/** Line and column (both 1-based) of a character offset in a source text. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  const at = Math.max(0, Math.min(offset, source.length))
  let line = 1
  let lineStart = 0
  for (let i = 0; i < at; i++) {
    if (source[i] === '\n') {
      line++
      lineStart = i + 1
    }
  }
  // Columns count code points, as an editor does, not UTF-16 units.
  return { line, column: [...source.slice(lineStart, at)].length + 1 }
}

/** A CEL expression could not be parsed, checked or evaluated. */
export class CelError extends Error {
  /** 1-based line within the expression, when the position is known. */
  readonly line?: number
  /** 1-based column within the line, when the position is known. */
  readonly column?: number

  constructor(
    /** What went wrong, without the position. */
    readonly plain: string,
    readonly kind: CelErrorKind,
    /** The expression as the user wrote it. */
    readonly source: string,
    /** 0-based character offset in `source`, when known. */
    readonly offset?: number
  ) {
    const pos = offset === undefined ? undefined : lineColumn(source, offset)
    super(pos ? `${plain} (line ${pos.line}, column ${pos.column})` : plain)
    this.name = 'CelError'
    this.line = pos?.line
    this.column = pos?.column
  }
}
