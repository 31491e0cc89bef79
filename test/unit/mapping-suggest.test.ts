/**
 * Suggestions when a required column is missing: the closest headers by name (the words people use in English,
 * German, French and Spanish) and by what the values look like, in the report, the summary and a draft mapping
 * that, uploaded as it is, gets the file accepted. In CSV and in a workbook.
 */
import { describe, expect, it } from 'vitest';
import { formatReportSummary } from '../../lambdas/domain/validation/summary.ts';
import { dateOrderOf, nameSimilarity } from '../../lambdas/domain/mapping/suggest.ts';
import { lines, validate } from '../helpers/export-builders.ts';
import { handWorkbook } from '../helpers/xlsx-builder.ts';

const headersOf = (s: Record<string, readonly { header: string }[]> | undefined, column: string): string[] => (s?.[column] ?? []).map((x) => x.header);

describe('the closest headers of a missing column', () => {
  it('a German customers sheet: Kundennummer, Kunde seit, Gekündigt am, Monatsbeitrag', async () => {
    const content = lines(['Kundennummer;Firma;Kunde seit;Gekündigt am;Monatsbeitrag', 'K-1;Acme;15.03.2025;;99,00', 'K-2;Globex;02.01.2026;31.10.2026;199,00']);
    const { report } = await validate('customers', content);
    expect(report.errorCounts).toEqual({ 'missing-column': 2 });
    expect(headersOf(report.suggestions, 'customer_id')[0]).toBe('Kundennummer');
    expect(headersOf(report.suggestions, 'started_at')[0]).toBe('Kunde seit');
    expect(report.mappingDraft).toMatchObject({ columns: { customer_id: 'Kundennummer', started_at: 'Kunde seit', churned_at: 'Gekündigt am', mrr: 'Monatsbeitrag' } });
    const accepted = await validate('customers', content, { mapping: report.mappingDraft! });
    expect(accepted.report.status).toBe('accepted');
    expect(accepted.records.map((r) => [r.customer_id, r.started_at, r.churned_at, r.mrr_minor])).toEqual([
      ['K-1', '2025-03-15', undefined, 9_900], ['K-2', '2026-01-02', '2026-10-31', 19_900],
    ]);
  });

  it('a Spanish leads sheet: Número, Fecha de alta, Origen; D/M/Y dates drafted as DMY', async () => {
    const content = lines(['Número,Nombre,Fecha de alta,Origen,Correo', 'L1,Ana,14/10/2026,Google,ana@example.com', 'L2,Luis,03/10/2026,Feria,luis@example.com']);
    const { report } = await validate('leads', content);
    expect(headersOf(report.suggestions, 'lead_id')[0]).toBe('Número');
    expect(headersOf(report.suggestions, 'created_at')[0]).toBe('Fecha de alta');
    expect(headersOf(report.suggestions, 'source')[0]).toBe('Origen');
    expect(report.mappingDraft).toMatchObject({ dateOrder: 'DMY' });
    const summary = formatReportSummary(report);
    expect(summary).toContain('closest headers for the missing columns:');
    expect(summary).toContain('created_at: "Fecha de alta"');
    expect((await validate('leads', content, { mapping: report.mappingDraft! })).records.map((r) => r.created_at)).toEqual(['2026-10-14', '2026-10-03']);
  });

  it('a French deals sheet: statut words drafted under won, lost, open', async () => {
    const content = lines(['Référence,Date de création,Statut,Montant,Date de clôture', 'A1,2026-10-01,Gagné,"1 200,50",2026-10-20', 'A2,2026-10-02,Perdu,300,2026-10-21', 'A3,2026-10-03,En cours,50,']);
    const { report } = await validate('opportunities', content);
    expect(report.mappingDraft).toMatchObject({
      columns: { opportunity_id: 'Référence', created_at: 'Date de création', status: 'Statut', amount: 'Montant', closed_at: 'Date de clôture' },
      values: { status: { won: ['Gagné'], lost: ['Perdu'], open: ['En cours'] } },
      decimalSeparator: ',',
    });
    const accepted = await validate('opportunities', content, { mapping: report.mappingDraft! });
    expect(accepted.records.map((r) => [r.status, r.amount_minor])).toEqual([['won', 120_050], ['lost', 30_000], ['open', 5_000]]);
  });

  it('by the values alone when no name is close: a column of dates for a date column', async () => {
    const { report } = await validate('web_traffic', lines(['Tageswert,Xyz', '2026-10-01,1200', '2026-10-02,900']));
    expect(headersOf(report.suggestions, 'date')).toEqual(['Tageswert']);
    expect(report.suggestions?.date?.[0]?.why).toContain('dates');
  });

  it('from the rows of a workbook', async () => {
    const xlsx = handWorkbook({ sheets: [{ name: 'Deals', rows: [['Ref', 'Opened', 'Outcome', 'Value'], ['T-1', { serial: 46300, format: 'date' }, 'Signed', 1500], ['T-2', { serial: 46301, format: 'date' }, 'Open', 90.5]] }] });
    const { report } = await validate('opportunities', xlsx);
    expect(report.format.fileType).toBe('xlsx');
    expect(report.mappingDraft).toMatchObject({ columns: { opportunity_id: 'Ref', created_at: 'Opened', status: 'Outcome', amount: 'Value' } });
  });

  it('a tool export: the draft is what its profile reads, and leaves the profile\'s words and missing columns alone', async () => {
    const { fixtureBytes } = await import('../helpers/fixture-exports.ts');
    const stripe = await validate('customers', fixtureBytes('stripe-subscriptions.csv'), { draft: true });
    // `trialing` is the profile's (a skipped row): a draft that called it active would count trials as customers.
    expect(stripe.report.mappingDraft).toEqual({
      profile: 'stripe-subscriptions',
      columns: {
        customer_id: 'Customer ID', started_at: 'Start (UTC)', churned_at: 'Ended At (UTC)', mrr: 'Amount', status: 'Status',
        cancelled_at: 'Canceled At (UTC)', billing_interval: 'Interval', quantity: 'Quantity', currency: 'Currency',
      },
    });
    const pipedrive = await validate('opportunities', fixtureBytes('pipedrive-deals.csv'), { draft: true });
    expect(Object.keys((pipedrive.report.mappingDraft as { columns: object }).columns)).not.toContain('product');
  });

  it('names and date orders', () => {
    expect(nameSimilarity('Create Date', 'created_at')).toBeGreaterThan(0.4);
    expect(nameSimilarity('Kunde seit', 'kunde seit')).toBe(1);
    expect(nameSimilarity('Value', 'Created')).toBeLessThan(0.3);
    expect(dateOrderOf(['5/10/2026', '25/10/2026'])).toBe('DMY');
    expect(dateOrderOf(['10/25/2026'])).toBe('MDY');
    expect(dateOrderOf(['10/05/2026', '2026-10-01'])).toBeUndefined();
  });
});
