/** Every input, output and state name of the action, in one place. action.yml declares the same. */

export const INPUT = {
  gate: 'gate',
  plan: 'plan',
  phase: 'phase',
  tracer: 'tracer',
  stage: 'stage',
  level: 'level',
  runId: 'run-id',
  kubeconfig: 'kubeconfig',
  context: 'context',
  namespace: 'namespace',
  dryRun: 'dry-run',
  githubToken: 'github-token',
  comment: 'comment',
  registryAuth: 'registry-auth',
  reports: 'reports',
  lockWait: 'lock-wait',
  approvalEnvironment: 'approval-environment',
  environment: 'environment',
  approve: 'approve',
  approvalResult: 'approval-result',
  images: 'images',
  helmSet: 'helm-set',
  fleetStep: 'fleet-step',
  wave: 'wave',
  cluster: 'cluster',
  from: 'from',
  environmentPrefix: 'environment-prefix'
} as const

export const OUTPUT = {
  verdict: 'verdict',
  report: 'report',
  record: 'record',
  recordJson: 'record-json',
  failed: 'failed',
  sarif: 'sarif',
  fleet: 'fleet'
} as const

/** State saved for the post step; never a secret. */
export const STATE = {
  isPost: 'isPost',
  tempDir: 'tempDir',
  kubeconfigPath: 'kubeconfigPath',
  context: 'context',
  namespace: 'namespace',
  plan: 'plan',
  planPath: 'planPath',
  runId: 'runId',
  gate: 'gate'
} as const
