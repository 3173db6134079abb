/** Types of artifact-service.mjs (a client of the runner's artifact service, v4 protocol). */

export function backendIds(token: string | undefined): {
  workflowRunBackendId: string
  workflowJobRunBackendId: string
}

export interface ArtifactService {
  ids: { workflowRunBackendId: string; workflowJobRunBackendId: string }
  list(name?: string): Promise<{ name: string; id: number; size: number }[]>
  remove(name: string): Promise<void>
  upload(name: string, zip: Buffer, sha256: string): Promise<number>
  download(name: string): Promise<Buffer>
}

export function artifactService(env?: NodeJS.ProcessEnv): ArtifactService
