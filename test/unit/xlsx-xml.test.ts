/**
 * The XML tokenizer the .xlsx reader streams parts through: the same events however the text is cut into
 * chunks (a tag, an entity or a text run cut in two), entities and CDATA decoded, comments and processing
 * instructions skipped, namespace prefixes dropped; a DTD refused and a wanted text run bounded.
 */
import { describe, expect, it } from 'vitest';
import { NotTabularError, TooLargeError } from '../../lambdas/domain/validation/decode.ts';
import { XmlTokenizer, decodeEntities, type XmlHandler } from '../../lambdas/domain/validation/xml.ts';

/** Events as strings; text is wanted inside `<t>` and `<v>` only, as the sheet and shared-strings readers do. */
function events(chunks: readonly string[], maxTextChars = 1000): string[] {
  const out: string[] = [];
  let depth = 0;
  let text = '';
  const handler: XmlHandler = {
    open: (name, a) => { out.push(`<${name}${Object.entries(a).map(([k, v]) => ` ${k}=${v}`).join('')}>`); if (name === 't' || name === 'v') depth++; },
    close: (name) => { if (text) { out.push(`"${text}"`); text = ''; } out.push(`</${name}>`); if (name === 't' || name === 'v') depth--; },
    text: (t) => { text += t; },
    get wantsText() { return depth > 0; },
  };
  const tokenizer = new XmlTokenizer(handler, 'the test part', maxTextChars);
  for (const c of chunks) tokenizer.push(c);
  tokenizer.end();
  return out;
}

const XML = '<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment with <c> in it -->' +
  '<x:sheetData xmlns:x="urn:main"><x:row r="1" spans="1:3"><x:c r="A1" t="s"><x:v>12</x:v></x:c>' +
  '<x:c r="B1" t=\'inlineStr\'><x:is><x:t xml:space="preserve"> Zoë &amp; Søren &lt;3 &#x1F600;&#233;</x:t></x:is></x:c>' +
  '<x:c r="C1" note="a > b"/><x:c r="D1"><x:v><![CDATA[1<2]]></x:v></x:c></x:row>\n  </x:sheetData>';

describe('XmlTokenizer', () => {
  const whole = events([XML]);

  it('reads tags, attributes and wanted text, entities decoded, prefixes dropped', () => {
    expect(whole).toEqual([
      '<sheetData x=urn:main>', '<row r=1 spans=1:3>', '<c r=A1 t=s>', '<v>', '"12"', '</v>', '</c>',
      '<c r=B1 t=inlineStr>', '<is>', '<t space=preserve>', '" Zoë & Søren <3 😀é"', '</t>', '</is>', '</c>',
      '<c r=C1 note=a > b>', '</c>', '<c r=D1>', '<v>', '"1<2"', '</v>', '</c>', '</row>', '</sheetData>',
    ]);
  });

  it('gives the same events whatever the chunks', () => {
    for (let cut = 1; cut < XML.length; cut++) {
      expect(events([XML.slice(0, cut), XML.slice(cut)]), `cut at ${cut}`).toEqual(whole);
    }
    expect(events(XML.split(''))).toEqual(whole);
  });

  it('refuses a document type declaration (entities could expand without bound)', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><sst><si><t>&lol;</t></si></sst>';
    expect(() => events([bomb])).toThrow(NotTabularError);
  });

  it('bounds a wanted text run, and calls a part that ends inside a tag damaged', () => {
    const long = `<v>${'x'.repeat(5000)}`;
    expect(() => events([long, 'x'.repeat(5000), '</v>'], 1000)).toThrow(TooLargeError);
    expect(() => events(['<row><c r="A1"'])).toThrow(/damaged/);
  });

  it('decodes entities, leaving unknown ones as they are', () => {
    expect(decodeEntities('a &amp; b &quot;c&quot; &apos;d&apos; &#65;&#x42; &nbsp;')).toBe('a & b "c" \'d\' AB &nbsp;');
  });
});
