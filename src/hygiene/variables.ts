/**
 * Variables every hygiene rule may use as `variables.<name>`: the pod spec wherever the kind keeps
 * it, its containers, the pod template's labels, and the PodDisruptionBudgets beside the object.
 * They are written as ValidatingAdmissionPolicy `spec.variables` are, so a rule runs unchanged on
 * the apiserver; each is total (it never fails, whatever the object), which makes evaluating them
 * eagerly here the same as the apiserver's lazy evaluation.
 */

/** A variable defined by a CEL expression over `object` (and earlier variables). */
export interface VariableDefinition {
  name: string
  expression: string
}

/** The variables computed from the object itself, in dependency order. */
export const OBJECT_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'podSpec',
    expression:
      "object.kind == 'Pod' ? object.?spec.orValue({}) : " +
      "(object.kind == 'CronJob' ? object.?spec.?jobTemplate.?spec.?template.?spec.orValue({}) : " +
      'object.?spec.?template.?spec.orValue({}))'
  },
  {
    name: 'podLabels',
    expression:
      "object.kind == 'Pod' ? object.metadata.?labels.orValue({}) : " +
      "(object.kind == 'CronJob' ? object.?spec.?jobTemplate.?spec.?template.?metadata.?labels.orValue({}) : " +
      'object.?spec.?template.?metadata.?labels.orValue({}))'
  },
  { name: 'containers', expression: 'variables.podSpec.?containers.orValue([])' },
  {
    name: 'allContainers',
    expression:
      'variables.podSpec.?initContainers.orValue([]) + variables.podSpec.?containers.orValue([])'
  },
  { name: 'replicas', expression: 'object.?spec.?replicas.orValue(1)' }
]

/**
 * `variables.pdbs`: the PodDisruptionBudgets in the same namespace among the checked manifests,
 * each as `{name, matchLabels}`. A ValidatingAdmissionPolicy sees one object only, so there it
 * comes from a parameter object instead (PDB_PARAM_EXPRESSION).
 */
export const PDBS_VARIABLE = 'pdbs'

/** How a ValidatingAdmissionPolicy gets `variables.pdbs`: from its parameter object. */
export const PDB_PARAM_EXPRESSION = 'params.?spec.?pdbs.orValue([])'

/** Every variable name a rule may use. */
export const VARIABLE_NAMES: readonly string[] = [
  ...OBJECT_VARIABLES.map(v => v.name),
  PDBS_VARIABLE
]

/** The variables an expression refers to (`variables.x`), in definition order, with those they need. */
export function variablesUsed(...sources: (string | undefined)[]): string[] {
  const direct = new Set<string>()
  const scan = (text: string): void => {
    for (const m of text.matchAll(/\bvariables\.([A-Za-z_][A-Za-z0-9_]*)/g)) direct.add(m[1])
  }
  for (const s of sources) if (s) scan(s)
  // Variables refer to earlier ones: close over the definitions.
  for (let changed = true; changed;) {
    changed = false
    for (const v of OBJECT_VARIABLES) {
      if (!direct.has(v.name)) continue
      const before = direct.size
      scan(v.expression)
      if (direct.size !== before) changed = true
    }
  }
  return VARIABLE_NAMES.filter(n => direct.has(n))
}
