/** What every gate receives and returns. Gates never import a client library. */

import type { GateContext } from '../context.js'
import type { GateName, GateResult } from '../report/model.js'

export type { GateContext, ProgressEvent } from '../context.js'

/** A gate implementation; one module per gate under src/gates/. */
export interface Gate {
  name: GateName
  /** One GateResult per unit it ran (phases under `--gate phase` without `--phase` run in order). */
  run(ctx: GateContext): Promise<GateResult[]>
}
