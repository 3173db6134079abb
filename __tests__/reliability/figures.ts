// Where the reliability suites leave their figures (JSON per suite), so
// docs/reliability.md can be checked against a fresh run:
// $PHASE_GATE_FIGURES, default <tmpdir>/phase-gate-figures.
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The directory figures go to. */
export function figuresDir(): string {
  return process.env.PHASE_GATE_FIGURES ?? join(tmpdir(), 'phase-gate-figures')
}

/** Writes one suite's figures as `<name>.json`; returns the path. */
export function writeFigures(name: string, data: unknown): string {
  const dir = figuresDir()
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `${name}.json`)
  writeFileSync(
    path,
    `${JSON.stringify({ suite: name, at: new Date().toISOString(), ...(data as object) }, null, 2)}\n`
  )
  return path
}
