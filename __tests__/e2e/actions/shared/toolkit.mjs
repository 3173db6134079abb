// The little of @actions/core the local action stand-ins need: inputs as the
// runner passes them (INPUT_<NAME>), outputs through the GITHUB_OUTPUT file
// command, and workflow commands for log lines. Plain JS without packages,
// because act copies a stand-in's folder and nothing else.
import { appendFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'

/** An input's value (trimmed), its default when empty, or an error when required and empty. */
export function input(name, { required = false, fallback = '' } = {}) {
  const value = (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
  if (value) return value
  if (required) throw new Error(`Input required and not supplied: ${name}`)
  return fallback
}

/** A boolean input the way actions/toolkit reads it (true/True/TRUE, false/False/FALSE). */
export function booleanInput(name, fallback) {
  const value = input(name)
  if (!value) return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new Error(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}`)
}

/** The lines of a multi-line input, blank lines dropped. */
export function multilineInput(name, opts) {
  return input(name, opts)
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
}

/** Sets a step output through the GITHUB_OUTPUT file command. */
export function setOutput(name, value) {
  const file = process.env.GITHUB_OUTPUT
  const text = String(value)
  if (!file) {
    process.stdout.write(`::set-output name=${name}::${text}\n`)
    return
  }
  const delimiter = `ghadelimiter_${randomBytes(8).toString('hex')}`
  appendFileSync(file, `${name}<<${delimiter}\n${text}\n${delimiter}\n`)
}

/** A plain log line. */
export function info(message) {
  process.stdout.write(`${message}\n`)
}

/** A warning annotation. */
export function warning(message) {
  process.stdout.write(`::warning::${escape(message)}\n`)
}

/** Marks the step failed with an error annotation (the process exits 1). */
export function fail(message) {
  process.stdout.write(`::error::${escape(message)}\n`)
  process.exitCode = 1
}

function escape(text) {
  return String(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** Runs an action's main function: an exception becomes the step's failure. */
export function runAction(main) {
  main().catch(err => fail(err instanceof Error ? err.message : String(err)))
}
