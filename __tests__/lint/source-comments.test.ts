// Comments in src/ cite nothing outside the repository (no DESIGN section,
// no URL of a document) and name gates by their names, not the old
// "Gate 0/I/P/V" labels. Comments are found with the TypeScript parser, so
// text inside strings and templates is never taken for a comment.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import ts from 'typescript'

const ROOT = resolve(import.meta.dirname, '..', '..')

const RULES: { name: string; pattern: RegExp }[] = [
  { name: 'cites DESIGN (outside the repository)', pattern: /\bDESIGN\b/ },
  // A bare origin (`https://github.com`, a default) is a value; a path is a document.
  { name: 'cites a document by URL', pattern: /https?:\/\/[^\s`'")]+\/[^\s`'")]/ },
  { name: 'uses a Gate 0/I/P/V label', pattern: /\bGate (0|I|P|V)\b/ }
]

/** Every comment of a source text, with its line. */
export function commentsOf(file: string, text: string): { line: number; text: string }[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const seen = new Set<number>()
  const out: { line: number; text: string }[] = []
  const take = (ranges: ts.CommentRange[] | undefined): void => {
    for (const r of ranges ?? []) {
      if (seen.has(r.pos)) continue
      seen.add(r.pos)
      out.push({
        line: sf.getLineAndCharacterOfPosition(r.pos).line + 1,
        text: text.slice(r.pos, r.end)
      })
    }
  }
  const visit = (node: ts.Node): void => {
    take(ts.getLeadingCommentRanges(text, node.getFullStart()))
    take(ts.getTrailingCommentRanges(text, node.getEnd()))
    ts.forEachChild(node, visit)
  }
  visit(sf)
  take(ts.getLeadingCommentRanges(text, sf.endOfFileToken.getFullStart()))
  return out
}

/** `file:line rule` for each comment breaking a rule. */
export function violations(file: string, text: string): string[] {
  return commentsOf(file, text).flatMap(c =>
    RULES.filter(r => r.pattern.test(c.text)).map(r => `${file}:${c.line} ${r.name}`)
  )
}

describe('source comments', () => {
  it('cite nothing outside the repository and use the gates’ names', () => {
    const files = (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[]).filter(f =>
      f.endsWith('.ts')
    )
    expect(files.length).toBeGreaterThan(100)
    const found = files.flatMap(f =>
      violations(`src/${f}`, readFileSync(join(ROOT, 'src', f), 'utf8'))
    )
    expect(found).toEqual([])
  })

  it('finds each kind of violation in comments, and none in strings', () => {
    const text = [
      '/** Gate V, validation (DESIGN "Validation"). */',
      'export const a = 1 // see https://kubernetes.io/docs/concepts/',
      "const url = 'https://example.com/docs/DESIGN' // defaults to https://github.com",
      'const t = `Gate P ${a}`'
    ].join('\n')
    expect(violations('x.ts', text)).toEqual([
      'x.ts:1 cites DESIGN (outside the repository)',
      'x.ts:1 uses a Gate 0/I/P/V label',
      'x.ts:2 cites a document by URL'
    ])
  })
})
