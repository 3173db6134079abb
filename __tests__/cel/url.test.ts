import { describe, expect, it } from '@jest/globals'
import { evaluateCel } from '../../src/cel/criteria.js'

const cel = (source: string) => evaluateCel(source, {})

describe('url() and isURL(), with the cases of Kubernetes library/urls.go', () => {
  it.each<[string, unknown]>([
    ["isURL('https://user:pass@example.com:80/path?query=val#fragment')", true],
    ["isURL('/absolute-path')", true],
    ["isURL('https://a:b:c/')", false],
    ["isURL('../relative-path')", false],
    ["isURL('')", false],
    ["isURL('http://exa mple.com/\\n')", false],
    ["isURL('mailto:someone@example.com')", true],
    ["url('/path').getScheme()", ''],
    ["url('https://example.com/').getScheme()", 'https'],
    ["url('HTTPS://example.com/').getScheme()", 'https'],
    ["url('https://example.com:80/').getHost()", 'example.com:80'],
    ["url('https://example.com/').getHost()", 'example.com'],
    ["url('https://[::1]:80/').getHost()", '[::1]:80'],
    ["url('https://[::1]/').getHost()", '[::1]'],
    ["url('/path').getHost()", ''],
    ["url('https://example.com:80/').getHostname()", 'example.com'],
    ["url('https://127.0.0.1:80/').getHostname()", '127.0.0.1'],
    ["url('https://[::1]:80/').getHostname()", '::1'],
    ["url('/path').getHostname()", ''],
    ["url('https://example.com:80/').getPort()", '80'],
    ["url('https://example.com/').getPort()", ''],
    ["url('/path').getPort()", ''],
    ["url('https://example.com/path').getEscapedPath()", '/path'],
    ["url('https://example.com/path with spaces/').getEscapedPath()", '/path%20with%20spaces/'],
    ["url('https://example.com/a%2Fb').getEscapedPath()", '/a%2Fb'],
    ["url('https://example.com').getEscapedPath()", ''],
    ["url('https://example.com/path?k1=a&k2=b&k2=c').getQuery()", { k1: ['a'], k2: ['b', 'c'] }],
    [
      "url('https://example.com/path?key with spaces=value with spaces').getQuery()",
      { 'key with spaces': ['value with spaces'] }
    ],
    ["url('https://example.com/path?').getQuery()", {}],
    ["url('https://example.com/path').getQuery()", {}],
    ["url('https://example.com/p?a=1#frag').getQuery()", { a: ['1'] }],
    ["url('https://example.com/x') == url('https://example.com/x')", true],
    ["url('https://example.com/x') == url('https://example.com/y')", false],
    ["url('https://example.com/x')", 'https://example.com/x']
  ])('%s is %j', (source, expected) => {
    expect(cel(source)).toEqual(expected)
  })

  it.each<[string, string]>([
    [
      "url('https://a:b:c/')",
      'URL parse error during conversion from string: parse "https://a:b:c/": invalid port ":c" after host'
    ],
    ["url('../relative-path')", 'invalid URI for request'],
    ["url('https://example.com/%zz')", 'invalid URL escape "%zz"'],
    ["url(':nope')", 'missing protocol scheme']
  ])('%s fails: %s', (source, message) => {
    expect(() => cel(source)).toThrow(message)
  })
})
