/**
 * The object types Kubernetes adds to CEL (Quantity, URL, Semver, IP, CIDR) and CEL's optional type,
 * as values @bufbuild/cel can carry.
 *
 * @bufbuild/cel only knows scalars, lists, maps and protobuf messages, so each type is a tiny message
 * with one string field `key`. The key is canonical (two values are equal exactly when Kubernetes
 * says they are), which makes CEL's built-in `==`, `!=` and `in` right without overriding them. The
 * parsed value itself rides along in a WeakMap keyed by the message, so methods never re-parse.
 */
import { objectType, type CelObjectType, type CelValue } from '@bufbuild/cel'
import { create, createFileRegistry, type DescMessage } from '@bufbuild/protobuf'
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt'
import { isReflectMessage, reflect, type ReflectMessage } from '@bufbuild/protobuf/reflect'

/** The CEL type names, as `type(x)` prints them in Kubernetes. */
export const TYPE_NAMES = {
  quantity: 'kubernetes.Quantity',
  url: 'kubernetes.URL',
  semver: 'kubernetes.Semver',
  ip: 'net.IP',
  cidr: 'net.CIDR',
  optional: 'optional_type'
} as const

/** One of the object types this package adds. */
export type ObjectKind = keyof typeof TYPE_NAMES

const STRING_FIELD = 9
const LABEL_OPTIONAL = 1
const keyField = {
  name: 'key',
  number: 1,
  type: STRING_FIELD,
  label: LABEL_OPTIONAL,
  jsonName: 'key'
}
const message = (name: string) => ({ name, field: [keyField] })

const registry = createFileRegistry(
  create(FileDescriptorSetSchema, {
    file: [
      {
        name: 'phase_gate/cel/kubernetes.proto',
        package: 'kubernetes',
        syntax: 'proto3',
        messageType: [message('Quantity'), message('URL'), message('Semver')]
      },
      {
        name: 'phase_gate/cel/net.proto',
        package: 'net',
        syntax: 'proto3',
        messageType: [message('IP'), message('CIDR')]
      },
      {
        name: 'phase_gate/cel/optional.proto',
        syntax: 'proto3',
        messageType: [message('optional_type')]
      }
    ]
  })
)

function descriptor(kind: ObjectKind): DescMessage {
  const desc = registry.getMessage(TYPE_NAMES[kind])
  if (!desc) throw new Error(`internal: no descriptor for ${TYPE_NAMES[kind]}`)
  return desc
}

const DESCRIPTORS: Record<ObjectKind, DescMessage> = {
  quantity: descriptor('quantity'),
  url: descriptor('url'),
  semver: descriptor('semver'),
  ip: descriptor('ip'),
  cidr: descriptor('cidr'),
  optional: descriptor('optional')
}

/** The CEL types, for function signatures. */
export const OBJECT_TYPES: Record<ObjectKind, CelObjectType> = {
  quantity: objectType(DESCRIPTORS.quantity),
  url: objectType(DESCRIPTORS.url),
  semver: objectType(DESCRIPTORS.semver),
  ip: objectType(DESCRIPTORS.ip),
  cidr: objectType(DESCRIPTORS.cidr),
  optional: objectType(DESCRIPTORS.optional)
}

/** What CEL's optional type holds: a value, or none. */
export interface OptionalPayload {
  readonly value?: CelValue
}

const payloads = new WeakMap<object, { payload: unknown; display: string }>()

/**
 * A CEL value of one of our object types: `key` decides equality, `payload` is what methods read,
 * `display` is how it leaves CEL (evaluate() returns it for a quantity, URL, ...).
 */
export function wrapObject(
  kind: ObjectKind,
  key: string | (() => string),
  payload: unknown,
  display = typeof key === 'string' ? key : undefined
): ReflectMessage {
  const desc = DESCRIPTORS[kind]
  const msg = create(desc, (typeof key === 'string' ? { key } : {}) as never)
  if (typeof key === 'function') {
    // Computed when first compared: an optional over a large map (object.?spec) is
    // usually unwrapped, never compared, and its key costs a walk of the whole map.
    let cached: string | undefined
    Object.defineProperty(msg, 'key', {
      get: () => (cached ??= key()),
      enumerable: true,
      configurable: true
    })
  }
  payloads.set(msg, { payload, display: display ?? `<${desc.typeName}>` })
  return reflect(desc, msg)
}

/** How a value of one of our object types is shown outside CEL. */
export function objectDisplay(value: ReflectMessage): string {
  return payloads.get(value.message)?.display ?? `<${value.desc.typeName}>`
}

/** Which of our object types a CEL value is, if any. */
export function objectKind(value: unknown): ObjectKind | undefined {
  if (!isReflectMessage(value)) return undefined
  for (const kind of Object.keys(TYPE_NAMES) as ObjectKind[]) {
    if (value.desc === DESCRIPTORS[kind]) return kind
  }
  return undefined
}

/** The payload of a value of the given kind; throws when the value is something else. */
export function unwrapObject<T>(kind: ObjectKind, value: CelValue | undefined): T {
  if (objectKind(value) !== kind) throw new Error(`expected a ${TYPE_NAMES[kind]}`)
  const entry = payloads.get((value as ReflectMessage).message)
  if (entry === undefined) throw new Error(`internal: ${TYPE_NAMES[kind]} without a value`)
  return entry.payload as T
}
