/** What a rollback level gets and returns (below levels.ts and every level's module). */

import type { GateContext } from '../context.js'
import type { StateRecord } from '../lifecycle/record.js'
import type { Cluster } from '../kube/types.js'
import type { RollbackLevelSpec } from '../plan/types.js'
import type { Verdict } from '../report/model.js'

/** What a level may use. */
export type LevelContext = Pick<
  GateContext,
  'loaded' | 'settings' | 'namespace' | 'runId' | 'exec' | 'clock' | 'log' | 'signal' | 'earlier'
>

/** What one level did. */
export interface LevelOutcome {
  ok: boolean
  /** Overrides the verdict derived from `ok` (a warning worth reading). */
  verdict?: Verdict
  message: string
  evidence?: string
  adjustment?: string
  data?: Record<string, unknown>
}

/** What each level's implementation gets. */
export interface LevelRun {
  ctx: LevelContext
  cluster: Cluster
  spec: RollbackLevelSpec
  record: StateRecord
  /** Clock time the level must be done by (start + budget). */
  deadline: number
}
