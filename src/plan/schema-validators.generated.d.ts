// Types of the generated module beside it (scripts/schema-validators.mjs).
import type { ValidateFunction } from 'ajv'

/** The whole plan's validator. */
export const root: ValidateFunction
/** One validator per oneOf/anyOf branch, by JSON pointer within the schema (`/$defs/x/oneOf/0`). */
export const branches: Record<string, ValidateFunction>
