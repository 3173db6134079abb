/** The deployment states a plan and target move through, and what moves them. */

/** Deployment states a plan and target move through. */
export type DeploymentState =
  | 'images-ready'
  | 'packaged'
  | 'deploying'
  | 'active'
  | 'stable'
  | 'degraded'
  | 'rolling-back'
  | 'previous-stable'
  | 'failed'

/** The check that moves a deployment into each state, and the gate that runs it. */
export const STATE_CHECKS: Readonly<Record<DeploymentState, string>> = {
  'images-ready':
    'reality-check: it passed with every image of the plan pullable (not while a release is in flight)',
  packaged:
    "phase: before the run's first change, its manifests passed the server's dry run (a Helm phase: the chart rendered)",
  deploying: 'phase / rollout: the first object applied, or the canary shifted',
  active:
    'validate: every validation check and the rollback test passed; rollout: the last stage reached 100 %',
  stable: 'soak: the window passed with enough samples and no violation',
  degraded: 'soak: readiness lost, restarts grew, or a threshold breached N of M samples',
  'rolling-back': 'rollback / rollout trigger / soak.onDegraded: a rollback started',
  'previous-stable': 'rollback: the level verified the previous version back',
  failed: 'rollback: the level could not verify the previous version'
}

export interface StateTransition {
  state: DeploymentState
  at: string
  runId: string
  reason?: string
}
