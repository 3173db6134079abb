// Keys and certificates of a local cluster, made once with the openssl CLI
// (OpenSSL 3: `req -x509 -CA` signs a new key in one call) and kept.
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { run } from './processes.mjs'

const DAYS = '3650'

async function openssl(args) {
  await run('openssl', args)
}

/** A self-signed CA unless `dir/<name>.crt` exists. */
export async function ensureCa(dir, name, cn) {
  const crt = join(dir, `${name}.crt`)
  const key = join(dir, `${name}.key`)
  if (!existsSync(crt)) {
    // prettier-ignore
    await openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', crt, '-days', DAYS, '-subj', `/CN=${cn}`])
    chmodSync(key, 0o600)
  }
  return { crt, key }
}

/**
 * A certificate signed by `ca` unless `dir/<name>.crt` exists. `sans` are
 * subjectAltName entries (`IP:127.0.0.1`, `DNS:localhost`); `org` becomes the
 * O= of the subject, which Kubernetes reads as the group of a client.
 */
export async function ensureCert(
  dir,
  name,
  { ca, cn, org, sans = [], usage = 'serverAuth,clientAuth', rsa = false }
) {
  const crt = join(dir, `${name}.crt`)
  const key = join(dir, `${name}.key`)
  if (!existsSync(crt)) {
    const subj = `${org ? `/O=${org}` : ''}/CN=${cn}`
    const keyArgs = rsa
      ? ['-newkey', 'rsa:2048']
      : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1']
    const ext = [
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-addext',
      `extendedKeyUsage=${usage}`
    ]
    if (sans.length) ext.push('-addext', `subjectAltName=${sans.join(',')}`)
    const signer = ca ? ['-CA', ca.crt, '-CAkey', ca.key] : []
    // prettier-ignore
    await openssl(['req', '-x509', ...signer, ...keyArgs, '-nodes', '-keyout', key, '-out', crt,
      '-days', DAYS, '-subj', subj, ...ext])
    chmodSync(key, 0o600)
  }
  return { crt, key }
}

/** An RSA key pair (PEM private key and public key) unless it exists. */
export async function ensureRsaKeyPair(dir, name) {
  const key = join(dir, `${name}.key`)
  const pub = join(dir, `${name}.pub`)
  if (!existsSync(key)) {
    await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key])
    chmodSync(key, 0o600)
  }
  if (!existsSync(pub)) await openssl(['pkey', '-in', key, '-pubout', '-out', pub])
  return { key, pub }
}

/** A random secret kept in `file` (mode 0600), made on first use. */
export function ensureSecret(file, bytes = 24) {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 })
  if (!existsSync(file))
    writeFileSync(file, randomBytes(bytes).toString('hex') + '\n', { mode: 0o600 })
  return file
}
