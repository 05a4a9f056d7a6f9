import { describe, expect, it } from 'vitest';
import { escapeLike, foldSearchText, queryTokens, searchDocument, textTokens } from './search.js';

describe('search tokenizer', () => {
  it('folds full-width characters, case and white space', () => {
    expect(foldSearchText('  ＡＢＣ　Ｄｅｆ\t１２３  ')).toBe('abc def 123');
  });

  it('turns Chinese into unigrams and bigrams', () => {
    expect(textTokens('北京市')).toEqual(['北', '京', '市', '北京', '京市']);
  });

  it('turns Latin words into trigrams and keeps short words whole', () => {
    expect(textTokens('alice ok')).toEqual(['ali', 'lic', 'ice', 'ok']);
  });

  it('splits mixed Chinese and Latin text into runs', () => {
    expect(textTokens('abc公司')).toEqual(['abc', '公', '司', '公司']);
  });

  it('gives query tokens that are a subset of the tokens of any text containing the query', () => {
    const texts = ['上海浦东新区张江高科技园区', 'alice wonderland 2024', 'acme公司 sales-team', 'x'];
    for (const t of texts) {
      const folded = foldSearchText(t);
      const stored = new Set(textTokens(folded));
      for (let i = 0; i < folded.length; i++) {
        for (let j = i + 1; j <= folded.length; j++) {
          for (const q of queryTokens(folded.slice(i, j))) expect(stored.has(q)).toBe(true);
        }
      }
    }
  });

  it('leaves short Latin query words to the LIKE (they may be inside longer words)', () => {
    expect(queryTokens('al')).toEqual([]);
    expect(queryTokens('京')).toEqual(['京']);
    expect(queryTokens('北京')).toEqual(['北京']);
  });

  it('builds a document from several fields, stripping rich text tags', () => {
    const d = searchDocument([
      { value: 'Acme 公司' },
      { value: '<p>Hello <b>World</b></p>', richText: true },
      { value: ['VIP', 'Key'] },
      { value: null },
      { value: { nested: 'ignored' } },
    ]);
    expect(d.text).toBe('acme 公司\nhello world\nvip\nkey');
    expect(d.tokens).toContain('公司');
    expect(d.tokens).toContain('wor');
    expect(d.tokens).not.toContain('ignored');
  });

  it('escapes LIKE wildcards', () => {
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});
