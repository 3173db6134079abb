import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { CelError } from '../../src/cel/cel-error.js'
import { compileExpression, evaluate } from '../../src/cel/env.js'

const VARS = ['value', 'baseline', 'object']

/** Compiles over value/baseline/object and evaluates. */
function run(
  source: string,
  bindings: Record<string, unknown> = {},
  mixedArithmetic = true
): unknown {
  return evaluate(compileExpression(source, VARS, { mixedArithmetic }), bindings)
}

/** The CelError a compile or evaluation throws. */
function failure(
  source: string,
  bindings: Record<string, unknown> = {},
  mixedArithmetic = true
): CelError {
  try {
    run(source, bindings, mixedArithmetic)
  } catch (err) {
    if (err instanceof CelError) return err
    throw err
  }
  throw new Error(`expected ${source} to fail`)
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', labels: { app: 'api', tier: 'backend' }, annotations: {} },
  spec: {
    replicas: 3,
    template: {
      spec: {
        containers: [
          {
            name: 'api',
            image: 'registry.local/api:1.4.2',
            resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m' } },
            ports: [{ containerPort: 8080 }]
          },
          {
            name: 'sidecar',
            image: 'registry.local/proxy@sha256:abc',
            resources: { requests: { cpu: '10m' } }
          }
        ]
      }
    }
  },
  status: { replicas: 3, readyReplicas: 3, availableReplicas: 2, observedGeneration: 4 }
}

describe('numbers: JSON integers are int, mixed comparisons and arithmetic work', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    // The DESIGN's problem case: replicas arrives as a JS number.
    ['object.spec.replicas + 1', { object: { spec: { replicas: 3 } } }, 4],
    ['object.spec.replicas + 1 == 4', { object: { spec: { replicas: 3 } } }, true],
    ['type(object.spec.replicas) == int', { object: { spec: { replicas: 3 } } }, true],
    ['type(value) == double', { value: 0.25 }, true],
    ['value > 5', { value: 5.5 }, true],
    ['value > 5', { value: 5 }, false],
    ['value > 5', { value: 6 }, true],
    ['value < 0.5', { value: 0.4 }, true],
    ['value < 0.5', { value: 0 }, true],
    ['value < 0.5', { value: 1 }, false],
    ['object.status.readyInstances >= 1', { object: { status: { readyInstances: 1 } } }, true],
    ['object.status.readyInstances >= 1', { object: { status: { readyInstances: 0.5 } } }, false],
    ['value == 200', { value: 200 }, true],
    ['value == 200.0', { value: 200 }, true],
    ['value != 0', { value: 0 }, false],
    // A healthy canary: zero errors arrive as an int and the threshold is a double.
    ['value > 2.0 * baseline', { value: 0, baseline: 0 }, false],
    ['value > 2.0 * baseline', { value: 0.3, baseline: 0.1 }, true],
    ['value <= 1.5 * baseline', { value: 3, baseline: 2 }, true],
    ['value + 0.5', { value: 1 }, 1.5],
    ['value - 0.5', { value: 1 }, 0.5],
    ['value / 2.0', { value: 3 }, 1.5],
    ['7 / 2', {}, 3],
    ['value * 2', { value: 1.25 }, 2.5],
    ['dyn(1) == 1.0 && dyn(1u) == 1 && value == 2', { value: 2.0 }, true]
  ])('%s with %j is %j', (source, bindings, expected) => {
    expect(run(source, bindings)).toEqual(expected)
  })

  it('rejects int/double arithmetic when asked for Kubernetes behaviour, with a hint', () => {
    const err = failure('object.spec.replicas * 0.5', { object: { spec: { replicas: 3 } } }, false)
    expect(err.kind).toBe('evaluation')
    expect(err.plain).toContain("no matching overload for '_*_' applied to '(int, double)'")
    expect(err.plain).toContain('write 2.0 rather than 2')
    // Two literals are caught when compiling, as Kubernetes' checker does.
    const literal = failure('1 + 1.0 > 0', {}, false)
    expect([literal.kind, literal.column]).toEqual(['check', 3])
    expect(literal.plain).toContain(
      "found no matching overload for '_+_' applied to '(int, double)'"
    )
    expect(run('1 + 1.0', {})).toBe(2)
    // Comparisons stay cross-type even then, as in Kubernetes.
    expect(run('value > 5', { value: 5.5 }, false)).toBe(true)
  })

  it('keeps integers beyond int64 as doubles and returns unsafe ints as bigint', () => {
    expect(run('type(value) == double', { value: 1e20 })).toBe(true)
    expect(run('9007199254740993')).toBe(9007199254740993n)
    expect(run('value', { value: 2 ** 53 - 1 })).toBe(2 ** 53 - 1)
  })
})

describe('macros, strings extension and has()', () => {
  it.each<[string, unknown]>([
    ['object.spec.template.spec.containers.all(c, has(c.resources.limits))', false],
    ['object.spec.template.spec.containers.exists(c, c.name == "sidecar")', true],
    ['object.spec.template.spec.containers.exists_one(c, has(c.ports))', true],
    ['object.spec.template.spec.containers.map(c, c.name)', ['api', 'sidecar']],
    ['object.spec.template.spec.containers.filter(c, c.image.contains("@sha256:")).size()', 1],
    ['object.status.readyReplicas == object.spec.replicas', true],
    ['object.status.availableReplicas == object.spec.replicas', false],
    ['has(object.metadata.labels) && object.metadata.labels.app == "api"', true],
    ['has(object.metadata.namespace)', false],
    ['"tier" in object.metadata.labels', true],
    ['object.metadata.name.matches("^[a-z]+$")', true],
    ['object.spec.template.spec.containers[0].image.split(":")[1]', '1.4.2'],
    ['object.metadata.name.upperAscii()', 'API'],
    ['"API".lowerAscii() == object.metadata.name', true],
    ['object.spec.template.spec.containers[0].image.startsWith("registry.local/")', true],
    ['object.spec.template.spec.containers[1].image.endsWith(":latest")', false],
    ['"  x ".trim()', 'x'],
    ['object.metadata.name.replace("a", "A")', 'Api'],
    ['"a,b,c".split(",").size()', 3],
    ['["a", "b"].join("-")', 'a-b'],
    ['object.metadata.name.indexOf("p")', 1],
    ['object.metadata.name.substring(1)', 'pi'],
    ['object.metadata.name.charAt(0)', 'a'],
    ['size(object.metadata.annotations) == 0', true],
    ['object.spec.replicas > 1 ? "ha" : "single"', 'ha'],
    ['object.spec.template.spec.containers.all(c, c.resources.requests.cpu != "")', true],
    ['{"a": 1}', { a: 1 }],
    ['[1, 2, 3].map(x, x * 2).filter(x, x > 2)', [4, 6]]
  ])('%s on a Deployment is %j', (source, expected) => {
    expect(run(source, { object: deployment })).toEqual(expected)
  })

  it('converts Dates and model classes the way JSON does', () => {
    class Model {
      constructor(readonly name: string) {}
      toJSON() {
        return { name: this.name, kind: 'Model' }
      }
    }
    expect(run('object.when', { object: { when: new Date('2024-01-02T03:04:05Z') } })).toBe(
      '2024-01-02T03:04:05.000Z'
    )
    expect(run('object.kind', { object: new Model('x') })).toBe('Model')
    expect(run('has(object.gone)', { object: { gone: undefined } })).toBe(false)
  })

  it('returns timestamps, durations and types as plain values', () => {
    expect(run('timestamp("2024-05-01T10:00:00Z")')).toBe('2024-05-01T10:00:00.000Z')
    expect(run('duration("1m30s")')).toBe('90s')
    expect(run('type(1)')).toBe('int')
    expect(run('b"hi"')).toEqual(new Uint8Array([104, 105]))
    expect(run('null')).toBeNull()
  })
})

describe('errors carry a plain message and the position in the expression', () => {
  it.each<[string, CelError['kind'], string, number, number]>([
    ['value >', 'syntax', "missing operand after '>'", 1, 7],
    ['value > 1 &&\n  (value < 2', 'syntax', "'(' is never closed", 2, 3],
    ['value < 2)', 'syntax', "')' has no matching opening bracket", 1, 10],
    ['value = 1', 'syntax', "'=' is not an operator: write '==' to compare", 1, 7],
    ['value > 1 and value < 2', 'syntax', "'and' is not an operator: write '&&'", 1, 11],
    ['value > 1 & value < 2', 'syntax', "'&' is not an operator: write '&&'", 1, 11],
    ['"open', 'syntax', 'this string is never closed', 1, 1],
    ['value value', 'syntax', "syntax error: unexpected 'value'", 1, 7],
    ['== 5', 'syntax', "missing operand before '=='", 1, 1],
    ['object.', 'syntax', "expected a field name after '.'", 1, 7],
    ['value # 1', 'syntax', "unexpected character '#'", 1, 7],
    ['', 'syntax', 'the expression is empty', 1, 1],
    ['[?value]', 'syntax', 'optional list and map entries', 1, 2],
    [
      'value > limit',
      'check',
      "undeclared reference to 'limit' (variables: value, baseline, object)",
      1,
      9
    ],
    ['value > 1 &&\n  frobnicate(value)', 'check', "unknown function 'frobnicate'", 2, 3],
    ['object.metadata.name.find()', 'check', "'find' is not a method taking 0 arguments", 1, 21],
    ['has(value)', 'check', 'has() takes a field selection', 1, 1],
    [
      'object.metadata.name.matches("(")',
      'check',
      'Illegal regex: error parsing regexp: missing closing )',
      1,
      30
    ],
    [
      'duration("5 minutes") > duration("1s")',
      'check',
      "invalid duration literal '5 minutes'",
      1,
      10
    ],
    ['[1, "a"]', 'check', 'a list literal must not mix int and string elements', 1, 1],
    [
      'value > 0.0 && 1 == 1.0',
      'check',
      "found no matching overload for '_==_' applied to '(int, double)'",
      1,
      18
    ],
    ["'1' != 1", 'check', "found no matching overload for '_!=_' applied to '(string, int)'", 1, 5],
    [
      'object.?metadata.?name.orValue("") != "x" && object.spec.nope',
      'evaluation',
      'no such key: nope',
      1,
      57
    ],
    [
      'value + "x"',
      'evaluation',
      "found no matching overload for '_+_' applied to '(double, string)'",
      1,
      7
    ],
    ['object.metadata.name.matches(value)', 'evaluation', 'found no matching overload', 1, 21]
  ])('%j fails at %s: %s (%i:%i)', (source, kind, message, line, column) => {
    const err = failure(source, { value: 0.5, object: deployment })
    expect(err.kind).toBe(kind)
    expect(err.plain).toContain(message)
    expect([err.line, err.column]).toEqual([line, column])
    expect(err.message).toContain(`line ${line}, column ${column}`)
    expect(err.source).toBe(source)
  })

  it('names a declared variable that has no value', () => {
    const err = failure('value > 2.0 * baseline', { value: 1 })
    expect(err.plain).toBe("no value for variable 'baseline'")
    expect([err.line, err.column]).toEqual([1, 15])
  })

  it('columns count characters, not UTF-16 units', () => {
    const err = failure('"😀" + value + ', { value: 1 })
    expect(err.column).toBe(13)
  })

  it('compiles once and evaluates many times with different bindings', () => {
    const compiled = compileExpression('object.status.readyReplicas >= object.spec.replicas', [
      'object'
    ])
    expect(compiled.source).toBe('object.status.readyReplicas >= object.spec.replicas')
    expect(compiled.vars).toEqual(['object'])
    expect(evaluate(compiled, { object: deployment })).toBe(true)
    expect(evaluate(compiled, { object: { ...deployment, status: { readyReplicas: 1 } } })).toBe(
      false
    )
  })

  it('refuses invalid variable names and foreign compiled objects', () => {
    expect(() => compileExpression('x', ['not-a-name'])).toThrow(
      "'not-a-name' is not a valid CEL variable name"
    )
    expect(() => evaluate({ source: 'x', vars: [] }, {})).toThrow(
      'needs an expression from compileExpression'
    )
    expect(() => run('value', { value: () => 1 })).toThrow(
      'value: a function cannot be passed to CEL'
    )
  })
})

describe('robustness', () => {
  const TOKENS = [
    'value',
    'object',
    '.',
    '?',
    '.?',
    '[',
    ']',
    '[?',
    '(',
    ')',
    '{',
    '}',
    ',',
    ':',
    '1',
    '2.5',
    '"s"'
  ]
    .concat([
      '+',
      '-',
      '*',
      '/',
      '==',
      '<',
      '&&',
      '||',
      '!',
      'in',
      'has',
      'size',
      'all',
      'x',
      'spec',
      ' ',
      '\n'
    ])
    .concat(['quantity', 'optional', 'none', 'of', 'orValue', 'true', 'null', 'matches', 'find'])

  it('any token soup either compiles and evaluates or fails with a CelError (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 14 }), parts => {
        const source = parts.join('')
        try {
          const compiled = compileExpression(source, ['value', 'object'])
          evaluate(compiled, { value: [1, 2], object: { spec: { a: 1 } } })
        } catch (err) {
          expect(err).toBeInstanceOf(CelError)
          const e = err as CelError
          if (e.offset !== undefined) expect(e.offset).toBeLessThanOrEqual(source.length)
        }
      }),
      { numRuns: 3000 }
    )
  })
})
