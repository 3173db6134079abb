// The control run of the e2e suite: is it blind to a rollout gate that does
// not move traffic? A copy of the sources under a temporary directory gets a
// rollout gate whose traffic shifter claims every shift (ok, "canary at N%")
// without touching the route or the replicas, and is bundled there as
// scripts/bundle.mjs bundles dist/. Run against that bundle, the healthy
// canary scenario must fail, and fail on what the data plane saw. Nothing of
// this is ever written into the repository.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, replaceIn } from './workspace.mjs'

/** The edit: createShifter hands out a shifter that changes nothing and reports success. */
export const NO_SHIFT = {
  file: 'src/rollout/shifter.ts',
  from: `  return rollout.route
    ? new RouteWeightShifter(cluster, rollout, namespace, clock)
    : new ReplicaRatioShifter(cluster, rollout, namespace, clock)`,
  to: `  const real = rollout.route
    ? new RouteWeightShifter(cluster, rollout, namespace, clock)
    : new ReplicaRatioShifter(cluster, rollout, namespace, clock)
  // MUTANT (e2e control run): every shift is claimed, none is made.
  return {
    mode: real.mode,
    describe: () => real.describe(),
    shift: async (weight: number) => ({
      ok: true,
      weight,
      message: \`canary at \${weight}%\`,
      data: {},
      durationMs: 0
    })
  }`
}

/** Bundles the sources with `mutation` applied into a temporary directory; returns the bundle's path. */
export function bundleMutant(mutation = NO_SHIFT) {
  const dir = mkdtempSync(join(tmpdir(), 'phase-gate-mutant-'))
  for (const f of ['src', 'schemas', 'package.json', 'tsconfig.json'])
    cpSync(join(ROOT, f), join(dir, f), { recursive: true })
  mkdirSync(join(dir, 'scripts'))
  cpSync(join(ROOT, 'scripts', 'bundle.mjs'), join(dir, 'scripts', 'bundle.mjs'))
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
  replaceIn(join(dir, mutation.file), mutation.from, mutation.to)
  const out = join(dir, 'dist')
  execFileSync(process.execPath, [join(dir, 'scripts', 'bundle.mjs'), out], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  return { dist: out, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
