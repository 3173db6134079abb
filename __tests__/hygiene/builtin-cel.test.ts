// The built-in rules' CEL is parsed and checked at build time
// (scripts/hygiene-cel.mjs → src/hygiene/builtin-cel.generated.ts) and a run
// revives those trees. This fails when the table is stale, when a revived
// tree differs from a fresh parse, when a rule judges any fixture differently
// from the same rule parsed at run time, and shows the table is what a run uses.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from '@bufbuild/cel'
import { compileExpression, evaluate, parsedText } from '../../src/cel/env.js'
import { propagateOptionals } from '../../src/cel/ast.js'
import { preprocess } from '../../src/cel/preprocess.js'
import { reviveParsed, serializeParsed } from '../../src/cel/parsed-json.js'
import { BUILTIN_PARSED } from '../../src/hygiene/builtin-cel.generated.js'
import {
  ObjectBindings,
  RULE_VARS,
  compileRule,
  judgeObject,
  ruleApplies
} from '../../src/hygiene/engine.js'
import { BUILTIN_RULES } from '../../src/hygiene/rules.js'
import { builtinExpressions, generate } from '../../scripts/hygiene-cel/generate.js'
import { CASES, PDBS, goodDeployment } from './fixtures.js'

const GENERATED = join(
  import.meta.dirname,
  '..',
  '..',
  'src',
  'hygiene',
  'builtin-cel.generated.ts'
)

describe('built-in CEL compiled at build time', () => {
  it('the generated table is up to date (else: npm run hygiene:cel)', () => {
    const stale = readFileSync(GENERATED, 'utf8') !== generate()
    expect({ stale, fix: 'npm run hygiene:cel' }).toEqual({
      stale: false,
      fix: 'npm run hygiene:cel'
    })
  })

  it('holds every built-in expression, and each revives to exactly what the parser gives', () => {
    const sources = builtinExpressions()
    expect(Object.keys(BUILTIN_PARSED).sort()).toEqual(sources)
    for (const source of sources) {
      const fresh = parse(preprocess(source).text)
      propagateOptionals(fresh)
      expect(reviveParsed(BUILTIN_PARSED[source])).toStrictEqual(fresh)
    }
  })

  it('keeps bigints, bytes and undefined fields through the text', () => {
    const parsed = parse("b'\\x00\\xff' == bytes('x') && 18446744073709551615u > 1u")
    const back = reviveParsed(serializeParsed(parsed))
    expect(back).toStrictEqual(parsed)
    expect(() =>
      serializeParsed({ ...parsed, extra: new Map() } as unknown as typeof parsed)
    ).toThrow('not a plain object')
  })

  it('judges every fixture as the same rule parsed at run time does', () => {
    const objects = [...CASES.map(c => c.object), goodDeployment()]
    let compared = 0
    for (const rule of BUILTIN_RULES) {
      const prebuilt = compileRule(rule)
      // A copy from the plan: never looked up in the table, parsed and checked now.
      const parsedNow = compileRule({ ...rule, source: 'plan' })
      for (const object of objects) {
        if (!ruleApplies(rule, object)) continue
        const bindings = () => new ObjectBindings(object, { pdbs: PDBS })
        expect([rule.id, judgeObject(prebuilt, bindings())]).toEqual([
          rule.id,
          judgeObject(parsedNow, bindings())
        ])
        compared++
      }
    }
    expect(compared).toBeGreaterThan(BUILTIN_RULES.length)
  })

  it('a runtime error names the same position for a revived tree as for a parsed one', () => {
    const source = "object.kind == 'Pod' && object.spec.replicas > 1"
    const opts = { mixedArithmetic: false }
    const revived = compileExpression(source, RULE_VARS, {
      ...opts,
      parsed: parsedText(source, RULE_VARS, opts)
    })
    const parsedNow = compileExpression(source, RULE_VARS, opts)
    const failure = (c: typeof revived) => {
      try {
        evaluate(c, { object: { kind: 'Pod' } })
      } catch (err) {
        return { ...(err as object), message: (err as Error).message }
      }
      return undefined
    }
    expect(failure(parsedNow)).toMatchObject({ message: expect.stringContaining('spec') })
    expect(failure(revived)).toEqual(failure(parsedNow))
  })

  it('a run uses the tree it is given (the text is not parsed again)', () => {
    const opts = {
      mixedArithmetic: false,
      parsed: parsedText('false', RULE_VARS, { mixedArithmetic: false })
    }
    // The tree says false, the text says true: the tree wins.
    expect(evaluate(compileExpression('true', RULE_VARS, opts), {})).toBe(false)
  })
})
