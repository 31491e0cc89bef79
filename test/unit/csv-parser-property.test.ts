/**
 * `CsvParser` against what wrote the text: random records (quotes, delimiters and line breaks inside quoted
 * cells, a quote inside an unquoted cell, non-ASCII text, blank lines) written as CSV with LF, CRLF or CR line
 * ends, fed as UTF-8 bytes read as Latin-1 (as `ChunkDecoder` hands them out) in random chunk sizes, must read
 * back as the same records, on the same physical lines, with each skipped column read as blank or filled.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser, SKIPPED_CELL } from '../../lambdas/domain/validation/csv-reader.ts';

const TEXT = fc.string({ unit: fc.constantFrom('a', 'Z', '7', ' ', 'é', 'ø', '€', '日', '😀', '-', ':'), maxLength: 12 });
const QUOTED_ONLY = fc.string({ unit: fc.constantFrom('a', ',', ';', '"', '\n', '\r\n', 'é', '\u00a0'), minLength: 1, maxLength: 8 });

interface Case { records: string[][]; delimiter: string; lineEnd: '\n' | '\r\n' | '\r'; chunks: number[]; blankLines: boolean[] }

const cases = fc.record({
  delimiter: fc.constantFrom(',', ';', '\t'),
  lineEnd: fc.constantFrom('\n', '\r\n', '\r'),
  width: fc.integer({ min: 1, max: 6 }),
  rows: fc.integer({ min: 1, max: 12 }),
  seedCells: fc.array(fc.oneof(TEXT, QUOTED_ONLY, fc.constant('')), { minLength: 72, maxLength: 72 }),
  chunks: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
  blankLines: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
}).map(({ delimiter, lineEnd, width, rows, seedCells, chunks, blankLines }): Case => {
  // A CR-only file writes CR inside its cells too (its first line break, quoted or not, decides how lines end).
  const cell = (t: string): string => (lineEnd === '\r' ? t.replace(/\r?\n/g, '\r') : t);
  const records = Array.from({ length: rows }, (_, r) => Array.from({ length: width }, (_, c) => cell(seedCells[(r * width + c) % 72]!)));
  // A record of one empty cell is a blank line in CSV: give it text.
  for (const rec of records) if (rec.length === 1 && rec[0] === '') rec[0] = 'x';
  return { records, delimiter, lineEnd, chunks, blankLines };
});

function needsQuotes(cell: string, delimiter: string): boolean {
  return cell.includes(delimiter) || cell.includes('"') || cell.includes('\n') || cell.includes('\r') || cell.startsWith(' ');
}

/** A quote inside an unquoted cell is literal: cells whose only special character is such a quote stay unquoted. */
function isQuoted(cell: string, delimiter: string): boolean {
  if (!needsQuotes(cell.replaceAll('"', ''), delimiter) && cell.includes('"') && !cell.startsWith('"')) return false;
  return needsQuotes(cell, delimiter);
}

/** The CSV text, and the physical line each record starts on. */
function write({ records, delimiter, lineEnd, blankLines }: Case): { text: string; lines: number[] } {
  let text = '';
  let line = 1;
  const lines: number[] = [];
  records.forEach((rec, i) => {
    if (blankLines[i]) { text += lineEnd; line++; }
    lines.push(line);
    const cells = rec.map((c) => (isQuoted(c, delimiter) ? `"${c.replaceAll('"', '""')}"` : c));
    text += cells.join(delimiter) + lineEnd;
    for (const c of rec) line += (c.match(/\r\n|\r|\n/g) ?? []).length;
    line++;
  });
  return { text, lines };
}

function parseInChunks(latin1: string, c: Case, skip?: Uint8Array, reuseCells = false): { cells: string[]; line: number }[] {
  const parser = new CsvParser({ delimiter: c.delimiter, utf8Bytes: true, reuseCells });
  if (skip) parser.skip = skip;
  const out: { cells: string[]; line: number }[] = [];
  const onRow = { row: (cells: string[], _row: number, line: number): void => { out.push({ cells: reuseCells ? cells.slice() : cells, line }); } };
  let at = 0;
  for (let k = 0; at < latin1.length; k++) {
    const n = c.chunks[k % c.chunks.length]!;
    parser.push(latin1.slice(at, at + n), onRow);
    at += n;
  }
  parser.end(onRow);
  return out;
}

describe('CsvParser (property)', () => {
  it('reads back what was written, in any chunking, with every line end', () => {
    fc.assert(fc.property(cases, (c) => {
      const { text, lines } = write(c);
      const latin1 = Buffer.from(text, 'utf8').toString('latin1');
      const read = parseInChunks(latin1, c);
      expect(read.map((r) => r.cells)).toEqual(c.records);
      expect(read.map((r) => r.line)).toEqual(lines);
      // One array refilled for every record reads the same (records of different widths included).
      expect(parseInChunks(latin1, c, undefined, true)).toEqual(read);
    }), { numRuns: 400 });
  });

  it('reads a skipped column as blank or filled, never its text', () => {
    fc.assert(fc.property(cases, (c) => {
      const width = c.records[0]!.length;
      const skip = Uint8Array.from({ length: width }, (_, i) => (i % 2 === 1 ? 1 : 0));
      const read = parseInChunks(Buffer.from(write(c).text, 'utf8').toString('latin1'), c, skip);
      const expected = c.records.map((rec) => rec.map((cell, i) => {
        if (skip[i] !== 1 || cell === '') return cell;
        // Quoted cells are read whole; unquoted ones are marked filled unless they are only white space.
        return isQuoted(cell, c.delimiter) || cell.trim() === '' ? cell : SKIPPED_CELL;
      }));
      expect(read.map((r) => r.cells)).toEqual(expected);
    }), { numRuns: 200 });
  });
});

describe('CsvParser reuseCells', () => {
  it('refills one array for ragged records, longer and shorter ones in turn', () => {
    const parser = new CsvParser({ delimiter: ',', reuseCells: true });
    const seen: string[][] = [];
    let same = true;
    let first: string[] | undefined;
    const onRow = {
      row: (cells: string[]): void => {
        first ??= cells;
        same &&= cells === first;
        seen.push(cells.slice());
      },
    };
    parser.push('a,b,c\nd\ne,"f,g",h,i\n,\n', onRow);
    parser.end(onRow);
    expect(seen).toEqual([['a', 'b', 'c'], ['d'], ['e', 'f,g', 'h', 'i'], ['', '']]);
    expect(same).toBe(true);
  });
});
