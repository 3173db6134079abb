/** The most waves a fleet plan may have (phase-gate lint refuses more). */
export const MAX_WAVES: number
export const TEMPLATE: string
export const WORKFLOW: string
/** The workflow's text from the template's text. */
export function generate(template: string, max?: number): string
