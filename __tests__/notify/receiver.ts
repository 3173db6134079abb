// A loopback webhook receiver for tests: records every request (path,
// headers, parsed body) and answers from a script of statuses, so retries,
// Retry-After and refusals are exercised over real HTTP on 127.0.0.1.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  path: string
  method: string
  headers: http.IncomingHttpHeaders
  body: unknown
  raw: string
  /** The status it was answered with. */
  status: number
}

export interface ScriptedAnswer {
  status: number
  headers?: Record<string, string>
  body?: string
  /** Hold the answer this long (a slow receiver). */
  delayMs?: number
}

export interface Receiver {
  /** Base URL, e.g. http://127.0.0.1:PORT; give each webhook its own path. */
  url: string
  /** Requests answered so far (including refused ones). */
  requests: Received[]
  /** Requests answered 2xx, i.e. delivered. */
  delivered(): Received[]
  /** Answers to give next, one per request; afterwards 200. */
  script(answers: ScriptedAnswer[]): void
  close(): Promise<void>
}

/** Starts a receiver on 127.0.0.1 with a random port. */
export async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = []
  let queue: ScriptedAnswer[] = []
  const timers = new Set<NodeJS.Timeout>()
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      let body: unknown
      try {
        body = JSON.parse(raw)
      } catch {
        body = raw
      }
      const answer = queue.shift() ?? { status: 200, body: 'ok' }
      requests.push({
        path: req.url ?? '',
        method: req.method ?? '',
        headers: req.headers,
        body,
        raw,
        status: answer.status
      })
      const send = (): void => {
        res.writeHead(answer.status, answer.headers ?? {})
        res.end(answer.body ?? '')
      }
      if (!answer.delayMs) return send()
      const t = setTimeout(() => {
        timers.delete(t)
        if (!res.destroyed) send()
      }, answer.delayMs)
      timers.add(t)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered: () => requests.filter(r => r.status >= 200 && r.status < 300),
    script: answers => {
      queue = [...answers]
    },
    close: () =>
      new Promise<void>(resolve => {
        for (const t of timers) clearTimeout(t)
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
