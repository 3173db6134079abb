import type { Ajv2020, Options } from 'ajv/dist/2020.js'
export const SCHEMA_FILE: string
export const GENERATED_FILE: string
export function createPlanAjv(opts?: Options): Ajv2020
export function branchPointers(node: unknown, pointer?: string, out?: string[]): string[]
export function generate(schemaText?: string): string
