import { afterEach, describe, expect, it } from '@jest/globals'
import { clearSecrets, containsSecret, redact, registerSecret } from '../../src/core/secrets.js'

describe('redact', () => {
  afterEach(() => clearSecrets())
  const secret = 's3cr3t-T0ken/with+chars='
  it.each([
    ['plain', secret],
    ['base64', Buffer.from(secret).toString('base64')],
    ['base64url', Buffer.from(secret).toString('base64url')],
    ['url-encoded', encodeURIComponent(secret)],
    ['json-escaped', JSON.stringify(secret).slice(1, -1)]
  ])('masks the %s form', (_name, form) => {
    registerSecret(secret)
    const text = `before ${form} after`
    expect(containsSecret(text)).toBe(true)
    expect(redact(text)).toBe('before *** after')
  })
  it('leaves text without secrets alone and ignores tiny values', () => {
    registerSecret('abc')
    expect(redact('abc def')).toBe('abc def')
  })
  it('masks a longer secret whole when it contains a shorter one', () => {
    registerSecret('token-1234')
    registerSecret('token-1234-extended')
    expect(redact('x token-1234-extended y')).toBe('x *** y')
  })
})
