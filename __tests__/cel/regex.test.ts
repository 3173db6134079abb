import { describe, expect, it } from '@jest/globals'
import { evaluateCel } from '../../src/cel/criteria.js'
import { findAllMatches, findFirstMatch, re2ToJs } from '../../src/cel/regex.js'

const cel = (source: string, bindings: Record<string, unknown> = {}) =>
  evaluateCel(source, bindings)

describe('find / findAll in CEL', () => {
  it.each<[string, unknown]>([
    ["'abc 123'.find('[0-9]+')", '123'],
    ["'abc 123'.find('[0-9]*')", ''],
    ["'abc 123'.find('xyz')", ''],
    // Go's FindAllString: empty matches between the numbers, none right after a match.
    ["'123 abc 456'.findAll('[0-9]*')", ['123', '', '', '', '', '456']],
    ["'123 abc 456'.findAll('[0-9]+')", ['123', '456']],
    ["'123 abc 456'.findAll('[0-9]+', 1)", ['123']],
    ["'123 abc 456'.findAll('[0-9]+', 0)", []],
    ["'123 abc 456'.findAll('xyz')", []],
    ["'image: registry.local/api:1.4.2'.find('[0-9]+\\\\.[0-9]+\\\\.[0-9]+')", '1.4.2'],
    ["'Hello World'.find('(?i)WORLD')", 'World'],
    ["'a1b2'.findAll('[[:digit:]]')", ['1', '2']],
    ["'ab'.find('(?P<first>a)')", 'a'],
    ["'x\\ny'.find('(?s)x.y')", 'x\ny'],
    ["'v1.2'.matches('^v[0-9]+\\\\.[0-9]+$')", true]
  ])('%s is %j', (source, expected) => {
    expect(cel(source)).toEqual(expected)
  })

  it.each<[string, string]>([
    ["'a'.find('(')", 'Illegal regex: error parsing regexp: missing closing ): `(`'],
    ["'a'.find('a(?=b)')", 'invalid or unsupported Perl syntax'],
    ["'aa'.findAll('(a)\\\\1')", 'invalid escape sequence'],
    // A pattern only known at run time fails at run time, with the same message.
    ["'a'.find(value)", 'Illegal regex: error parsing regexp: missing closing )']
  ])('%s fails: %s', (source, message) => {
    expect(() => cel(source, { value: '(' })).toThrow(message)
  })
})

describe('RE2 patterns run as JS regular expressions with RE2 meaning', () => {
  it.each<[string, string, string]>([
    // RE2 \s is ASCII whitespace only; JS \s also matches a no-break space.
    ['a\\sb', 'a\u00a0b a b', 'a b'],
    ['\\Aab', 'abab', 'ab'],
    ['ab\\z', 'abab', 'ab'],
    ['[]a]+', 'x]a]', ']a]'],
    ['\\Qa.b\\E', 'axb a.b', 'a.b'],
    ['a(?i)b|c', 'aB C', 'aB'],
    ['\\pL+', '123 héllo', 'héllo'],
    ['[^[:space:]]+', '  word  ', 'word'],
    ['\\x41\\x{42}', 'xAB', 'AB'],
    ['\\-\\.', 'a-.b', '-.']
  ])('%s on %j finds %j', (pattern, text, expected) => {
    expect(findFirstMatch(text, pattern)).toBe(expected)
  })

  it('translates inline flags into scoped modifier groups that reopen after |', () => {
    expect(re2ToJs('a(?i)b|c')).toEqual({ source: 'a(?i:b)|(?i:c)', flags: 'g' })
    expect(re2ToJs('(?P<n>x)')).toEqual({ source: '(?<n>x)', flags: 'g' })
    expect(re2ToJs('\\p{Greek}').flags).toBe('gu')
  })

  it('refuses what JS cannot do the RE2 way', () => {
    expect(() => findFirstMatch('a', '(?U)a+')).toThrow('U (ungreedy) flag is not supported')
  })

  it('steps over astral characters one code point at a time for empty matches', () => {
    expect(findAllMatches('😀a', 'x*')).toEqual(['', '', ''])
  })
})
