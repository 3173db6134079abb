import { describe, expect, it } from '@jest/globals'
import { evaluateCel } from '../../src/cel/criteria.js'
import { preprocess } from '../../src/cel/preprocess.js'

const object = {
  metadata: { name: 'db', labels: { app: 'db' } },
  spec: { instances: 3, storage: { size: '10Gi' }, containers: [{ name: 'a' }] },
  status: { conditions: [{ type: 'Ready', status: 'True' }] }
}
const cel = (source: string, o: unknown = object) => evaluateCel(source, { object: o })

describe('optional field and index access (Kubernetes cel.OptionalTypes)', () => {
  it.each<[string, unknown]>([
    ['object.?spec.?instances.orValue(1)', 3],
    ['object.?spec.?replicas.orValue(1)', 1],
    ['object.?nope.?deeper.orValue("none")', 'none'],
    // After one .? every later step is optional too, as in cel-go.
    ['object.?spec.storage.size.orValue("")', '10Gi'],
    ['object.?spec.storage.class.orValue("standard")', 'standard'],
    ['object.?status.conditions[0].type.orValue("")', 'Ready'],
    ['object.?status.conditions[5].type.orValue("missing")', 'missing'],
    ['object.spec.containers[?0].name.orValue("")', 'a'],
    ['object.spec.containers[?3].hasValue()', false],
    ['object.metadata.labels[?"app"].value()', 'db'],
    ['object.metadata.labels[?"team"].orValue("unowned")', 'unowned'],
    ['object.?metadata.?annotations.hasValue()', false],
    ['object.?metadata.?annotations.or(object.?metadata.?labels).value()', { app: 'db' }],
    ['optional.of(1).value()', 1],
    ['optional.none().hasValue()', false],
    ['optional.none().orValue(2)', 2],
    ['optional.ofNonZeroValue("").hasValue()', false],
    ['optional.ofNonZeroValue([]).hasValue()', false],
    ['optional.ofNonZeroValue(0).orValue(9)', 9],
    ['optional.ofNonZeroValue("x").value()', 'x'],
    ['optional.of(null).orValue(1)', null],
    ['optional.of({"a": 1}).a.orValue(0)', 1],
    ['optional.of(1) == optional.of(1)', true],
    ['optional.of(1) == optional.of(2)', false],
    // The key of an optional over a map is computed when compared (lazily): still by value.
    ['optional.of({"a": [1, 2]}) == optional.of({"a": [1, 2]})', true],
    ['optional.of({"a": [1, 2]}) == optional.of({"a": [2, 1]})', false],
    ['{"k": {"a": 1}}.?k == optional.of({"a": 1})', true],
    ['optional.none() == optional.none()', true],
    ['object.?spec.?instances', 3],
    ['object.?spec.?replicas', undefined],
    ['type(optional.none())', 'optional_type']
  ])('%s is %j', (source, expected) => {
    expect(cel(source)).toEqual(expected)
  })

  it('fails on dereferencing none and on optional access into a scalar', () => {
    expect(() => cel('object.?spec.?replicas.value()')).toThrow('optional.none() dereference')
    expect(() => cel('object.spec.instances.?x.hasValue()')).toThrow(
      'optional access is not supported on int'
    )
  })

  it('rewrites .? and [? before parsing and maps positions back to the source', () => {
    const pre = preprocess('a.?b[?0] + "s.?x"')
    expect(pre.text).toBe('a.__opt_select__("b").__opt_index__(0) + "s.?x"')
    // "+" is at offset 9 in the source and after the rewrite.
    expect(pre.toOriginal(pre.text.indexOf('+'))).toBe(9)
    expect(pre.toOriginal(pre.text.indexOf('__opt_index__'))).toBe(4)
  })
})
