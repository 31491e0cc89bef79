/**
 * `mapping.json` is checked by one zod schema and then against its dataset; every problem names its key and says
 * what to write instead. docs/mapping.schema.json is what the schema generates.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MappingError, isMappingKey, parseMappingFile } from '../../lambdas/domain/mapping/schema.ts';
import { MAPPING_SCHEMA_PATH, renderMappingSchema } from '../../scripts/generate-mapping-schema.ts';
import { fixtureBytes } from '../helpers/fixture-exports.ts';

const problemsOf = (json: unknown, dataset: 'leads' | 'opportunities' | 'customers' = 'opportunities'): string[] => {
  try {
    parseMappingFile(typeof json === 'string' ? json : JSON.stringify(json), dataset, 'incoming/x/mapping.json');
  } catch (e) {
    if (e instanceof MappingError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
};

describe('mapping.json', () => {
  it('reads every key of the contract', () => {
    const m = parseMappingFile(fixtureBytes('team-deals.mapping.json').toString('utf8'), 'opportunities', 'm.json');
    expect(m).toMatchObject({
      columns: { opportunity_id: 'Ref', status: 'Outcome' }, values: { status: { won: ['Signed'], lost: ['Dropped'], open: ['In talks', 'Negotiating'] } },
      dateOrder: 'DMY', salesSourced: ['Cold call'],
    });
    expect(parseMappingFile('{"decimalSeparator": ",", "currency": "eur", "values": {"marketing_sourced": {"yes": "Ja"}}}', 'customers', 'm'))
      .toMatchObject({ decimalSeparator: ',', currency: 'EUR', values: { marketing_sourced: { true: ['Ja'] } } });
    expect(parseMappingFile('\uFEFF{}', 'leads', 'm')).toMatchObject({ columns: {}, values: {}, salesSourced: [] });
  });

  it('names what is wrong: JSON, unknown keys and columns, values, a header used twice, a profile', () => {
    expect(problemsOf('{"columns": {')[0]).toMatch(/^: is not valid JSON/);
    expect(problemsOf([])).toEqual([': must be a JSON object, got a list']);
    expect(problemsOf({ colums: {} })).toEqual([': unknown key "colums"; did you mean columns?']);
    expect(problemsOf({ columns: { amout: 'Value' } })[0]).toContain('columns.amout: "amout" is not a column of opportunities; did you mean amount?');
    expect(problemsOf({ columns: { amount: 'Value', source: 'value' } })).toEqual(['columns.source: header "value" is already the amount column']);
    expect(problemsOf({ values: { status: { closed: ['Signed'] } } })).toEqual([
      'values.status.closed: "closed" is not a value of status; write the file\'s words under won, lost, open, skip',
    ]);
    expect(problemsOf({ dateOrder: 'YMD', currency: 'euro' })).toEqual([
      'dateOrder: "YMD" is not a date order: write "DMY" (day first) or "MDY" (month first)', 'currency: must be an ISO 4217 code such as EUR',
    ]);
    expect(problemsOf({ profile: 'pipedrive' })[0]).toContain('profile: "pipedrive" is not a profile of opportunities; did you mean pipedrive-deals?');
    expect(problemsOf({ columns: { mql_at: 'MQL' } }, 'leads')).toEqual([]);
  });

  it('is found by its name in any folder', () => {
    expect(isMappingKey('incoming/leads/mapping.json')).toBe(true);
    expect(isMappingKey('incoming/leads/team/Mapping.JSON')).toBe(true);
    expect(isMappingKey('incoming/leads/mapping.json.csv')).toBe(false);
  });

  it('docs/mapping.schema.json is what the zod schema generates (run npm run docs:mapping)', async () => {
    expect(await readFile(MAPPING_SCHEMA_PATH, 'utf8')).toBe(renderMappingSchema());
  });
});
