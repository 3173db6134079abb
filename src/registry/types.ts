/** The registry seam image checks use. The real client is `registry/client.ts`. */

/** A parsed image reference, normalised the way container tooling does. */
export interface ImageReference {
  /** As written in the plan or manifest. */
  original: string
  /** Registry host (with port), `docker.io` for Docker Hub. */
  registry: string
  /** Repository path, `library/nginx` for `nginx`. */
  repository: string
  tag?: string
  digest?: string
}

export type ImageStatus =
  | 'found'
  | 'not-found'
  | 'unauthorized'
  | 'rate-limited'
  | 'unreachable'
  | 'platform-missing'
  | 'error'

/** What the registry said about one image. */
export interface ImageInspection {
  status: ImageStatus
  /** The host actually asked (a mirror when one is configured). */
  host: string
  digest?: string
  mediaType?: string
  /** Platforms an index offers (`linux/amd64`, ...). */
  platforms?: string[]
  /** Compressed size of the (selected platform's) image: config + layers, bytes. */
  compressedSize?: number
  /** The platform `compressedSize` was measured for (the one asked, else linux/amd64 or the first). */
  sizePlatform?: string
  /** HTTP status of the registry's last answer about the manifest. */
  statusCode?: number
  /** Some tags the repository has, when the tag asked for was not found. */
  tags?: string[]
  /** Where the credentials that were sent came from (`imagePullSecret shop/regcred`); unset when anonymous. */
  credentialSource?: string
  /** Plain words for a person: what happened and what to do. */
  message: string
  /** Requests retried (429/5xx/transport) before this answer. */
  retries: number
  /** Seconds the registry asked us to wait, when rate-limited. */
  retryAfter?: number
}

export interface InspectRequest {
  ref: ImageReference
  /** `os/arch[/variant]` the image must offer. */
  platform?: string
  signal?: AbortSignal
}

export interface Registry {
  inspect(req: InspectRequest): Promise<ImageInspection>
}
