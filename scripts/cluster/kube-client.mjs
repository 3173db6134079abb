// A minimal Kubernetes client for the cluster's own small controllers (the
// storage provisioner, the OpenShift namespace annotator): JSON over HTTPS to
// the apiserver on loopback with a client certificate, list + watch with
// relist on 410 Gone, and a heartbeat file the cluster's health check reads.
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { setTimeout as sleep } from 'node:timers/promises'

/** A client from `{server, ca, cert, key}` (file paths). */
export function kubeClient({ server, ca, cert, key }) {
  const tls = { ca: readFileSync(ca), cert: readFileSync(cert), key: readFileSync(key) }
  const url = new URL(server)
  if (url.hostname !== '127.0.0.1') throw new Error(`refusing a non-loopback apiserver: ${server}`)

  function send(method, path, body, { contentType = 'application/json', stream } = {}) {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: url.port,
          method,
          path,
          ...tls,
          headers: {
            accept: 'application/json',
            ...(body !== undefined ? { 'content-type': contentType } : {})
          }
        },
        res => {
          if (stream && res.statusCode === 200) {
            resolve({ status: 200, stream: res })
            return
          }
          let text = ''
          res.setEncoding('utf8')
          res.on('data', c => (text += c))
          res.on('end', () => {
            let json
            try {
              json = text ? JSON.parse(text) : undefined
            } catch {
              json = undefined
            }
            resolve({ status: res.statusCode, json, text })
          })
          res.on('error', reject)
        }
      )
      req.setTimeout(stream ? 0 : 15_000, () =>
        req.destroy(new Error(`${method} ${path}: timeout`))
      )
      req.on('error', reject)
      if (body !== undefined) req.end(typeof body === 'string' ? body : JSON.stringify(body))
      else req.end()
    })
  }

  async function call(method, path, body, opts) {
    const r = await send(method, path, body, opts)
    if (r.status >= 300) {
      const err = new Error(`${method} ${path}: HTTP ${r.status} ${r.json?.message ?? r.text}`)
      err.status = r.status
      throw err
    }
    return r.json
  }

  /**
   * Lists `path` and watches it from the list's resourceVersion for ever,
   * calling `handle(type, object)` for every object (type SYNC for listed
   * ones); relists after 410 Gone or a broken stream, and every `resyncMs`.
   */
  async function informer(path, handle, { resyncMs = 30_000, onSynced = () => {}, signal } = {}) {
    while (!signal?.aborted) {
      let rv
      try {
        const list = await call('GET', path)
        rv = list.metadata.resourceVersion
        for (const item of list.items) await handle('SYNC', item)
        onSynced()
        const until = Date.now() + resyncMs
        while (Date.now() < until && !signal?.aborted) {
          const sep = path.includes('?') ? '&' : '?'
          const timeout = Math.max(1, Math.round((until - Date.now()) / 1000))
          const r = await send(
            'GET',
            `${path}${sep}watch=1&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=${timeout}`,
            undefined,
            { stream: true }
          )
          if (r.status !== 200)
            throw Object.assign(new Error(`watch ${path}: HTTP ${r.status}`), { status: r.status })
          let buffered = ''
          let gone = false
          for await (const chunk of r.stream) {
            buffered += chunk
            let nl
            while ((nl = buffered.indexOf('\n')) >= 0) {
              const line = buffered.slice(0, nl).trim()
              buffered = buffered.slice(nl + 1)
              if (!line) continue
              const ev = JSON.parse(line)
              if (ev.type === 'ERROR') {
                gone = true
                break
              }
              rv = ev.object?.metadata?.resourceVersion ?? rv
              if (ev.type !== 'BOOKMARK') await handle(ev.type, ev.object)
            }
            if (gone) break
          }
          if (gone) {
            r.stream.destroy()
            break
          }
        }
      } catch (err) {
        log(`${path}: ${err.message}; relisting`)
        await sleep(1000)
      }
    }
  }

  return {
    get: path =>
      send('GET', path).then(r =>
        r.status === 404
          ? undefined
          : r.status >= 300
            ? Promise.reject(new Error(`GET ${path}: HTTP ${r.status}`))
            : r.json
      ),
    create: (path, body) => call('POST', path, body),
    remove: path =>
      send('DELETE', path).then(r =>
        r.status === 404 || r.status < 300
          ? r.json
          : Promise.reject(new Error(`DELETE ${path}: HTTP ${r.status} ${r.json?.message ?? ''}`))
      ),
    mergePatch: (path, patch) =>
      call('PATCH', path, patch, { contentType: 'application/merge-patch+json' }),
    informer
  }
}

/** Writes a line to the component's log (stdout goes to logs/<component>.log). */
export function log(message) {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`)
}

/** Writes `{pid, at, ...extra}` to `file` atomically; the health check reads it. */
export function heartbeat(file, extra = {}) {
  const tmp = `${file}.tmp`
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, at: Date.now(), ...extra }) + '\n')
  renameSync(tmp, file)
}

/** True when `file` holds a heartbeat of `pid` younger than `maxAgeMs` that says it synced. */
export function heartbeatFresh(file, pid, maxAgeMs = 15_000) {
  try {
    const beat = JSON.parse(readFileSync(file, 'utf8'))
    return beat.pid === pid && beat.synced === true && Date.now() - beat.at < maxAgeMs
  } catch {
    return false
  }
}

/** Runs `main(signal)` until SIGTERM/SIGINT. */
export function runUntilSignalled(main) {
  const ac = new AbortController()
  for (const sig of ['SIGTERM', 'SIGINT'])
    process.on(sig, () => {
      ac.abort()
      process.exit(0)
    })
  main(ac.signal).catch(err => {
    log(`fatal: ${err.stack ?? err.message}`)
    process.exit(1)
  })
}
