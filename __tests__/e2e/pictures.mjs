// Pictures of what a person sees after an e2e run, with the README's renderer
// (scripts/screenshots.mjs: marked and mermaid inside headless Chromium,
// nothing from the network): the job summaries of the run's gate jobs, in
// job order as GitHub lists them on the run's summary page, and the final
// sticky PR comment as the GitHub stand-in holds it.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { frameHead, page, screenshot } from '../../scripts/screenshots.mjs'
import { jobLabel } from './scenarios.mjs'

/** The Markdown of the summaries of `jobs`, each under its job's name. */
export function summariesMarkdown(jobs) {
  return jobs
    .filter(j => j.summaries.length)
    .map(j =>
      [`<h3>${jobLabel(j)} <sub>${j.name}</sub></h3>`, ...j.summaries.map(s => s.content)].join(
        '\n\n'
      )
    )
    .join('\n\n<hr>\n\n')
}

/**
 * Renders each outcome's pictures into `out` (and copies them into `docs`
 * when given); returns the files written.
 */
export async function renderPictures(outcomes, { out, docs, maxHeight = 4200 }) {
  mkdirSync(out, { recursive: true })
  const work = mkdtempSync(join(tmpdir(), 'phase-gate-e2e-pictures-'))
  const written = []
  try {
    for (const o of outcomes) {
      const name = o.scenario.picture ?? `scenario-${o.scenario.id}`
      const jobs = o.result.jobs.filter(o.scenario.pictureJobs ?? (() => true))
      const shots = [
        [
          `e2e-${name}-summaries.png`,
          page(
            'job summaries',
            frameHead('phase-gate', `job summaries of run ${o.s.runId}: ${o.scenario.title}`),
            summariesMarkdown(jobs)
          ),
          maxHeight
        ]
      ]
      const comment = o.s
        .standInState()
        .comments.filter(c => c.body.includes('<!-- phase-gate:plan='))
        .at(-1)
      if (comment)
        shots.push([
          `e2e-${name}-comment.png`,
          page('PR comment', frameHead('github-actions[bot]', 'commented'), comment.body),
          maxHeight
        ])
      for (const [file, html, height] of shots) {
        await screenshot(html, join(out, file), work, height)
        written.push(join(out, file))
        if (docs) {
          mkdirSync(docs, { recursive: true })
          copyFileSync(join(out, file), join(docs, file))
          written.push(join(docs, file))
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return written
}
