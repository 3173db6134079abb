export const SCHEMA_FILE: string
export const DOC_FILE: string
/** The example plans' parsed contents, in a stable order. */
export function examplePlans(dir?: string): unknown[]
/** Renders the reference from a schema object and example plan objects. */
export function renderPlanReference(
  schema: object,
  plans?: unknown[]
): { text: string; fields: number; fromPlans: number }
/** True when `doc` is not what the schema and example plans render to now. */
export function isStale(doc: string, schema: object, plans?: unknown[]): boolean
