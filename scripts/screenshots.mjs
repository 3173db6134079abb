// `node scripts/screenshots.mjs [report.json] [--out docs]`: the README's
// "What you see" pictures, from a real run's report (default the demo's
// demo-out/report.json, written by `npm run demo`). It renders what GitHub
// shows with the project's own renderers (src/report: the job summary, the
// plan gate's plan, the sticky PR comment), turns the Markdown into HTML with
// `marked` and the flowcharts into SVG with `mermaid` inside headless
// Chromium, and screenshots each page:
//
//   docs/job-summary.png   the job summary of the run
//   docs/plan.png          the plan gate's rendering, what an approver reads
//   docs/pr-comment.png    the sticky PR comment, one section per gate
//
// Everything stays on this machine: pages are local files, every script and
// style comes from node_modules (or the directories in NODE_PATH) or from
// this file, and Chromium runs with background networking off. Needs
// Debian's `chromium` (or CHROMIUM=/path/to/chrome) and the devDependencies
// `marked` and `mermaid`.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const WIDTH = 1012 // GitHub's content column on a wide screen

// The renderers are TypeScript with NodeNext `.js` specifiers; Node strips the
// types, this maps each `.js` import of a source file to its `.ts`.
registerHooks({
  resolve(specifier, context, next) {
    if (specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const url = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL)
      if (existsSync(fileURLToPath(url))) return next(url.href, context)
    }
    return next(specifier, context)
  }
})
const { renderSummary } = await import(pathToFileURL(join(root, 'src/report/summary.ts')).href)
const comment = await import(pathToFileURL(join(root, 'src/report/comment.ts')).href)
const { combineVerdicts } = await import(pathToFileURL(join(root, 'src/report/model.ts')).href)

/** A file from a package in node_modules (the project's, then NODE_PATH's), or a clear error. */
function moduleFile(relativePath) {
  const dirs = [
    join(root, 'node_modules'),
    ...(process.env.NODE_PATH ?? '').split(delimiter).filter(Boolean)
  ]
  for (const d of dirs) if (existsSync(join(d, relativePath))) return join(d, relativePath)
  throw new Error(
    `${relativePath} not found in ${dirs.join(', ')}: install the devDependencies (npm ci)`
  )
}

export function chromium() {
  const candidates = [
    process.env.CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser'
  ].filter(Boolean)
  const found = candidates.find(c => existsSync(c))
  if (!found)
    throw new Error('no Chromium: apt-get install -y chromium (or set CHROMIUM=/path/to/chrome)')
  return found
}

// GitHub's look, enough of it for a faithful picture: fonts, tables, code, details, the frames.
const STYLE = `
:root { color-scheme: light; }
body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji"; color: #1f2328; }
.frame { margin: 16px; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
.frame-head { padding: 10px 16px; border-bottom: 1px solid #d1d9e0; background: #f6f8fa; border-radius: 6px 6px 0 0; font-size: 14px; color: #59636e; display: flex; align-items: center; gap: 8px; }
.frame-head b { color: #1f2328; }
.avatar { width: 24px; height: 24px; border-radius: 50%; background: #1f2328; color: #fff; font: bold 12px/24px sans-serif; text-align: center; }
.bot { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 7px; font-size: 12px; }
.markdown-body { padding: 16px 24px; overflow-wrap: break-word; }
.markdown-body h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin: 8px 0 16px; }
.markdown-body h3 { font-size: 1.25em; margin: 24px 0 16px; }
.markdown-body h4 { font-size: 1em; margin: 24px 0 12px; }
.markdown-body p, .markdown-body blockquote, .markdown-body ul, .markdown-body table, .markdown-body pre, .markdown-body details { margin: 0 0 16px; }
.markdown-body blockquote { padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
.markdown-body code { font: 85% ui-monospace, SFMono-Regular, Menlo, "DejaVu Sans Mono", monospace; background: #818b981f; padding: .2em .4em; border-radius: 6px; }
.markdown-body pre { background: #f6f8fa; padding: 16px; border-radius: 6px; overflow: auto; }
.markdown-body pre code { background: none; padding: 0; }
.markdown-body table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
.markdown-body th, .markdown-body td { border: 1px solid #d1d9e0; padding: 6px 13px; vertical-align: top; }
.markdown-body th { font-weight: 600; }
.markdown-body tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body details summary { cursor: pointer; }
.markdown-body sub { color: #59636e; }
.markdown-body .mermaid { text-align: center; margin: 0 0 16px; }
`

export function page(title, head, markdown) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style>
<script src="${pathToFileURL(moduleFile('marked/lib/marked.umd.js')).href}"></script>
<script src="${pathToFileURL(moduleFile('mermaid/dist/mermaid.min.js')).href}"></script>
</head><body><div class="frame">${head}<div class="markdown-body" id="content"></div></div>
<script id="source" type="application/json">${JSON.stringify(markdown).replace(/</g, '\\u003c')}</script>
<script>
  (async () => {
    const md = JSON.parse(document.getElementById('source').textContent)
    const el = document.getElementById('content')
    el.innerHTML = marked.parse(md, { gfm: true })
    for (const code of el.querySelectorAll('pre > code.language-mermaid')) {
      const div = document.createElement('div')
      div.className = 'mermaid'
      div.textContent = code.textContent
      code.parentElement.replaceWith(div)
    }
    mermaid.initialize({ startOnLoad: false, theme: 'default', securityLevel: 'strict', flowchart: { htmlLabels: true } })
    await mermaid.run({ querySelector: '.mermaid' })
    for (const s of document.querySelectorAll('script')) s.remove()
    document.body.dataset.height = String(document.documentElement.scrollHeight)
    document.body.dataset.done = 'true'
  })().catch(err => { document.body.dataset.error = String(err && err.stack || err) })
</script></body></html>`
}

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
  '--hide-scrollbars',
  '--force-device-scale-factor=1'
]

/**
 * Renders a page (scripts run in Chromium), then screenshots the static
 * result at its full height, or cut at `maxHeight` with a fade that says the
 * page goes on.
 */
export async function screenshot(html, png, work, maxHeight = Infinity) {
  const profile = mkdtempSync(join(work, 'profile-'))
  const live = join(work, `${Date.now()}-live.html`)
  writeFileSync(live, html)
  const browser = chromium()
  // First pass: let marked and mermaid run, and read the DOM they produced.
  const { stdout } = await run(
    browser,
    [
      ...CHROMIUM_FLAGS,
      `--user-data-dir=${profile}`,
      `--window-size=${WIDTH},900`,
      '--virtual-time-budget=20000',
      '--dump-dom',
      pathToFileURL(live).href
    ],
    { maxBuffer: 64 << 20 }
  )
  const error = /data-error="([^"]*)"/.exec(stdout)
  if (error) throw new Error(`rendering failed in Chromium: ${error[1]}`)
  if (!/data-done="true"/.test(stdout))
    throw new Error('rendering did not finish within the virtual time budget')
  const full = Number(/data-height="(\d+)"/.exec(stdout)?.[1] ?? 900)
  const height = Math.min(full, maxHeight)
  const cut =
    height < full
      ? `<style>.frame{max-height:${height - 34}px;overflow:hidden;position:relative}.frame::after{content:"";position:absolute;left:0;right:0;bottom:0;height:120px;background:linear-gradient(#fff0,#fff)}</style>`
      : ''
  // Second pass: the rendered DOM as a static page, at its own height.
  const fixed = join(work, `${Date.now()}-static.html`)
  writeFileSync(
    fixed,
    `<!doctype html>${stdout.replace(/<!DOCTYPE html>/i, '').replace('</head>', `${cut}</head>`)}`
  )
  await run(browser, [
    ...CHROMIUM_FLAGS,
    `--user-data-dir=${mkdtempSync(join(work, 'profile-'))}`,
    `--window-size=${WIDTH},${height}`,
    `--screenshot=${png}`,
    pathToFileURL(fixed).href
  ])
  return height
}

/** The sticky comment as GitHub shows it after every gate of the run wrote its section. */
function stickyComment(report) {
  const groups = new Map()
  for (const g of report.gates) {
    const id = comment.sectionIdFor(g)
    groups.set(id, [...(groups.get(id) ?? []), g])
  }
  const units = {}
  const sections = [...groups].map(([id, group], i) => ({
    id,
    body: comment.renderCommentSection(group, { planFile: report.planFile }),
    verdict: combineVerdicts(group.map(r => r.verdict)),
    order: comment.sectionOrder(id, (units[group[0].gate] = (units[group[0].gate] ?? -1) + 1)),
    stamp: { at: 0, seq: i, writer: 'screenshots' }
  }))
  return comment.renderComment(
    { plan: report.plan, target: comment.targetKey(report.target) },
    sections
  )
}

/** The header of a frame: who wrote it (an avatar, `bot` for a bot) and what it is. */
export function frameHead(who, what) {
  return `<div class="frame-head"><span class="avatar">${who[0].toUpperCase()}</span><b>${who}</b>${who.includes('[bot]') ? '<span class="bot">bot</span>' : ''}<span>${what}</span></div>`
}

async function main() {
  const args = process.argv.slice(2)
  const outIndex = args.indexOf('--out')
  const outDir = resolve(outIndex >= 0 ? args[outIndex + 1] : join(root, 'docs'))
  const reportPath = resolve(
    args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--out') ??
      join(root, 'demo-out', 'report.json')
  )
  const report = JSON.parse(readFileSync(reportPath, 'utf8'))
  const plan = report.gates.find(
    g => g.gate === 'plan' && typeof g.details?.planMarkdown === 'string'
  )
  mkdirSync(outDir, { recursive: true })
  const work = mkdtempSync(join(tmpdir(), 'phase-gate-screenshots-'))
  try {
    const frame = frameHead
    const shots = [
      // The summary of a whole run is long: its head (verdict, flowchart, gate table) tells the story.
      [
        'job-summary.png',
        'job summary',
        frame('phase-gate', 'job summary'),
        renderSummary(report),
        1400
      ],
      ...(plan
        ? [
            [
              'plan.png',
              'plan',
              frame('phase-gate', 'the plan to approve'),
              plan.details.planMarkdown
            ]
          ]
        : []),
      [
        'pr-comment.png',
        'PR comment',
        frame('github-actions[bot]', 'commented'),
        stickyComment(report)
      ]
    ]
    for (const [file, title, head, markdown, maxHeight] of shots) {
      const height = await screenshot(
        page(title, head, markdown),
        join(outDir, file),
        work,
        maxHeight
      )
      console.log(`${join(outDir, file)}: ${WIDTH}x${height}`)
    }
    if (!plan)
      console.warn(`${reportPath} has no plan gate with a rendered plan: plan.png not written`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

// Run as a script; imported (the e2e suite renders its pictures with page and screenshot), nothing runs.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  await main()
