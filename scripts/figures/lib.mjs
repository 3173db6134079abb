// Published figures: every figure README.md or docs/*.md shows comes from a
// JSON file a command wrote, docs/figures/<name>.json, whose keys are figure
// ids and whose values are { value, unit, text, command, measuredAt }. The
// prose wraps each as <!--fig name.id-->TEXT<!--/fig-->; `npm run figures`
// rewrites TEXT from the files, and __tests__/docs/figures.test.ts fails when
// the two disagree. Nothing here measures: the suites and `npm run bench` do.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const FIGURES_DIR = join(ROOT, 'docs', 'figures')

const MARKER = /<!--fig ([A-Za-z0-9_-]+)\.([A-Za-z0-9_.-]+)-->([\s\S]*?)<!--\/fig-->/g

/** One figure as the JSON holds it. */
export function figure(value, unit, text, command, measuredAt = new Date().toISOString()) {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`figure value must be a finite number, got ${String(value)}`)
  return { value, unit, text, command, measuredAt }
}

/**
 * Writes (merges) figures into <dir>/<name>.json: ids given replace the ones
 * there, others stay, so a narrowed run updates only what it measured.
 */
export function writeFigureFile(dir, name, figures) {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `${name}.json`)
  const old = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {}
  const merged = { ...old, ...figures }
  const sorted = Object.fromEntries(
    Object.keys(merged)
      .sort()
      .map(k => [k, merged[k]])
  )
  writeFileSync(path, `${JSON.stringify(sorted, null, 2)}\n`)
  return path
}

/** Every figure file under dir: name → { id → figure }. Throws naming the file on a malformed one. */
export function readFigures(dir = FIGURES_DIR) {
  const out = new Map()
  if (!existsSync(dir)) return out
  for (const f of readdirSync(dir)
    .filter(f => f.endsWith('.json'))
    .sort()) {
    const path = join(dir, f)
    let data
    try {
      data = JSON.parse(readFileSync(path, 'utf8'))
    } catch (err) {
      throw new Error(`${path}: not JSON: ${err.message}`, { cause: err })
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data))
      throw new Error(`${path}: must be an object of figure id → figure`)
    for (const [id, fig] of Object.entries(data)) {
      const bad = ['value', 'unit', 'text', 'command', 'measuredAt'].filter(
        k =>
          !(k in (fig ?? {})) ||
          (k === 'value' ? typeof fig[k] !== 'number' : typeof fig[k] !== 'string')
      )
      if (bad.length) throw new Error(`${path}: figure "${id}" lacks or mistypes ${bad.join(', ')}`)
    }
    out.set(f.slice(0, -'.json'.length), data)
  }
  return out
}

/** The documents whose figures are checked: README.md and docs/*.md. */
export function documents(root = ROOT) {
  const docs = join(root, 'docs')
  return [
    join(root, 'README.md'),
    ...(existsSync(docs)
      ? readdirSync(docs)
          .filter(f => f.endsWith('.md'))
          .sort()
          .map(f => join(docs, f))
      : [])
  ].filter(p => existsSync(p))
}

const lineOf = (text, index) => text.slice(0, index).split('\n').length

/**
 * Renders a document's markers from the figures. Returns the new text and
 * the problems found (unknown file or id), each naming file:line.
 */
export function renderDocument(text, figures, file = 'document') {
  const problems = []
  const rendered = text.replace(MARKER, (whole, name, id, _old, offset) => {
    const fig = figures.get(name)?.[id]
    if (!fig) {
      problems.push(
        `${file}:${lineOf(text, offset)}: figure ${name}.${id} is not in docs/figures/${name}.json; run the command that measures it, or remove the marker`
      )
      return whole
    }
    return `<!--fig ${name}.${id}-->${fig.text}<!--/fig-->`
  })
  return { text: rendered, problems }
}

/**
 * Checks a document against the figures: every marker's TEXT must equal its
 * figure's text, and no single-line figure containing a digit may appear
 * outside a marker (a copy typed by hand goes stale silently).
 */
export function checkDocument(text, figures, file = 'document') {
  const problems = []
  for (const m of text.matchAll(MARKER)) {
    const [, name, id, shown] = m
    const fig = figures.get(name)?.[id]
    const at = `${file}:${lineOf(text, m.index)}`
    if (!fig) problems.push(`${at}: figure ${name}.${id} is not in docs/figures/${name}.json`)
    else if (shown !== fig.text)
      problems.push(
        `${at}: figure ${name}.${id} shows ${JSON.stringify(shown)} but docs/figures/${name}.json has ${JSON.stringify(fig.text)}; run npm run figures`
      )
  }
  const outside = text.replace(MARKER, ' ')
  for (const [name, figs] of figures)
    for (const [id, fig] of Object.entries(figs)) {
      const t = fig.text.trim()
      if (t.includes('\n') || !/\d/.test(t) || t.replace(/[*`]/g, '').length < 4) continue
      const i = outside.indexOf(t)
      if (i !== -1 && !isPartOfLargerNumber(outside, i, t.length))
        problems.push(
          `${file}:${lineOf(outside, i)}: "${t}" is figure ${name}.${id} typed without its marker; wrap it as <!--fig ${name}.${id}-->…<!--/fig-->`
        )
    }
  return problems
}

// "1.2 s" inside "11.2 s" is not a copy of it.
function isPartOfLargerNumber(text, i, len) {
  const before = text[i - 1] ?? ' '
  const after = text[i + len] ?? ' '
  return /[\d.,]/.test(before) || /\d/.test(after)
}

/** Renders (write = true) or checks every document; returns the problems with paths relative to root. */
export function run({ root = ROOT, dir = join(root, 'docs', 'figures'), write = false } = {}) {
  const figures = readFigures(dir)
  const problems = []
  for (const path of documents(root)) {
    const file = relative(root, path)
    const text = readFileSync(path, 'utf8')
    if (write) {
      const r = renderDocument(text, figures, file)
      problems.push(...r.problems)
      if (r.text !== text) writeFileSync(path, r.text)
      problems.push(...checkDocument(r.text, figures, file).filter(p => !p.includes(' shows ')))
    } else problems.push(...checkDocument(text, figures, file))
  }
  return problems
}

/** A Markdown table: header cells, then rows of cells; ends with a newline. */
export function markdownTable(headers, rows) {
  const line = cells => `| ${cells.map(c => String(c)).join(' | ')} |`
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n') + '\n'
}
