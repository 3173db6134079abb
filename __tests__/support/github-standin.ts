/**
 * TypeScript entry to the GitHub REST API stand-in. The stand-in itself is
 * plain JS (github-standin.mjs) so e2e runs can start it with `node` alone;
 * this module re-exports it and connects our client to it.
 */

import { createGitHub, type GitHubClient, type GitHubOptions } from '../../src/github/client.js'
import type { GitHubStandIn } from './github-standin.mjs'

export { startGitHubStandIn, DEFAULT_TOKENS } from './github-standin.mjs'
export type {
  GitHubStandIn,
  RecordedRequest,
  StandInFault,
  StandInOptions,
  StandInState
} from './github-standin.mjs'

/** A client for `octo/app` (or the stand-in's repository) talking to the stand-in, fast retries. */
export function standInGitHub(
  standIn: GitHubStandIn,
  opts: Partial<GitHubOptions> = {}
): GitHubClient {
  return createGitHub({
    token: 'test-token',
    repository: standIn.state.repository,
    apiUrl: standIn.url,
    serverUrl: 'https://github.example',
    retryBaseMs: 5,
    ...opts
  })
}
