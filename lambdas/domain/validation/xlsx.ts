/**
 * Reading the first sheet of an Excel workbook (`.xlsx`) as rows of cell text. Cells are turned into the text
 * a CSV export of the sheet would hold, in the forms the value parsers read (a date cell → `YYYY-MM-DD` or
 * `YYYY-MM-DDTHH:mm:ss`, a number → its shortest decimal form, a boolean → `true` / `false`), so a workbook is
 * validated by the very same rules as a CSV file.
 *
 * The archive is read from its directory (zip.ts), so the parts are taken in the order they are needed
 * whatever order the writer put them in (Excel writes the workbook part first, openpyxl and pandas last):
 * first the list of tabs and the date system, then the styles and shared strings, then the first sheet in
 * tab order, streamed. Every read is bounded (limits.ts) and a damaged part is an error, never a wait.
 *
 * Memory: the file itself (up to `maxWorkbookBytes`), the shared-strings table (every distinct text, up to
 * `maxWorkbookTableBytes` of XML) and the date flag of each cell style; rows stream.
 */
import { TextDecoder } from 'node:util';
import type { DatasetSpec } from '../datasets/registry.ts';
import { NotTabularError, TooLargeError } from './decode.ts';
import { findHeaderInRows, type HeaderMapping, type HeaderReader, type HeaderReading } from './header.ts';
import { UPLOAD_LIMITS, formatBytes, type UploadLimits } from './limits.ts';
import { XmlTokenizer, type XmlAttributes, type XmlHandler } from './xml.ts';
import { inflateEntry, readZipDirectory, type EntryLimits, type ZipEntry } from './zip.ts';

/** Rows read ahead to find the header past a report's title rows. */
const HEADER_SEARCH_ROWS = 60;

export interface XlsxHeader<R extends HeaderReading = HeaderReading> {
  readonly cells: readonly string[];
  readonly mapping: HeaderMapping;
  /** How the sheet is read from this header on (a profile, a mapping: see `findHeaderInRows`). */
  readonly reading: R;
  /** The rows read ahead after the header (up to the search's 60), for suggestions when a column is missing. */
  readonly sample: readonly (readonly string[])[];
  /** Index of the header among the non-empty rows read ahead. */
  readonly lineIndex: number;
  /** Sheet row number of the header (1 = the sheet's first row). */
  readonly line: number;
}

export interface XlsxHandlers<R extends HeaderReading = HeaderReading> {
  /** Told the header and the sheet's name; returns false to stop reading (a header error). */
  onHeader(header: XlsxHeader<R>, sheet: string): boolean;
  /** Each non-empty row after the header, with its sheet row number. */
  onRow(cells: string[], line: number): Promise<void>;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** A date cell as the value parsers read it: local wall time (Excel dates have no zone), seconds rounded. */
function dateText(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const t = new Date(Math.round(ms / 1000) * 1000);
  if (Number.isNaN(t.getTime())) return '';
  const date = `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
  if (t.getUTCHours() === 0 && t.getUTCMinutes() === 0 && t.getUTCSeconds() === 0) return date;
  return `${date}T${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}`;
}

/**
 * An Excel serial day number as epoch milliseconds of the same wall time. The 1900 system counts from
 * 1899-12-30 (day 25569 is 1970-01-01); the 1904 system (old Mac Excel, `<workbookPr date1904="1"/>`) from
 * 1904-01-01, 1462 days later.
 */
const serialToMs = (serial: number, date1904: boolean): number => (serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000;

/** Whether a number format shows a date or a time: y, m, d, h, s or b outside quotes and brackets (as Excel tells). */
export const isDateFormat = (fmt: string | undefined): boolean =>
  !!fmt && /[ymdhsb]/i.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '').replace(/\\./g, ''));

/** Built-in number formats that are dates or times (14–22, 45–47, and the East Asian 27–36 and 50–58). */
const isDateFormatId = (id: number): boolean => (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);

/** An ISO date cell (`t="d"`, strict Open XML) as the value parsers read it. */
function isoCellText(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2}))?)?/.exec(v.trim());
  if (!m) return v;
  const time = m[2] ? `${m[2]}:${m[3] ?? '00'}` : '00:00:00';
  return time === '00:00:00' ? m[1]! : `${m[1]}T${time}`;
}

/**
 * The text of one cell, as a CSV export of the sheet would have it, from its type (`t`), its value (`<v>`,
 * or the inline string; a shared string already looked up) and whether its style is a date format. A formula
 * cell is its cached value, typed the same way.
 */
export function cellText(type: string, value: string, isDate: boolean, date1904: boolean): string {
  switch (type) {
    case 'b': return value.trim() === '' ? '' : Number(value) !== 0 ? 'true' : 'false';
    case 'd': return isoCellText(value);
    case 'n': {
      if (value.trim() === '') return '';
      const n = Number(value);
      if (!Number.isFinite(n)) return value;
      return isDate ? dateText(serialToMs(n, date1904)) : String(n);
    }
    default: return value; // s, inlineStr, str (a formula's text), e (#N/A, #VALUE!…: fails its type check as text)
  }
}

/** Column index (0-based) of a cell reference such as `AB12`; -1 when it has no letters. */
function columnOf(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower case
    if (c < 97 || c > 122) break;
    n = n * 26 + (c - 96);
  }
  return i === 0 ? -1 : n - 1;
}

/** Columns of a sheet (A to XFD). */
const MAX_COLUMNS = 16_384;

const isBlank = (cells: readonly string[]): boolean => cells.every((c) => c.trim() === '');

const cannotRead = (why: string): NotTabularError =>
  new NotTabularError(`the workbook cannot be read (${why}): save it again as .xlsx, or export the sheet as CSV`);

/** The whole upload, up to the workbook limit: a zip is read from its directory, at its end. */
async function readUpload(bytes: AsyncIterable<Uint8Array>, max: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of bytes) {
    size += chunk.length;
    if (size > max) {
      throw new TooLargeError(`the workbook is larger than ${formatBytes(max)} (the limit for .xlsx uploads): export the sheet as CSV ` +
        '(or .csv.gz), or split it into smaller workbooks');
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** A part of the archive, its path resolved and looked up (names are case-insensitive). */
class Package {
  constructor(private readonly zip: Buffer, private readonly entries: Map<string, ZipEntry>, private readonly limits: UploadLimits) {}

  entry(path: string): ZipEntry | undefined {
    return this.entries.get(path.toLowerCase());
  }

  /** The limits a part is read under; `table` parts are held in memory, a sheet streams. */
  private entryLimits(e: ZipEntry, kind: 'table' | 'sheet'): EntryLimits {
    return {
      maxBytes: kind === 'sheet' ? this.limits.maxWorkbookPartBytes : this.limits.maxWorkbookTableBytes,
      maxRatio: this.limits.maxCompressionRatio,
      ratioCheckAfterBytes: this.limits.ratioCheckAfterBytes,
      what: kind === 'sheet' ? `the sheet (${e.name})` : partWhat(e.name),
      advice: 'export the sheet as CSV (or .csv.gz), or split the workbook',
    };
  }

  /** Inflates a part without parsing it: throws if it is damaged or past a limit. */
  async check(e: ZipEntry, kind: 'table' | 'sheet'): Promise<void> {
    for await (const chunk of inflateEntry(this.zip, e, this.entryLimits(e, kind))) void chunk;
  }

  /** Streams a part through a handler. */
  async parse(e: ZipEntry, handler: XmlHandler, kind: 'table' | 'sheet', onChunk?: () => Promise<boolean>): Promise<void> {
    const limits = this.entryLimits(e, kind);
    const tokenizer = new XmlTokenizer(handler, limits.what, this.limits.maxWorkbookTextChars);
    let decoder: TextDecoder | undefined;
    for await (const chunk of inflateEntry(this.zip, e, limits)) {
      // Office writes UTF-8; a UTF-16 part says so with its byte order mark.
      decoder ??= new TextDecoder(chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf-16le' : chunk[0] === 0xfe && chunk[1] === 0xff ? 'utf-16be' : 'utf-8', { fatal: true });
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw cannotRead(`${e.name} is not valid text`);
      }
      tokenizer.push(text);
      if (onChunk && !(await onChunk())) return;
    }
    let rest: string;
    try {
      rest = decoder?.decode() ?? '';
    } catch {
      throw cannotRead(`${e.name} ends inside a character`);
    }
    tokenizer.push(rest);
    tokenizer.end();
  }

  /** Relationships of a part: id → type and the path of its target. */
  async relationships(partPath: string): Promise<Map<string, { type: string; path: string }>> {
    const slash = partPath.lastIndexOf('/');
    const dir = partPath.slice(0, slash + 1);
    const rels = this.entry(`${dir}_rels/${partPath.slice(slash + 1)}.rels`);
    const out = new Map<string, { type: string; path: string }>();
    if (!rels) return out;
    await this.parse(rels, collect('Relationship', (a) => {
      if (a.Id !== undefined && a.Target !== undefined && a.TargetMode !== 'External') out.set(a.Id, { type: a.Type ?? '', path: resolvePath(dir, a.Target) });
    }), 'table');
    return out;
  }
}

const partWhat = (name: string): string =>
  /sharedstrings/i.test(name) ? "the workbook's shared-strings table" : /styles/i.test(name) ? "the workbook's styles" : `the workbook part ${name}`;

/** A relationship's target as a part path: absolute (`/xl/worksheets/sheet1.xml`, as openpyxl writes) or relative to `dir`. */
function resolvePath(dir: string, target: string): string {
  const segments = (target.startsWith('/') ? target.slice(1) : dir + target).split('/');
  const out: string[] = [];
  for (const s of segments) {
    if (s === '..') out.pop();
    else if (s !== '.' && s !== '') out.push(s);
  }
  const path = out.join('/');
  try {
    return decodeURIComponent(path); // a target is a URI: `%20` is a space
  } catch {
    return path;
  }
}

/** A handler that only looks at the attributes of one element. */
function collect(element: string, f: (a: XmlAttributes) => void): XmlHandler {
  return { open: (name, a) => { if (name === element) f(a); }, close: () => undefined, text: () => undefined, wantsText: false };
}

const relType = (type: string, kind: string): boolean => type.endsWith(`/${kind}`);

interface Workbook {
  /**
   * The first visible worksheet in tab order (a chart sheet has no rows; a hidden sheet is often an old copy nobody
   * sees), else the first hidden one, if any.
   */
  readonly sheet: { readonly name: string; readonly entry: ZipEntry } | undefined;
  /** The names of the workbook's other worksheets, in tab order. */
  readonly others: readonly string[];
  readonly date1904: boolean;
  readonly sharedStrings: ZipEntry | undefined;
  readonly styles: ZipEntry | undefined;
}

async function readWorkbook(pkg: Package): Promise<Workbook> {
  const root = await pkg.relationships('');
  const bookPath = [...root.values()].find((r) => relType(r.type, 'officeDocument'))?.path ?? 'xl/workbook.xml';
  const book = pkg.entry(bookPath);
  if (!book) throw new NotTabularError('the file is a zip archive without an Excel workbook in it: upload the .xlsx or CSV file the tool exported');
  const tabs: { name: string; id: string; hidden: boolean }[] = [];
  let date1904 = false;
  await pkg.parse(book, {
    open: (name, a) => {
      if (name === 'sheet' && a.id !== undefined) tabs.push({ name: a.name ?? '', id: a.id, hidden: a.state === 'hidden' || a.state === 'veryHidden' });
      else if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
    },
    close: () => undefined, text: () => undefined, wantsText: false,
  }, 'table');
  const rels = await pkg.relationships(book.name);
  const part = (kind: string): ZipEntry | undefined => {
    const r = [...rels.values()].find((x) => relType(x.type, kind));
    return r ? pkg.entry(r.path) : undefined;
  };
  const worksheets = tabs.filter((tab) => { const rel = rels.get(tab.id); return rel !== undefined && relType(rel.type, 'worksheet'); });
  const chosen = worksheets.find((tab) => !tab.hidden) ?? worksheets[0];
  let sheet: Workbook['sheet'];
  if (chosen) {
    const rel = rels.get(chosen.id)!;
    const entry = pkg.entry(rel.path);
    if (!entry) throw cannotRead(`its sheet "${chosen.name}" (${rel.path}) is missing from the archive`);
    sheet = { name: chosen.name, entry };
  }
  const others = worksheets.filter((tab) => tab !== chosen).map((tab) => tab.name);
  return { sheet, others, date1904, sharedStrings: part('sharedStrings'), styles: part('styles') };
}

/** For each cell style (`s`), whether its number format is a date or time. */
async function readDateStyles(pkg: Package, styles: ZipEntry): Promise<boolean[]> {
  const formats = new Map<number, string>();
  const dates: boolean[] = [];
  let inCellXfs = false;
  await pkg.parse(styles, {
    open: (name, a) => {
      if (name === 'numFmt') formats.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(a.numFmtId ?? 0);
        const custom = formats.get(id);
        dates.push(custom !== undefined ? isDateFormat(custom) : isDateFormatId(id));
      }
    },
    close: (name) => { if (name === 'cellXfs') inCellXfs = false; },
    text: () => undefined,
    wantsText: false,
  }, 'table');
  return dates;
}

/** The shared-strings table: each `<si>`'s text (rich-text runs joined; phonetic guides `<rPh>` left out). */
async function readSharedStrings(pkg: Package, sst: ZipEntry): Promise<string[]> {
  const strings: string[] = [];
  let current = '';
  let inT = false;
  let inPhonetic = false;
  await pkg.parse(sst, {
    open: (name) => {
      if (name === 'si') current = '';
      else if (name === 't') inT = !inPhonetic;
      else if (name === 'rPh') inPhonetic = true;
    },
    close: (name) => {
      if (name === 'si') strings.push(current);
      else if (name === 't') inT = false;
      else if (name === 'rPh') inPhonetic = false;
    },
    text: (t) => { current += t; },
    get wantsText() { return inT; },
  }, 'table');
  return strings;
}

/** The rows of a sheet's XML, collected as they complete (the reader drains them after each chunk). */
class SheetRows implements XmlHandler {
  readonly ready: { cells: string[]; line: number }[] = [];
  /** Merged ranges that span rows (`A13:A16`): listed after the rows, so they are checked at the end. */
  readonly merges: { ref: string; firstLine: number; lastLine: number }[] = [];
  private cells: string[] = [];
  private line = 0;
  private col = -1;
  private type = 'n';
  private style = 0;
  private value = '';
  private inValue = false;
  private inInline = false;
  private inPhonetic = false;
  private inCell = false;
  private count = 0;

  constructor(
    private readonly strings: readonly string[],
    private readonly dateStyles: readonly boolean[],
    private readonly date1904: boolean,
    private readonly maxCells: number,
  ) {}

  get wantsText(): boolean {
    return this.inValue;
  }

  open(name: string, a: XmlAttributes): void {
    switch (name) {
      case 'row': {
        const r = Number(a.r);
        this.line = a.r !== undefined && Number.isSafeInteger(r) && r > 0 ? r : this.line + 1;
        this.cells = [];
        this.col = -1;
        break;
      }
      case 'c': {
        if (++this.count > this.maxCells) {
          throw new TooLargeError(`the sheet has more than ${this.maxCells.toLocaleString('en-US')} cells (the limit for .xlsx uploads): ` +
            'export it as CSV (or .csv.gz), or split it into smaller files');
        }
        const col = a.r !== undefined ? columnOf(a.r) : -1;
        this.col = col >= 0 ? col : this.col + 1;
        if (this.col >= MAX_COLUMNS) throw cannotRead(`a cell lies past column XFD, the last one a sheet has (${a.r ?? ''})`);
        this.type = a.t ?? 'n';
        this.style = a.s !== undefined ? Number(a.s) : 0;
        this.value = '';
        this.inCell = true;
        break;
      }
      case 'mergeCell': {
        const m = /^[A-Z]+(\d+):[A-Z]+(\d+)$/i.exec(a.ref ?? '');
        if (m && Number(m[2]) > Number(m[1])) this.merges.push({ ref: a.ref!, firstLine: Number(m[1]), lastLine: Number(m[2]) });
        break;
      }
      case 'v': this.inValue = this.inCell; break;
      case 'is': this.inInline = this.inCell; break;
      case 'rPh': this.inPhonetic = true; break;
      case 't': this.inValue = this.inInline && !this.inPhonetic; break;
    }
  }

  close(name: string): void {
    switch (name) {
      case 'v': case 't': this.inValue = false; break;
      case 'is': this.inInline = false; break;
      case 'rPh': this.inPhonetic = false; break;
      case 'c': {
        this.inCell = false;
        const raw = this.type === 's' ? this.strings[Number(this.value)] ?? '' : this.value;
        const text = cellText(this.type, raw, this.dateStyles[this.style] === true, this.date1904);
        if (text !== '') {
          while (this.cells.length < this.col) this.cells.push('');
          this.cells[this.col] = text;
        }
        break;
      }
      case 'row':
        if (!isBlank(this.cells)) this.ready.push({ cells: this.cells, line: this.line });
        this.cells = [];
        break;
    }
  }

  text(t: string): void {
    this.value += t;
  }
}

/**
 * Reads the workbook's first sheet (in tab order): finds the header among its first rows, then hands every
 * non-empty row after it to `onRow`. A workbook that cannot be read is a `NotTabularError`; one past a limit
 * a `TooLargeError`.
 */
export async function readXlsxRows<R extends HeaderReading = HeaderReading>(
  bytes: AsyncIterable<Uint8Array>,
  spec: DatasetSpec,
  handlers: XlsxHandlers<R>,
  limits: UploadLimits = UPLOAD_LIMITS,
  reader?: HeaderReader<R>,
): Promise<'read' | 'stopped' | 'no-sheet' | 'no-header'> {
  // Errors of the handlers (the sink, the checker) pass through as they are; any other is the workbook's.
  let handlerError: unknown;
  const own = (e: unknown): never => {
    handlerError = e;
    throw e;
  };
  const wrapped: XlsxHandlers<R> = {
    onHeader: (h, name) => { try { return handlers.onHeader(h, name); } catch (e) { return own(e); } },
    onRow: (cells, line) => handlers.onRow(cells, line).catch(own),
  };
  try {
    return await readFirstSheet(bytes, spec, wrapped, limits, reader);
  } catch (e) {
    if (e === handlerError || e instanceof NotTabularError) throw e;
    throw cannotRead((e as Error).message ?? String(e));
  }
}

async function readFirstSheet<R extends HeaderReading>(
  bytes: AsyncIterable<Uint8Array>,
  spec: DatasetSpec,
  handlers: XlsxHandlers<R>,
  limits: UploadLimits,
  reader: HeaderReader<R> | undefined,
): Promise<'read' | 'stopped' | 'no-sheet' | 'no-header'> {
  const zip = await readUpload(bytes, limits.maxWorkbookBytes);
  const pkg = new Package(zip, readZipDirectory(zip), limits);
  const book = await readWorkbook(pkg);
  if (!book.sheet) return 'no-sheet';
  const sheetName = book.sheet.name;
  const dateStyles = book.styles ? await readDateStyles(pkg, book.styles) : [];
  const strings = book.sharedStrings ? await readSharedStrings(pkg, book.sharedStrings) : [];
  const rows = new SheetRows(strings, dateStyles, book.date1904, limits.maxWorkbookCells);

  const ahead: { cells: string[]; line: number }[] = [];
  let result: 'read' | 'stopped' | 'no-header' | undefined;
  let started = false;
  let headerLine = 0;
  const start = async (): Promise<'read' | 'stopped' | 'no-header'> => {
    started = true;
    const header = findHeaderInRows(ahead.map((r) => r.cells), spec, reader);
    if (!header) return 'no-header';
    const line = ahead[header.lineIndex]!.line;
    headerLine = line;
    const sample = ahead.slice(header.lineIndex + 1).map((r) => r.cells);
    if (!handlers.onHeader({ ...header, line, sample }, sheetName)) return 'stopped';
    for (const r of ahead.slice(header.lineIndex + 1)) await handlers.onRow(r.cells, r.line);
    return 'read';
  };
  /** Hands on the rows completed so far; false once reading should stop. */
  const drain = async (): Promise<boolean> => {
    for (const r of rows.ready.splice(0)) {
      if (started) { await handlers.onRow(r.cells, r.line); continue; }
      ahead.push(r);
      if (ahead.length < HEADER_SEARCH_ROWS) continue;
      const outcome = await start();
      if (outcome !== 'read') { result = outcome; return false; }
    }
    return true;
  };
  // The sheet's bytes are checked whole first (inflate and CRC-32, about a twentieth of the time of reading it):
  // a damaged sheet is then one clear error, rather than rows of garbage text checked before it.
  await pkg.check(book.sheet.entry, 'sheet');
  await pkg.parse(book.sheet.entry, rows, 'sheet', drain);
  if (!result) await drain();
  result ??= started ? 'read' : await start();
  if (result === 'no-header' && book.others.length > 0) {
    throw new NotTabularError(`the sheet "${sheetName}" has no table with a header of ${spec.name}; the workbook's other sheets: ` +
      `${book.others.map((n) => `"${n}"`).join(', ')}: move the one with the export first, or save it alone`, 'empty-file');
  }
  // A cell merged down several rows keeps its value in the first only: the others would read as blank (an owner
  // of a grouped report counted as "unknown"). Read as it is, that is wrong in silence, so it is refused.
  const merged = result === 'read' ? rows.merges.find((m) => m.lastLine > headerLine) : undefined;
  if (merged) {
    throw new NotTabularError(`cells ${merged.ref} of the sheet "${sheetName}" are merged over rows ${merged.firstLine} to ${merged.lastLine}: ` +
      'only the first of those rows holds the value, the others would read as blank. Unmerge the cells and fill every row (a ' +
      'Salesforce report: export "Details Only", not "Formatted Report"), then upload it again');
  }
  return result;
}
