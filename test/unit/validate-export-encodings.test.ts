// Encodings, compression, line ends and delimiters, and files that mix encodings.
import { describe, expect, it } from 'vitest';
import type { LeadRecord } from '../../lambdas/domain/datasets/records.ts';
import { gzip, latin1, lines, utf16be, utf16le, validate, withUtf8Bom } from '../helpers/export-builders.ts';

describe('encodings, compression and line ends', () => {
  const text = lines(['Record ID,Create Date,Original Source,Campaign', 'L1,2026-10-01,web,Café José', 'L2,2026-10-02,web,Zürich']);
  const expectCampaigns = (records: LeadRecord[]) =>
    expect(records.map((r) => r.campaign)).toEqual(['Café José', 'Zürich']);

  it('reads UTF-8 without a BOM', async () => {
    const { report, records } = await validate('leads', text);
    expect(report.format).toMatchObject({ fileType: 'csv', encoding: 'utf-8', delimiter: ',', lineEnding: 'LF' });
    expectCampaigns(records);
  });

  it('reads UTF-8 with a BOM and keeps the BOM out of the first header', async () => {
    const { report, records } = await validate('leads', withUtf8Bom(text));
    expect(report.columns.lead_id).toBe('Record ID');
    expect(report.warnings.filter((w) => w.code !== 'kpi-input-missing')).toEqual([]); // no MQL/SQL columns here: said apart
    expectCampaigns(records);
  });

  it.each([
    ['UTF-16 LE', utf16le(text.replaceAll(',', '\t')), 'utf-16le'],
    ['UTF-16 BE', utf16be(text.replaceAll(',', '\t')), 'utf-16be'],
  ])('reads %s with a BOM (Excel "Unicode text", tab-separated)', async (_what, bytes, encoding) => {
    const { report, records } = await validate('leads', bytes);
    expect(report.status).toBe('accepted');
    expect(report.format).toMatchObject({ encoding, delimiter: '\t' });
    expectCampaigns(records);
  });

  it('reads Windows-1252 bytes that are not UTF-8, with an encoding-fallback warning and no U+FFFD', async () => {
    const bytes = latin1(text);
    expect(bytes.includes(0xe9)).toBe(true); // é is one byte, 0xE9
    const { report, records, sink } = await validate('leads', bytes);
    expect(report.status).toBe('accepted');
    expect(report.format.encoding).toBe('windows-1252');
    expect(report.warnings.map((w) => w.code).filter((c) => c !== 'kpi-input-missing')).toEqual(['encoding-fallback']);
    expectCampaigns(records);
    expect(JSON.stringify(records)).not.toContain('\uFFFD');
    expect(sink.resets).toBe(1);
  });

  it('falls back to Windows-1252 for a byte far into a big file, forgetting the records written before', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `L${i},2026-10-01,web,campaign number ${i}`);
    const bytes = Buffer.concat([Buffer.from(lines(['Record ID,Create Date,Original Source,Campaign', ...rows])), latin1('L-last,2026-10-01,web,Café\n')]);
    const { report, records, sink } = await validate('leads', bytes, { chunkSize: 64 * 1024 });
    expect(report.status).toBe('accepted');
    expect(report.warnings.map((w) => w.code).filter((c) => c !== 'kpi-input-missing')).toEqual(['encoding-fallback']);
    expect(sink.resets).toBe(1);
    expect(records).toHaveLength(20_001);
    expect(records.at(-1)?.campaign).toBe('Café');
  });

  it('reads gzip-compressed input', async () => {
    const { report, records } = await validate('leads', gzip(text), { chunkSize: 7 });
    expect(report.format).toMatchObject({ fileType: 'csv.gz', encoding: 'utf-8' });
    expectCampaigns(records);
  });

  it('reads gzip-compressed UTF-16 and gzip-compressed Windows-1252', async () => {
    expectCampaigns((await validate('leads', gzip(utf16le(text)))).records);
    const fallback = await validate('leads', gzip(latin1(text)));
    expect(fallback.report.warnings.map((w) => w.code).filter((c) => c !== 'kpi-input-missing')).toEqual(['encoding-fallback']);
    expectCampaigns(fallback.records);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const)('reads %s line ends', async (name, eol) => {
    const content = lines(['Record ID,Create Date,Original Source,Campaign', 'L1,2026-10-01,web,Café José', 'L2,2026-10-02,web,Zürich'], eol);
    const { report, records } = await validate('leads', content);
    expect(report.format.lineEnding).toBe(name);
    expectCampaigns(records);
  });

  it('reads a file whose bytes arrive one at a time', async () => {
    const { records } = await validate('leads', withUtf8Bom(text), { chunkSize: 1 });
    expectCampaigns(records);
  });

  it('reads ; delimiters with decimal-comma money', async () => {
    const content = lines(['Day;Channel;Campaign;Cost', '2026-10-01;Paid Search;Brand;1.234,50', '2026-10-02;Paid Search;Brand;"12,5"', '2026-10-03;Paid Search;Brand;7']);
    const { report, records } = await validate('spend', content);
    expect(report.format.delimiter).toBe(';');
    expect(records.map((r) => r.amount_minor)).toEqual([123_450, 1_250, 700]);
  });

  it('still reads decimal-point money in a ; file', async () => {
    const content = lines(['Day;Channel;Cost', '2026-10-01;Search;1234.50', '2026-10-02;Search;"1,234.50"', '2026-10-03;Search;1.234']);
    const { report, records } = await validate('spend', content);
    expect(report.errors).toEqual([]);
    expect(records.map((r) => r.amount_minor)).toEqual([123_450, 123_450, 123_400]);
  });
});

describe('mixed encodings', () => {
  it('encoding-error: UTF-8 text with non-ASCII characters, then bytes that are not UTF-8, with the line of the bad byte', async () => {
    const head = lines(['Record ID,Create Date,Original Source,Campaign', 'L1,2026-10-01,web,Zürich', ...Array.from({ length: 3000 }, (_, i) => `L${i + 2},2026-10-01,web,plain`)]);
    const bytes = Buffer.concat([Buffer.from(head), latin1('L9999,2026-10-01,web,Café\n')]);
    for (const chunkSize of [undefined, 4096]) {
      const { report, sink } = await validate('leads', bytes, chunkSize ? { chunkSize } : {});
      expect(report.status).toBe('rejected');
      expect(report.errors).toMatchObject([{ code: 'encoding-error', row: 3003, line: 3003 }]);
      expect(report.errors[0]?.message).toContain('mixes encodings');
      expect(sink.resets).toBe(0); // not read again as Windows-1252: that would garble "Zürich"
    }
  });

  it('still reads a file as Windows-1252 when only ASCII came before its first non-UTF-8 byte', async () => {
    const bytes = Buffer.concat([Buffer.from('Record ID,Create Date,Original Source,Campaign\nL1,2026-10-01,web,plain\n'), latin1('L2,2026-10-01,web,Café\n')]);
    const { report, records } = await validate('leads', bytes);
    expect(report.status).toBe('accepted');
    expect(report.warnings.map((w) => w.code).filter((c) => c !== 'kpi-input-missing')).toEqual(['encoding-fallback']);
    expect(records.map((r) => r.campaign)).toEqual(['plain', 'Café']);
  });

  it('reads non-ASCII UTF-8 cells split across chunks at every byte, quoted or not', async () => {
    const text = lines(['Record ID,Create Date,Original Source,Campaign', 'Ł1,2026-10-01,Ōrganic,"Zoë, 😀 ✓"', 'L2,2026-10-02,web,Ørsted — “quoted”']);
    for (const chunkSize of [1, 2, 3, 5]) {
      const { records } = await validate('leads', text, { chunkSize });
      expect(records.map((r) => [r.lead_id, r.source, r.campaign])).toEqual([
        ['Ł1', 'Ōrganic', 'Zoë, 😀 ✓'],
        ['L2', 'web', 'Ørsted — “quoted”'],
      ]);
    }
  });

  it('gives the non-ASCII value of a bad cell in the report as written', async () => {
    const { report } = await validate('leads', lines(['Record ID,Create Date,Original Source', 'L1,le 1er octobre,web']));
    expect(report.errors).toMatchObject([{ code: 'type-error', value: 'le 1er octobre' }]);
    const accent = await validate('leads', lines(['Record ID,Create Date,Original Source', 'L1,1 º octobre,web']));
    expect(accent.report.errors).toMatchObject([{ code: 'type-error', value: '1 º octobre' }]);
  });

  it('encoding-error: UTF-16 with a broken character (a lone surrogate)', async () => {
    const good = utf16le('Record ID\tCreate Date\tOriginal Source\nL1\t2026-10-01\tweb\n');
    const broken = Buffer.concat([good, Buffer.from([0x00, 0xd8, 0x41, 0x00, 0x0a, 0x00])]); // U+D800 then "A\n"
    const { report } = await validate('leads', broken);
    expect(report.status).toBe('rejected');
    expect(report.errors.map((e) => e.code)).toEqual(['encoding-error']);
  });

  it('reads a non-ASCII header', async () => {
    const { report, records } = await validate('customers', withUtf8Bom(lines(['Customer ID,Société,Start Date', 'C1,Café SA,2026-10-01'])));
    expect(report.status).toBe('accepted');
    expect(records).toEqual([{ customer_id: 'C1', started_at: '2026-10-01' }]);
  });
});
