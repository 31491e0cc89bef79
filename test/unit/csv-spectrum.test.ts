/**
 * The CSV reader against public conformance files: the csv-spectrum suite, csvkit's odd files and two
 * PapaParse samples, copied with their licences into `test/fixtures/csv-spectrum` (see its README.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NotTabularError } from '../../lambdas/domain/validation/decode.ts';
import { readCsvRows, type CsvFormat, type CsvRow } from '../../lambdas/domain/validation/csv-reader.ts';
import { openBytes } from '../helpers/export-builders.ts';

const spectrum = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'csv-spectrum');

async function readAll(bytes: Uint8Array, chunkSize?: number): Promise<{ rows: CsvRow[]; format?: CsvFormat }> {
  const rows: CsvRow[] = [];
  let format: CsvFormat | undefined;
  const open = openBytes(bytes, chunkSize !== undefined ? { chunkSize } : {});
  for await (const r of readCsvRows(open, { onFormat: (f) => { format = f; } })) rows.push(r);
  return { rows, ...(format ? { format } : {}) };
}

const readFile = (...parts: string[]): Buffer => readFileSync(join(spectrum, ...parts));

/** Records as csv-spectrum's JSON writes them: header cells as keys. */
function asObjects(rows: readonly CsvRow[]): Record<string, string>[] {
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries(header!.cells.map((h, i) => [h, r.cells[i] ?? ''])));
}

const spectrumCases = readdirSync(join(spectrum, 'csvs'))
  .filter((f) => f.endsWith('.csv'))
  .map((f) => basename(f, '.csv'))
  .sort();

describe('csv-spectrum', () => {
  it('has the whole suite in the fixtures', () => {
    expect(spectrumCases).toEqual([
      'comma_in_quotes', 'empty', 'empty_crlf', 'escaped_quotes', 'json', 'newlines', 'newlines_crlf',
      'quotes_and_newlines', 'simple', 'simple_crlf', 'utf8',
    ]);
  });

  it.each(spectrumCases)('%s.csv reads as %s.json', async (name) => {
    const expected = JSON.parse(readFile('json', `${name}.json`).toString('utf8')) as Record<string, string>[];
    const { rows } = await readAll(readFile('csvs', `${name}.csv`));
    expect(asObjects(rows)).toEqual(expected);
  });

  it.each(spectrumCases)('%s.csv reads the same when its bytes arrive one at a time', async (name) => {
    const bytes = readFile('csvs', `${name}.csv`);
    expect((await readAll(bytes, 1)).rows).toEqual((await readAll(bytes)).rows);
  });

  it('numbers records from 1 (the header) and gives the physical line each starts on', async () => {
    const expectedStarts = [[1, 1], [2, 2], [3, 3], [4, 5]];
    for (const name of ['newlines', 'newlines_crlf']) {
      const { rows } = await readAll(readFile('csvs', `${name}.csv`));
      expect(rows.map((r) => [r.row, r.line])).toEqual(expectedStarts);
    }
    const { rows } = await readAll(readFile('csvs', 'quotes_and_newlines.csv'));
    expect(rows.map((r) => [r.row, r.line])).toEqual([[1, 1], [2, 2], [3, 5]]);
  });

  it('historical latin1.csv (0xA9) reads as latin1.json, through the Windows-1252 fallback', async () => {
    const expected = JSON.parse(readFile('historical', 'latin1.json').toString('utf8')) as Record<string, string>[];
    const { rows, format } = await readAll(readFile('historical', 'latin1.csv'));
    expect(asObjects(rows)).toEqual(expected);
    expect(format).toEqual({ encoding: 'windows-1252', delimiter: ',', encodingFallback: true });
  });
});

describe('csvkit extras', () => {
  const csvkit = (name: string) => readFile('extras', 'csvkit', name);
  const cellsOf = (rows: readonly CsvRow[]) => rows.map((r) => r.cells);

  it('bad.csv: ragged rows are read as they are (the validator judges them)', async () => {
    const { rows } = await readAll(csvkit('bad.csv'));
    expect(cellsOf(rows)).toEqual([
      ['column_a', 'column_b', 'column_c'],
      ['1', '27', '', "I'm too long!"],
      ['', "I'm too short!"],
      ['0', 'mixed types.... uh oh', '17'],
    ]);
  });

  it('blanks.csv: NA, N/A, NONE, NULL and . stay text', async () => {
    const { rows } = await readAll(csvkit('blanks.csv'));
    expect(cellsOf(rows)).toEqual([['a', 'b', 'c', 'd', 'e', 'f'], ['', 'NA', 'N/A', 'NONE', 'NULL', '.']]);
  });

  it('mac_newlines.csv: CR-only line ends, also inside a quoted field', async () => {
    const { rows } = await readAll(csvkit('mac_newlines.csv'));
    expect(cellsOf(rows)).toEqual([['a', 'b', 'c'], ['1', '2', '3'], ['Once upon\ra time', '5', '6']]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3]);
  });

  it('null_byte.csv: a NUL byte is a not-tabular error', async () => {
    const err = await readAll(csvkit('null_byte.csv')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotTabularError);
    expect((err as NotTabularError).code).toBe('not-tabular');
  });

  it('test_empty_columns_long_row.csv and _short_row.csv: empty cells are kept, ragged', async () => {
    expect(cellsOf((await readAll(csvkit('test_empty_columns_long_row.csv'))).rows)).toEqual([['a', 'b', 'c'], ['', '', '', '']]);
    expect(cellsOf((await readAll(csvkit('test_empty_columns_short_row.csv'))).rows)).toEqual([['a', 'b', 'c'], ['', '']]);
  });

  it('test_header_newline.csv: line breaks and control characters inside a quoted header', async () => {
    const { rows } = await readAll(csvkit('test_header_newline.csv'));
    const ws = '\t\n\v\f\r';
    expect(cellsOf(rows)).toEqual([[`${ws} start ${ws} end ${ws}`, 'b', 'c'], ['d', 'e', 'f']]);
    // The header holds six line breaks (each \n and each \r), so the data row starts on line 8.
    expect(rows.map((r) => [r.row, r.line])).toEqual([[1, 1], [2, 8]]);
  });

  it('test_latin1.csv: byte 0xA9 is not UTF-8 and reads as © in Windows-1252', async () => {
    const bytes = csvkit('test_latin1.csv');
    expect(bytes.at(-1)).toBe(0xa9);
    const { rows, format } = await readAll(bytes);
    expect(cellsOf(rows)).toEqual([['a', 'b', 'c'], ['1', '2', '3'], ['4', '5', '©']]);
    expect(format?.encodingFallback).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('\uFFFD');
  });

  it('test_skip_lines.csv: blank lines before the header are skipped and counted', async () => {
    const { rows } = await readAll(csvkit('test_skip_lines.csv'));
    expect(rows).toEqual([
      { cells: ['a', 'b', 'c'], row: 1, line: 4 },
      { cells: ['1', '2', '3'], row: 2, line: 5 },
    ]);
  });

  it.each([
    ['test_utf16_big.csv', 'utf-16be'],
    ['test_utf16_little.csv', 'utf-16le'],
  ])('%s: UTF-16 with a BOM', async (name, encoding) => {
    const { rows, format } = await readAll(csvkit(name));
    expect(cellsOf(rows)).toEqual([['a', 'b', 'c'], ['1', '2', '3'], ['4', '5', 'ʤ']]);
    expect(format).toEqual({ encoding, delimiter: ',', encodingFallback: false });
  });

  it('test_utf8_bom.csv: the BOM is not part of the first header', async () => {
    const { rows } = await readAll(csvkit('test_utf8_bom.csv'));
    expect(cellsOf(rows)).toEqual([['foo', 'bar', 'baz'], ['1', '2', '3'], ['4', '5', 'ʤ']]);
  });

  it('covers every csvkit extra', () => {
    expect(readdirSync(join(spectrum, 'extras', 'csvkit')).sort()).toEqual([
      'bad.csv', 'blanks.csv', 'mac_newlines.csv', 'null_byte.csv', 'test_empty_columns_long_row.csv',
      'test_empty_columns_short_row.csv', 'test_header_newline.csv', 'test_latin1.csv', 'test_skip_lines.csv',
      'test_utf16_big.csv', 'test_utf16_little.csv', 'test_utf8_bom.csv',
    ]);
  });
});

describe('papaparse extras', () => {
  it.each(['sample.csv', 'utf-8-bom-sample.csv'])('%s: with or without a BOM and a final newline', async (name) => {
    const { rows } = await readAll(readFile('extras', 'papaparse', name));
    expect(rows.map((r) => r.cells)).toEqual([['A', 'B', 'C'], ['X', 'Y', 'Z']]);
  });
});

describe('readCsvRows', () => {
  it('detects ; and tab delimiters from the first line', async () => {
    const semi = await readAll(Buffer.from('a;b;c\n1;"2;3";4\n'));
    expect(semi.rows.map((r) => r.cells)).toEqual([['a', 'b', 'c'], ['1', '2;3', '4']]);
    expect(semi.format?.delimiter).toBe(';');
    const tab = await readAll(Buffer.from('a\tb\n1,5\t2\n'));
    expect(tab.rows.map((r) => r.cells)).toEqual([['a', 'b'], ['1,5', '2']]);
  });

  it('reads nothing from a blank file and rejects a binary one', async () => {
    expect((await readAll(Buffer.from('\n\r\n'))).rows).toEqual([]);
    await expect(readAll(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).rejects.toBeInstanceOf(NotTabularError);
  });

  it('falls back to Windows-1252 past the first chunk without yielding a record twice', async () => {
    const ascii = Array.from({ length: 5_000 }, (_, i) => `${i},row ${i}`).join('\n');
    const bytes = Buffer.concat([Buffer.from(`id,name\n${ascii}\n`), Buffer.from([0x35, 0x30, 0x30, 0x30, 0x2c, 0xe9, 0x0a])]);
    const { rows, format } = await readAll(bytes, 4096);
    expect(rows).toHaveLength(5_002);
    expect(rows.map((r) => r.row)).toEqual(rows.map((_, i) => i + 1));
    expect(rows.at(-1)?.cells).toEqual(['5000', 'é']);
    expect(format?.encodingFallback).toBe(true);
  });

  it('refuses a file that is UTF-8 with records already read, and then something else', async () => {
    // Far enough into the file that records before the bad byte have been handed out (the reader streams).
    const bytes = Buffer.concat([Buffer.from(`id,name\n1,Zoë\n${'2,x\n'.repeat(200_000)}`), Buffer.from([0x33, 0x2c, 0xe9, 0x0a])]);
    await expect(readAll(bytes, 1024)).rejects.toMatchObject({ code: 'encoding-error', row: expect.any(Number) });
  });
});
