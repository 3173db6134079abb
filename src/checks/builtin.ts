/**
 * The built-in validation check kinds. They are registered in
 * validation-registry.ts (a table the compiler checks); importing this module
 * is no longer needed and only kept for the gates that still do.
 */
export { VALIDATION_CHECKS } from './validation-registry.js'
