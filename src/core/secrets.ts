/**
 * Every secret value the run knows (tokens, passwords, kubeconfig
 * credentials) is registered here; every renderer and logger passes its output
 * through `redact`, which removes the plain, base64 and URL-encoded forms.
 */

const MASK = '***'
const secrets = new Set<string>()
const forms: string[] = []
const listeners: ((value: string) => void)[] = []

/** Registers a secret value (ignored when shorter than 4 characters, as GitHub does). */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 4 || secrets.has(value)) return
  secrets.add(value)
  const variants = new Set([
    value,
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('base64').replace(/=+$/, ''),
    Buffer.from(value).toString('base64url'),
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1)
  ])
  for (const v of variants) if (v.length >= 4) forms.push(v)
  // Longest first so a secret containing another is masked whole.
  forms.sort((a, b) => b.length - a.length)
  for (const l of listeners) l(value)
}

/** Called for each secret registered from now on (the action forwards them to core.setSecret). */
export function onSecret(listener: (value: string) => void): void {
  listeners.push(listener)
  for (const s of secrets) listener(s)
}

/** The text with every known secret form replaced by `***`. */
export function redact(text: string): string {
  if (forms.length === 0 || !text) return text
  let out = text
  for (const f of forms) if (out.includes(f)) out = out.split(f).join(MASK)
  return out
}

/** True when the text holds any registered secret form. */
export function containsSecret(text: string): boolean {
  return forms.some(f => text.includes(f))
}

/** Forgets every secret (tests only). */
export function clearSecrets(): void {
  secrets.clear()
  forms.length = 0
}
