/** phase-gate's version, as reported in every report. Kept in step with package.json by a test. */
export const VERSION = '0.1.0'
