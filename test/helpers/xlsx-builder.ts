/**
 * Workbooks and zip archives built byte by byte, for the cases exceljs does not write: the part order and
 * absolute relationship targets of openpyxl (what pandas' `to_excel` writes), the 1904 date system, damaged
 * and lying archives. A small zip writer (deflate from node:zlib) and a reader of the entries of a zip.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipInput {
  readonly name: string;
  readonly data: string | Uint8Array;
  /** Stored instead of deflated. @default false */
  readonly store?: boolean;
  /** The uncompressed size the headers claim, when it should lie. */
  readonly claimSize?: number;
  /** Changes the compressed bytes (cuts them short, say) after the sizes and CRC were taken from the whole. */
  readonly damage?: (compressed: Buffer) => Buffer;
}

/**
 * A zip archive of the entries, in the order given (local headers, then the central directory). `zip64`: the
 * directory gives every size and offset in a zip64 extra field (as writers of large or streamed files do).
 */
export function zipArchive(entries: readonly ZipInput[], opts: { zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const raw = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : Buffer.from(e.data);
    const whole = e.store ? raw : deflateRawSync(raw);
    const data = e.damage ? e.damage(whole) : whole;
    const name = Buffer.from(e.name, 'utf8');
    const size = e.claimSize ?? raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(e.store ? 0 : 8, 8);
    local.writeUInt32LE(crc32(raw), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x800, 8);
    cd.writeUInt16LE(e.store ? 0 : 8, 10);
    cd.writeUInt32LE(crc32(raw), 16);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    const extra = Buffer.alloc(opts.zip64 ? 28 : 0);
    if (opts.zip64) {
      cd.writeUInt32LE(0xffffffff, 20);
      cd.writeUInt32LE(0xffffffff, 24);
      cd.writeUInt32LE(0xffffffff, 42);
      cd.writeUInt16LE(extra.length, 30);
      extra.writeUInt16LE(1, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(size), 4);
      extra.writeBigUInt64LE(BigInt(data.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    locals.push(local, name, data);
    central.push(cd, name, extra);
    offset += local.length + name.length + data.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBytes, end]);
}

export interface ZipEntryBytes {
  readonly name: string;
  /** Where the entry's (compressed) data starts in the archive, and its length. */
  readonly dataOffset: number;
  readonly dataLength: number;
  /** 0: stored, 8: deflated. */
  readonly method: number;
}

/** Where each entry's data lies in an archive, from its central directory (for damaging one entry). */
export function zipEntries(zip: Buffer): ZipEntryBytes[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out: ZipEntryBytes[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(p + 28);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    const local = zip.readUInt32LE(p + 42);
    const dataOffset = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    out.push({ name, dataOffset, dataLength: zip.readUInt32LE(p + 20), method: zip.readUInt16LE(p + 10) });
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return out;
}

/** The uncompressed bytes of each entry of an archive (deflated or stored), in archive order. */
export function zipParts(zip: Buffer): { name: string; data: Buffer }[] {
  return zipEntries(zip).map((e) => {
    const data = zip.subarray(e.dataOffset, e.dataOffset + e.dataLength);
    return { name: e.name, data: e.method === 8 ? inflateRawSync(data) : Buffer.from(data) };
  });
}

/** A copy of the archive with bytes of one entry's compressed data inverted (a damaged sheet stream). */
export function damageEntry(zip: Buffer, name: string, at = 0.5, length = 64): Buffer {
  const entry = zipEntries(zip).find((e) => e.name === name);
  if (!entry) throw new Error(`no entry ${name}`);
  const out = Buffer.from(zip);
  const start = entry.dataOffset + Math.floor(entry.dataLength * at);
  for (let i = start; i < Math.min(start + length, entry.dataOffset + entry.dataLength); i++) out[i] = out[i]! ^ 0xff;
  return out;
}

/** A cell of a hand-written sheet: text (shared), a number, a boolean, a date serial with a date format, empty. */
export type HandCell = string | number | boolean | { readonly serial: number; readonly format?: 'date' | 'datetime' | 'builtin' } | null;

export interface HandSheet {
  readonly name: string;
  readonly rows: readonly (readonly HandCell[])[];
  /** Cells written as formulas with their cached results (`<f>` + `<v>`). @default false */
  readonly formulas?: boolean;
  /** `state="hidden"` in the workbook's sheet list. @default false */
  readonly hidden?: boolean;
  /** Merged ranges (`A2:A4`), written after the rows as Excel does. @default none */
  readonly merged?: readonly string[];
}

export interface HandWorkbookOptions {
  readonly sheets: readonly HandSheet[];
  /** `<workbookPr date1904="1"/>`. */
  readonly date1904?: boolean | 'true';
  /**
   * `openpyxl`: parts in openpyxl's order (sheets first, the workbook part last but one), relationship targets
   * absolute (`/xl/worksheets/sheet1.xml`); `excel`: the workbook part and its relationships first, relative
   * targets, as Excel writes. @default 'openpyxl'
   */
  readonly layout?: 'openpyxl' | 'excel';
  /** Tab order as sheet indexes (the parts stay numbered in `sheets` order). @default sheets' order */
  readonly tabOrder?: readonly number[];
  /** Element prefix for the main namespace (`x:` as some .NET writers do). @default none */
  readonly prefix?: string;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const column = (i: number): string => {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** Style indexes of the styles part below: 0 General, 1 `yyyy-mm-dd` (custom), 2 `yyyy-mm-dd hh:mm` (custom), 3 built-in 14. */
const STYLE = { date: 1, datetime: 2, builtin: 3 } as const;

/** An .xlsx written part by part, as openpyxl (pandas) or Excel lay it out. */
export function handWorkbook(opts: HandWorkbookOptions): Buffer {
  const x = opts.prefix ? `${opts.prefix}:` : '';
  const ns = opts.prefix ? `xmlns:${opts.prefix}="${MAIN}"` : `xmlns="${MAIN}"`;
  const openpyxl = (opts.layout ?? 'openpyxl') === 'openpyxl';
  const target = (path: string): string => (openpyxl ? `/xl/${path}` : path);
  const strings: string[] = [];
  const shared = new Map<string, number>();
  const sst = (s: string): number => {
    let i = shared.get(s);
    if (i === undefined) { i = strings.length; strings.push(s); shared.set(s, i); }
    return i;
  };
  const sheetXml = (sheet: HandSheet): string => {
    const rows = sheet.rows.map((cells, r) => {
      const cs = cells.map((v, c) => {
        const ref = `${column(c)}${r + 1}`;
        const f = sheet.formulas ? `<${x}f>1+0</${x}f>` : '';
        if (v === null) return '';
        if (typeof v === 'string') return `<${x}c r="${ref}" t="s"><${x}v>${sst(v)}</${x}v></${x}c>`;
        if (typeof v === 'number') return `<${x}c r="${ref}">${f}<${x}v>${v}</${x}v></${x}c>`;
        if (typeof v === 'boolean') return `<${x}c r="${ref}" t="b"><${x}v>${v ? 1 : 0}</${x}v></${x}c>`;
        return `<${x}c r="${ref}" s="${STYLE[v.format ?? 'date']}">${f}<${x}v>${v.serial}</${x}v></${x}c>`;
      }).join('');
      return `<${x}row r="${r + 1}">${cs}</${x}row>`;
    }).join('');
    const merges = sheet.merged?.length
      ? `<${x}mergeCells count="${sheet.merged.length}">${sheet.merged.map((ref) => `<${x}mergeCell ref="${ref}"/>`).join('')}</${x}mergeCells>` : '';
    return `${XML}<${x}worksheet ${ns}><${x}sheetData>${rows}</${x}sheetData>${merges}</${x}worksheet>`;
  };
  const sheets = opts.sheets.map((s, i) => ({ path: `xl/worksheets/sheet${i + 1}.xml`, xml: sheetXml(s) }));
  const tabs = (opts.tabOrder ?? opts.sheets.map((_, i) => i))
    .map((i) => `<${x}sheet name="${esc(opts.sheets[i]!.name)}" sheetId="${i + 1}"${opts.sheets[i]!.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`).join('');
  const date1904 = opts.date1904 ? `<${x}workbookPr date1904="${opts.date1904 === 'true' ? 'true' : '1'}"/>` : `<${x}workbookPr/>`;
  const workbook = `${XML}<${x}workbook ${ns} xmlns:r="${REL}">${date1904}<${x}sheets>${tabs}</${x}sheets></${x}workbook>`;
  const n = opts.sheets.length;
  const workbookRels = `${XML}<Relationships xmlns="${PKG}">` +
    opts.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="${target(`worksheets/sheet${i + 1}.xml`)}"/>`).join('') +
    `<Relationship Id="rId${n + 1}" Type="${REL}/sharedStrings" Target="${target('sharedStrings.xml')}"/>` +
    `<Relationship Id="rId${n + 2}" Type="${REL}/styles" Target="${target('styles.xml')}"/></Relationships>`;
  const rootRels = `${XML}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="${openpyxl ? '/xl/workbook.xml' : 'xl/workbook.xml'}"/></Relationships>`;
  const styles = `${XML}<${x}styleSheet ${ns}><${x}numFmts count="2"><${x}numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>` +
    `<${x}numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></${x}numFmts>` +
    `<${x}cellXfs count="4"><${x}xf numFmtId="0"/><${x}xf numFmtId="164" applyNumberFormat="1"/>` +
    `<${x}xf numFmtId="165" applyNumberFormat="1"/><${x}xf numFmtId="14" applyNumberFormat="1"/></${x}cellXfs></${x}styleSheet>`;
  const sharedStrings = `${XML}<${x}sst ${ns} count="${strings.length}" uniqueCount="${strings.length}">` +
    strings.map((s) => `<${x}si><${x}t${/^\s|\s$/.test(s) ? ' xml:space="preserve"' : ''}>${esc(s)}</${x}t></${x}si>`).join('') + `</${x}sst>`;
  const contentTypes = `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    sheets.map((s) => `<Override PartName="/${s.path}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
    '</Types>';
  const parts = openpyxl
    ? [
      ...sheets.map((s) => ({ name: s.path, data: s.xml })),
      { name: 'xl/sharedStrings.xml', data: sharedStrings },
      { name: 'xl/styles.xml', data: styles },
      { name: 'xl/workbook.xml', data: workbook },
      { name: 'xl/_rels/workbook.xml.rels', data: workbookRels },
      { name: '_rels/.rels', data: rootRels },
      { name: '[Content_Types].xml', data: contentTypes },
    ]
    : [
      { name: '[Content_Types].xml', data: contentTypes },
      { name: '_rels/.rels', data: rootRels },
      { name: 'xl/workbook.xml', data: workbook },
      { name: 'xl/_rels/workbook.xml.rels', data: workbookRels },
      ...sheets.map((s) => ({ name: s.path, data: s.xml })),
      { name: 'xl/styles.xml', data: styles },
      { name: 'xl/sharedStrings.xml', data: sharedStrings },
    ];
  return zipArchive(parts);
}

/** Excel's serial day number of a date (1900 system, or 1904 when asked) — how the fixture writes date cells. */
export function serialOf(iso: string, date1904 = false): number {
  const ms = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : `${iso}Z`);
  return ms / 86_400_000 + 25569 - (date1904 ? 1462 : 0);
}
