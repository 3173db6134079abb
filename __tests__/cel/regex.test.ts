import { describe, expect, it } from '@jest/globals'
import { evaluateCel } from '../../src/cel/criteria.js'
import { findAllMatches, findFirstMatch } from '../../src/cel/regex.js'

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

describe('RE2 patterns keep their RE2 meaning', () => {
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

  it.each<[string, string, string]>([
    // Ungreedy, as Go: (?U) swaps greedy and lazy.
    ['(?U)a+', 'aaa', 'a'],
    ['(?U)a+?', 'aaa', 'aaa'],
    // Leftmost-first, not longest: the first alternative that matches wins.
    ['a|ab', 'ab', 'a'],
    ['(a|ab)(c|bcd)', 'abcd', 'abcd'],
    ['\\bfoo\\b', 'afoo foo', 'foo'],
    ['(?m)^b$', 'a\nb\nc', 'b'],
    ['^b', 'ab', ''],
    ['x*$', 'ab', ''],
    ['😀+', 'a😀😀b', '😀😀']
  ])('%s on %j finds %j', (pattern, text, expected) => {
    expect(findFirstMatch(text, pattern)).toBe(expected)
  })

  it('steps over astral characters one code point at a time for empty matches', () => {
    expect(findAllMatches('😀a', 'x*')).toEqual(['', '', ''])
  })
})

describe('a user rule cannot hang the gate with a backtracking pattern', () => {
  // A backtracking engine takes 2^n steps for these on n characters (JS RegExp: minutes at 40);
  // RE2's automata take time proportional to the text.
  const evil = 'a'.repeat(40) + 'b'
  const long = 'a'.repeat(100_000) + 'b'
  it.each<[string, unknown]>([
    ["text.matches('^(a+)+$')", false],
    ["text.find('(a+)+$') == ''", true],
    ["text.find('(a|aa)+c') == ''", true],
    ["text.findAll('(a*)*b').size() == 1", true],
    ["text.find('(a|aa)+b') == text", true],
    ["text.matches('(x+x+)+y')", false]
  ])('%s', (source, expected) => {
    for (const text of [evil, long]) {
      const started = performance.now()
      expect(cel(source, { text })).toBe(expected)
      // Generous for a loaded 2-core machine; a backtracking engine never gets here.
      expect(performance.now() - started).toBeLessThan(3_000)
    }
  })
})
