// Where the reliability suites leave their figures. Each suite writes its raw
// figures as JSON to $PHASE_GATE_FIGURES (default
// <tmpdir>/phase-gate-figures/<suite>.json), and the figures docs/*.md
// publish through publishFigures: into docs/figures/<suite>.json when
// PHASE_GATE_PUBLISH=1 (then `npm run figures` renders them into the prose),
// else beside the raw ones under published/, so a plain test run never
// rewrites tracked files.
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FIGURES_DIR, figure, markdownTable, writeFigureFile } from '../../scripts/figures/lib.mjs'

export { markdownTable }

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

/** One published figure before it is stamped: its number, unit and the text the prose shows. */
export interface Published {
  value: number
  unit?: string
  text: string
}

/** The command that republishes a jest suite's figures. */
export function suiteCommand(project: 'unit' | 'itg', file: string): string {
  return `PHASE_GATE_PUBLISH=1 npm run test:${project} -- --runTestsByPath ${file} && npm run figures`
}

/** Writes a suite's published figures (see the header); returns the path. */
export function publishFigures(
  name: string,
  figures: Record<string, Published>,
  command: string
): string {
  const dir = process.env.PHASE_GATE_PUBLISH === '1' ? FIGURES_DIR : join(figuresDir(), 'published')
  const at = new Date().toISOString()
  return writeFigureFile(
    dir,
    name,
    Object.fromEntries(
      Object.entries(figures).map(([id, f]) => [
        id,
        figure(f.value, f.unit ?? '', f.text, command, at)
      ])
    )
  )
}
