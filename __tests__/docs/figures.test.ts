// The published figures: README.md and docs/*.md show exactly what
// docs/figures/*.json hold (the files the suites and `npm run bench` write),
// and the check that says so fails on a number edited on either side and on
// a figure typed without its marker.
import { describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  checkDocument,
  readFigures,
  renderDocument,
  ROOT,
  run
} from '../../scripts/figures/lib.mjs'

/** A scratch copy of the documents and figure files. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-figures-'))
  cpSync(join(ROOT, 'README.md'), join(dir, 'README.md'))
  cpSync(join(ROOT, 'docs'), join(dir, 'docs'), {
    recursive: true,
    filter: src => !src.endsWith('.png')
  })
  return dir
}

describe('published figures', () => {
  it('the prose of README.md and docs/*.md agrees with docs/figures/*.json', () => {
    expect(run({ write: false })).toEqual([])
  })

  it('every figure file is well-formed and the prose uses markers', () => {
    const figures = readFigures()
    expect(figures.size).toBeGreaterThan(0)
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const reliability = readFileSync(join(ROOT, 'docs', 'reliability.md'), 'utf8')
    expect(readme).toMatch(/<!--fig bench\.[\w.-]+-->/)
    expect(reliability).toMatch(/<!--fig fault-matrix\.[\w.-]+-->/)
  })

  it('fails on a number edited in the prose, and npm run figures puts it back', () => {
    const dir = scratch()
    const path = join(dir, 'docs', 'reliability.md')
    const text = readFileSync(path, 'utf8')
    // The first marker whose text holds a digit: bump that digit.
    const m = /<!--fig ([\w-]+)\.([\w.-]+)-->([^<]*?\d[\s\S]*?)<!--\/fig-->/.exec(text)
    expect(m).not.toBeNull()
    const shown = m![3]
    const edited = shown.replace(/\d/, d => String((Number(d) + 1) % 10))
    writeFileSync(path, text.replace(m![0], m![0].replace(shown, edited)))
    const problems = run({ root: dir, write: false })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(`docs/reliability.md:`)
    expect(problems[0]).toContain(`figure ${m![1]}.${m![2]} shows`)
    expect(run({ root: dir, write: true })).toEqual([])
    expect(readFileSync(path, 'utf8')).toBe(text)
  })

  it('fails on a number edited in docs/figures/*.json', () => {
    const dir = scratch()
    const path = join(dir, 'docs', 'figures', 'bench.json')
    const data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, { text: string }>
    const readme = readFileSync(join(dir, 'README.md'), 'utf8')
    // A figure the README shows, whose text holds a digit.
    const id = Object.keys(data).find(
      k => /\d/.test(data[k].text) && readme.includes(`<!--fig bench.${k}-->`)
    )!
    expect(id).toBeDefined()
    data[id].text = data[id].text.replace(/\d/, d => String((Number(d) + 1) % 10))
    writeFileSync(path, JSON.stringify(data))
    const problems = run({ root: dir, write: false })
    expect(problems.some(p => p.includes(`figure bench.${id} shows`))).toBe(true)
  })

  it('fails on a figure typed without its marker, and on a marker of no figure', () => {
    const figures = new Map([
      [
        'x',
        {
          speed: { value: 0.44, unit: 's', text: '0.44 s', command: 'c', measuredAt: 't' },
          count: { value: 7, unit: '', text: '7', command: 'c', measuredAt: 't' }
        }
      ]
    ])
    expect(checkDocument('it takes <!--fig x.speed-->0.44 s<!--/fig-->.', figures, 'a.md')).toEqual(
      []
    )
    const typed = checkDocument('line one\nit takes 0.44 s.', figures, 'a.md')
    expect(typed).toEqual([
      expect.stringContaining('a.md:2: "0.44 s" is figure x.speed typed without its marker')
    ])
    // 10.44 s is another number, and short figures ("7") are not searched for.
    expect(
      checkDocument('<!--fig x.speed-->0.44 s<!--/fig--> vs 10.44 s, 7 runs', figures, 'a.md')
    ).toEqual([])
    expect(checkDocument('<!--fig x.nope-->1<!--/fig-->', figures, 'a.md')).toEqual([
      expect.stringContaining('a.md:1: figure x.nope is not in docs/figures/x.json')
    ])
    expect(renderDocument('<!--fig x.speed-->9 s<!--/fig-->', figures).text).toBe(
      '<!--fig x.speed-->0.44 s<!--/fig-->'
    )
  })
})
