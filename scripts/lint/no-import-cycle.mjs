// ESLint rule `local/no-import-cycle`: a relative import that leads, through
// any chain of relative imports, back to the importing file is an error. Type
// imports and dynamic `import()` count too: a type cycle is a layering cycle
// all the same, and a dynamic import only hides one from the bundler.
//
// Other files are read from disk with TypeScript's import scanner
// (ts.preProcessFile, no type checking), so the whole tree costs well under a
// second; each file's imports are cached by path, size and mtime for the
// process, so one `eslint` run reads each file once.
import { readFileSync, statSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import ts from 'typescript'

const cache = new Map()

/** The file a relative specifier names (`./x.js` is written for `./x.ts`), or undefined. */
function resolveSpecifier(from, specifier) {
  if (!specifier.startsWith('.')) return undefined
  const base = resolve(dirname(from), specifier)
  const candidates = base.endsWith('.js')
    ? [base.slice(0, -3) + '.ts', base]
    : base.endsWith('.mjs')
      ? [base]
      : [base, `${base}.ts`, `${base}/index.ts`]
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c
    } catch {
      // not this candidate
    }
  }
  return undefined
}

/** The files a source text imports (relative imports only). */
export function importsOf(file, text) {
  const info = ts.preProcessFile(text, true, true)
  const out = []
  for (const i of info.importedFiles) {
    const target = resolveSpecifier(file, i.fileName)
    if (target && !out.includes(target)) out.push(target)
  }
  return out
}

function importsOnDisk(file) {
  let st
  try {
    st = statSync(file)
  } catch {
    return []
  }
  const hit = cache.get(file)
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.deps
  const deps = importsOf(file, readFileSync(file, 'utf8'))
  cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, deps })
  return deps
}

/** The shortest import chain from `start` back to `target` (both included), or undefined. */
export function pathBack(start, target, depsOf = importsOnDisk) {
  const previous = new Map([[start, undefined]])
  const queue = [start]
  while (queue.length) {
    const file = queue.shift()
    for (const dep of depsOf(file)) {
      if (dep === target) {
        const chain = [dep]
        for (let f = file; f !== undefined; f = previous.get(f)) chain.unshift(f)
        return chain
      }
      if (previous.has(dep)) continue
      previous.set(dep, file)
      queue.push(dep)
    }
  }
  return undefined
}

/** Every import cycle among `files`, one chain per importing file and import that closes one. */
export function findCycles(files) {
  const cycles = []
  for (const file of files) {
    for (const dep of importsOnDisk(file)) {
      const chain = dep === file ? [file] : pathBack(dep, file)
      if (chain) cycles.push([file, ...chain])
    }
  }
  return cycles
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'disallow import chains that lead back to the importing file' },
    schema: [],
    messages: {
      cycle:
        'import cycle: {{chain}}. Move what both sides need into a module below both (see src/core, src/context.ts) instead of importing upwards.'
    }
  },
  create(context) {
    const file = context.filename
    const cwd = context.cwd
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return
      const target = resolveSpecifier(file, source.value)
      if (!target) return
      const chain = target === file ? [file] : pathBack(target, file)
      if (!chain) return
      context.report({
        node,
        messageId: 'cycle',
        data: { chain: [file, ...chain].map(f => relative(cwd, f)).join(' → ') }
      })
    }
    return {
      ImportDeclaration: node => check(node, node.source),
      ExportAllDeclaration: node => check(node, node.source),
      ExportNamedDeclaration: node => check(node, node.source),
      ImportExpression: node => check(node, node.source)
    }
  }
}

export default { meta: { name: 'phase-gate-local' }, rules: { 'no-import-cycle': rule } }
