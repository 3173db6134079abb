// A client of the runner's artifact service, v4 protocol: Twirp JSON calls
// to github.actions.results.api.v1.ArtifactService at ACTIONS_RESULTS_URL,
// authorised by ACTIONS_RUNTIME_TOKEN, whose `scp` claim names the workflow
// run and job ("Actions.Results:<run>:<job>"), and zip blobs moved through
// signed URLs. It is the protocol @actions/artifact 2 speaks; here act's
// --artifact-server implements it, so artifacts travel between the jobs of
// one run exactly as they would through GitHub's service.
const SERVICE = 'twirp/github.actions.results.api.v1.ArtifactService'

/** The run and job backend ids of the runtime token's `Actions.Results` scope. */
export function backendIds(token) {
  const payload = token?.split('.')[1]
  if (!payload) throw new Error('ACTIONS_RUNTIME_TOKEN is not set: is the artifact server running?')
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  for (const scope of String(claims.scp ?? '').split(' ')) {
    const [name, run, job] = scope.split(':')
    if (name === 'Actions.Results' && run && job)
      return { workflowRunBackendId: run, workflowJobRunBackendId: job }
  }
  throw new Error('the runtime token has no Actions.Results scope')
}

/** The artifact service of this job (from the runner's environment). */
export function artifactService(env = process.env) {
  const base = env.ACTIONS_RESULTS_URL
  if (!base) throw new Error('ACTIONS_RESULTS_URL is not set: is the artifact server running?')
  const token = env.ACTIONS_RUNTIME_TOKEN
  const ids = backendIds(token)

  async function call(method, body) {
    const url = new URL(`${SERVICE}/${method}`, base.endsWith('/') ? base : `${base}/`)
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ ...ids, ...body })
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${text}`.trim())
    return text ? JSON.parse(text) : {}
  }

  return {
    ids,
    /** Artifacts of this run, optionally only the one named. */
    async list(name) {
      const r = await call('ListArtifacts', name ? { nameFilter: name } : {})
      return (r.artifacts ?? []).map(a => ({
        name: a.name,
        id: Number(a.databaseId),
        size: Number(a.size ?? 0)
      }))
    },
    async remove(name) {
      await call('DeleteArtifact', { name })
    },
    /** Creates the artifact, uploads the zip in one block, finalizes it; returns its id. */
    async upload(name, zip, sha256) {
      const created = await call('CreateArtifact', { name, version: 4 })
      if (!created.ok || !created.signedUploadUrl)
        throw new Error(`CreateArtifact refused ${name}: ${JSON.stringify(created)}`)
      const block = new URL(created.signedUploadUrl)
      block.searchParams.set('comp', 'block')
      const put = await fetch(block, {
        method: 'PUT',
        headers: { 'content-type': 'application/zip', 'x-ms-blob-type': 'BlockBlob' },
        body: zip
      })
      if (!put.ok) throw new Error(`uploading ${name}: HTTP ${put.status}`)
      const done = await call('FinalizeArtifact', {
        name,
        size: String(zip.length),
        hash: `sha256:${sha256}`
      })
      if (!done.ok) throw new Error(`FinalizeArtifact refused ${name}: ${JSON.stringify(done)}`)
      return Number(done.artifactId)
    },
    /** The zip of an artifact of this run. */
    async download(name) {
      const signed = await call('GetSignedArtifactURL', { name })
      if (!signed.signedUrl) throw new Error(`no download URL for ${name}`)
      const res = await fetch(signed.signedUrl)
      if (!res.ok) throw new Error(`downloading ${name}: HTTP ${res.status}`)
      return Buffer.from(await res.arrayBuffer())
    }
  }
}
