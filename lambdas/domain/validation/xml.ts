/**
 * A streaming XML tokenizer for the parts of an .xlsx file (SpreadsheetML): start and end tags with their
 * attributes, text with the predefined and numeric entities decoded, CDATA; comments and processing
 * instructions skipped. No DTD: Office files have none, and one could declare entities (an "XML bomb"), so
 * a `<!DOCTYPE` is refused. Names lose their namespace prefix (`x:row` is `row`, `r:id` is `id`): writers pick
 * prefixes freely, and the parts read here use each local name once.
 *
 * Fed text chunk by chunk; calls the handler synchronously. Only an incomplete tag or text run is carried over
 * to the next chunk, and a text run the handler wants is bounded (`maxTextChars`).
 */
import { NotTabularError, TooLargeError } from './decode.ts';

export type XmlAttributes = Readonly<Record<string, string>>;

export interface XmlHandler {
  open(name: string, attributes: XmlAttributes): void;
  /** Also called right after `open` for an empty-element tag (`<c r="A1"/>`). */
  close(name: string): void;
  /** Text between tags, entities decoded; called only while `wantsText` is true (other text is skipped). */
  text(text: string): void;
  readonly wantsText: boolean;
}

const localName = (name: string): string => {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
};

/** From the character after `<` of a start tag to its `>`, quoted values skipped (they may hold a `>`). */
const TAG_END = /[^"'>]*(?:(?:"[^"]*"|'[^']*')[^"'>]*)*>/y;
const ATTRIBUTE = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Text with XML's entity references replaced (an unknown one is left as it is). */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (whole, e: string) => {
    if (e.charCodeAt(0) !== 35) return NAMED[e] ?? whole;
    const code = e.charCodeAt(1) === 120 ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function parseAttributes(body: string): XmlAttributes {
  const out: Record<string, string> = {};
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(body); m; m = ATTRIBUTE.exec(body)) out[localName(m[1]!)] = decodeEntities(m[2] ?? m[3] ?? '');
  return out;
}

export class XmlTokenizer {
  private carry = '';

  /** `what` names the part in messages; `maxTextChars` bounds one tag or wanted text run. */
  constructor(private readonly handler: XmlHandler, private readonly what: string, private readonly maxTextChars: number) {}

  push(chunk: string): void {
    const s = this.carry ? this.carry + chunk : chunk;
    const pos = this.scan(s);
    this.carry = pos < s.length ? s.slice(pos) : '';
    // Slack over the text limit: a tag or an entity may come with the text carried.
    if (this.carry.length > this.maxTextChars + 1024) {
      throw new TooLargeError(`${this.what} has a text or tag longer than ${this.maxTextChars.toLocaleString('en-US')} characters ` +
        '(Excel keeps a cell under 32,767): export the sheet as CSV');
    }
  }

  /** The part has ended: what is left must be nothing but text nobody wants. */
  end(): void {
    if (this.carry.includes('<')) throw new NotTabularError(`the workbook is damaged (${this.what} ends inside a tag): save it again, or export the sheet as CSV`);
    this.carry = '';
  }

  /** Handles every complete token of `s`; returns where the incomplete rest starts. */
  private scan(s: string): number {
    const h = this.handler;
    const len = s.length;
    let pos = 0;
    while (pos < len) {
      const lt = s.indexOf('<', pos);
      if (lt < 0) return h.wantsText ? pos : len; // text that goes on in the next chunk, or skipped
      if (lt > pos && h.wantsText) h.text(decodeEntities(s.slice(pos, lt)));
      if (lt + 1 >= len) return lt;
      const c = s.charCodeAt(lt + 1);
      if (c === 47) { // </name>
        const gt = s.indexOf('>', lt + 2);
        if (gt < 0) return lt;
        h.close(localName(s.slice(lt + 2, gt).trim()));
        pos = gt + 1;
      } else if (c === 63) { // <?xml ... ?>
        const end = s.indexOf('?>', lt + 2);
        if (end < 0) return lt;
        pos = end + 2;
      } else if (c === 33) { // <!-- -->, <![CDATA[ ]]>, <!DOCTYPE
        if (lt + 4 > len) return lt;
        if (s.startsWith('<!--', lt)) {
          const end = s.indexOf('-->', lt + 4);
          if (end < 0) return lt;
          pos = end + 3;
        } else if (lt + 9 > len) {
          return lt;
        } else if (s.startsWith('<![CDATA[', lt)) {
          const end = s.indexOf(']]>', lt + 9);
          if (end < 0) return lt;
          if (h.wantsText) h.text(s.slice(lt + 9, end));
          pos = end + 3;
        } else {
          throw new NotTabularError(`the workbook is damaged (${this.what} has a document type declaration, which Office files never have): ` +
            'save it again in Excel, or export the sheet as CSV');
        }
      } else {
        TAG_END.lastIndex = lt + 1;
        if (!TAG_END.test(s)) return lt;
        const gt = TAG_END.lastIndex - 1;
        const selfClosing = s.charCodeAt(gt - 1) === 47;
        const body = s.slice(lt + 1, selfClosing ? gt - 1 : gt);
        const space = body.search(/\s/);
        const name = localName(space < 0 ? body : body.slice(0, space));
        h.open(name, space < 0 ? NO_ATTRIBUTES : parseAttributes(body.slice(space)));
        if (selfClosing) h.close(name);
        pos = gt + 1;
      }
    }
    return len;
  }
}

const NO_ATTRIBUTES: XmlAttributes = Object.freeze({});
