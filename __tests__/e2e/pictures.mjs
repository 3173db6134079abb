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

// Each job's summary in a box of at most `boxHeight(job)` pixels (default 640), faded where it
// is cut, so a run of nine jobs fits one picture and each shows its verdict, flowchart and first checks.
const BOX_HEIGHT = 640
const STYLE = `<style>
.job { overflow: hidden; position: relative; margin-bottom: 8px; }
.job.cut::after { content: ""; position: absolute; left: 0; right: 0; bottom: 0; height: 90px; background: linear-gradient(#fff0, #fff); }
.job-name { margin: 20px 0 8px; font-size: 1.1em; font-weight: 600; color: #59636e; }
</style>`

/**
 * The Markdown of the summaries of `jobs`, each under its job's name (the
 * summaries themselves are untouched; a box shows the top of a long one).
 */
export function summariesMarkdown(jobs, boxHeight = () => BOX_HEIGHT) {
  const sections = jobs
    .filter(j => j.summaries.length)
    .map(j => {
      const text = j.summaries.map(s => s.content).join('\n\n')
      const height = boxHeight(j)
      // A rough height: long summaries get the fade that says they go on.
      const cut = Number.isFinite(height) && text.split('\n').length > height / 14 ? ' cut' : ''
      const style = Number.isFinite(height) ? ` style="max-height: ${height}px"` : ''
      return `<div class="job-name">${jobLabel(j)} · ${j.name}</div>\n<div class="job${cut}"${style}>\n\n${text}\n\n</div>`
    })
  return [STYLE, ...sections].join('\n\n')
}

/**
 * Renders each outcome's pictures into `out` (and copies them into `docs`
 * when given); returns the files written.
 */
export async function renderPictures(outcomes, { out, docs, maxHeight = 6400 }) {
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
            summariesMarkdown(jobs, o.scenario.pictureBox)
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
