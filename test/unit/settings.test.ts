import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASET_NAMES } from '../../lambdas/domain/layout.ts';
import { METRICS, SECTIONS } from '../../lambdas/domain/metrics/registry.ts';
import {
  DEFAULT_SETTINGS, parseConfig, parseSettings, parseSettingsJson, SETTINGS_ENV, SETTINGS_KEYS, SettingsError, settingsFromEnv,
  settingsToEnv, STACK_KEYS,
} from '../../lambdas/domain/settings.ts';
import { sendOptionsFrom } from '../../lambdas/use-cases/send-scorecard.ts';
import { buildStackConfig, ConfigError, readStackConfig, type ContextSource } from '../../lib/config.ts';
import { renderSettingsSchema, SETTINGS_SCHEMA_PATH, settingsJsonSchema } from '../../scripts/generate-settings-schema.ts';

/** The message `f` throws, asserting it is a one-line SettingsError. */
function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a SettingsError, nothing was thrown');
}

describe('settings', () => {
  it('round-trips through the Lambda environment, recipient groups included', () => {
    const s = parseSettings({
      timezone: 'Europe/Paris', recipients: 'ceo@x.com, cmo@x.com', whenDataMissing: 'hold', requiredDatasets: 'leads,spend',
      recipientGroups: JSON.stringify([{ name: 'sales', recipients: ['vp@x.com'], sections: ['revenue', 'conversion'] }]),
      targets: '{"win_rate":0.3,"cost_per_lead":50}', grossMargin: '0.7', errorTolerance: '0.02',
    });
    expect(settingsFromEnv(settingsToEnv(s))).toEqual(s);
    expect(s.recipients).toEqual(['ceo@x.com', 'cmo@x.com']);
    expect(s.recipientGroups).toEqual([{ name: 'sales', recipients: ['vp@x.com'], sections: ['revenue', 'conversion'] }]);
  });

  it('names the setting that is wrong', () => {
    expect(() => parseSettings({ timezone: 'Mars/Olympus' })).toThrow(/^timezone "Mars\/Olympus" is not an IANA time zone$/);
    expect(() => parseSettings({ whenDataMissing: 'later' })).toThrow(/^whenDataMissing must be banner or hold, got "later"$/);
    expect(() => parseSettings({ recipientGroups: '[{"name":"x"}]' })).toThrow(/^recipientGroups\[0\]\.recipients is missing$/);
    expect(() => parseSettings({ requiredDatasets: 'leads,deals' })).toThrow(
      `requiredDatasets[1]: unknown dataset "deals"; datasets are ${DATASET_NAMES.join(', ')}`,
    );
    expect(() => parseSettings({ currency: 'EURO' })).toThrow(/^currency "EURO" is not an ISO 4217 code$/);
    expect(() => parseSettings({ grossMargin: 1.5 })).toThrow(/^grossMargin must be a fraction in \(0, 1\], got 1\.5$/);
    expect(() => parseSettings({ clvLifespanCapMonths: '0' })).toThrow(/^clvLifespanCapMonths must be a positive number of months, got 0$/);
    expect(() => parseSettings({ errorTolerance: 2 })).toThrow(/^errorTolerance must be a fraction of rows between 0 and 1/);
    expect(() => parseSettings({ timezone: 5 })).toThrow(/^timezone: expected a string, got 5$/);
  });

  it('turns settings into sending options', () => {
    expect(sendOptionsFrom(DEFAULT_SETTINGS)).toEqual({});
    const opts = sendOptionsFrom(parseSettings({ whenDataMissing: 'hold', requiredDatasets: 'leads', recipientGroups: [{ name: 'sales', recipients: ['a@x.com'], sections: ['revenue'] }] }));
    expect(opts).toEqual({ whenDataMissing: 'hold', requiredDatasets: ['leads'], groups: [{ name: 'sales', recipients: ['a@x.com'], sections: ['revenue'] }] });
  });

  it('refuses an unknown key, naming it and the closest known key', () => {
    expect(messageOf(() => parseSettings({ recipents: ['ceo@acme.example'] }))).toBe('recipents: unknown setting; did you mean recipients?');
    expect(messageOf(() => parseSettings({ TimeZone: 'UTC' }))).toBe('TimeZone: unknown setting; did you mean timezone?');
    expect(messageOf(() => parseSettings({ colour: 'blue' }))).toBe('colour: unknown setting; see docs/settings.schema.json for the settings');
    expect(messageOf(() => parseSettings({ recipientGroups: [{ name: 'sales', recipients: ['a@x.com'], section: ['revenue'] }] })))
      .toBe('recipientGroups[0].section: unknown key; did you mean sections?');
    // The stack's own keys belong to the same file: accepted (and checked) here, left out of the settings.
    expect(parseSettings({ schedule: 'cron(0 6 1 * ? *)', sesSandbox: 'true', $schema: '../docs/settings.schema.json' })).toEqual(DEFAULT_SETTINGS);
  });

  it('takes targets only as finite numbers keyed by a KPI id of the registry', () => {
    expect(messageOf(() => parseSettings({ targets: { win_rate: '30%' } }))).toBe('targets.win_rate: expected a number, got "30%"');
    expect(messageOf(() => parseSettings({ targets: { winrate: 0.3 } }))).toBe('targets.winrate: unknown KPI id; did you mean win_rate?');
    expect(messageOf(() => parseSettings({ targets: { pipeline: 1 } }))).toBe(`targets.pipeline: unknown KPI id; KPI ids are ${METRICS.map((m) => m.id).join(', ')}`);
    expect(messageOf(() => parseSettings({ targets: { win_rate: 30 } }))).toBe('targets.win_rate must be a fraction from 0 to 1 (0.3 for 30%), got 30');
    expect(messageOf(() => parseSettings({ targets: { cac: -5 } }))).toBe('targets.cac must be a number from 0 up, got -5');
    expect(messageOf(() => parseSettings({ targets: '{"win_rate": 0.3' }))).toMatch(/^targets is not valid JSON \(/);
    expect(messageOf(() => parseSettings({ targets: [0.3] }))).toBe('targets: expected an object, got a list');
    // CDK context and the environment give JSON text; cdk.json and a file an object.
    expect(parseSettings({ targets: '{"win_rate":0.3}' }).targets).toEqual({ win_rate: 0.3 });
    expect(parseSettings({ targets: { ltv_to_cac: 3, cost_per_lead: 50 } }).targets).toEqual({ ltv_to_cac: 3, cost_per_lead: 50 });
  });

  it('takes bare email addresses for recipients, sender, ops and recipient groups', () => {
    expect(messageOf(() => parseSettings({ recipients: 'ceo@acme.example, cmo-at-acme' }))).toBe('recipients[1] "cmo-at-acme" is not an email address');
    expect(messageOf(() => parseSettings({ sender: 'scorecard' }))).toBe('sender "scorecard" is not an email address');
    expect(messageOf(() => parseSettings({ opsEmail: 'ops@acme' }))).toBe('opsEmail "ops@acme" is not an email address');
    expect(messageOf(() => parseSettings({ recipientGroups: [{ name: 'sales', recipients: ['vp@acme.example', 'cro'] }] })))
      .toBe('recipientGroups[0].recipients[1] "cro" is not an email address');
    // The addresses are SES envelope addresses and identity ARNs (lib/constructs/ses-identity.ts): no display name.
    expect(messageOf(() => parseSettings({ sender: 'Scorecard <scorecard@acme.example>' }))).toBe('sender "Scorecard <scorecard@acme.example>" is not an email address');
    expect(parseSettings({ sender: ' kpi@reports.acme.example ', recipients: ['a.b+kpi@acme.co.uk'] })).toMatchObject({
      sender: 'kpi@reports.acme.example', recipients: ['a.b+kpi@acme.co.uk'],
    });
  });

  it('takes only section ids of the metric registry in a recipient group', () => {
    const groups = [{ name: 'all', recipients: ['ceo@acme.example'] }, { name: 'sales', recipients: ['vp@acme.example'], sections: ['sales'] }];
    expect(messageOf(() => parseSettings({ recipientGroups: groups }))).toBe(
      `recipientGroups[1].sections[0]: unknown section "sales"; sections are ${SECTIONS.map((s) => s.id).join(', ')}`,
    );
    expect(SECTIONS.map((s) => s.id).join(', ')).toMatch(/^acquisition, conversion, /);
    // The same from the environment, where the send would have failed on the first monthly run.
    expect(messageOf(() => settingsFromEnv({ SCORECARD_RECIPIENT_GROUPS: JSON.stringify(groups) }))).toBe(
      `SCORECARD_RECIPIENT_GROUPS: recipientGroups[1].sections[0]: unknown section "sales"; sections are ${SECTIONS.map((s) => s.id).join(', ')}`,
    );
  });

  it('reads a config file\'s text into settings, naming the file for malformed JSON, null or an array', () => {
    const text = JSON.stringify({ timezone: 'America/New_York', recipients: ['ceo@acme.example'], targets: { sql_acceptance_rate: 0.85 }, schedule: '30 7 2 * ? *' }, null, 2);
    expect(parseSettingsJson(text, 'config/prod.json')).toMatchObject({ timezone: 'America/New_York', recipients: ['ceo@acme.example'], targets: { sql_acceptance_rate: 0.85 } });
    expect(parseSettingsJson(`\uFEFF${text}`, 'config/prod.json').timezone).toBe('America/New_York');
    expect(messageOf(() => parseSettingsJson('{\n  "timezone": "UTC",\n}\n', 'config/prod.json'))).toMatch(/^config\/prod\.json: not valid JSON at line 3, column 1: \S/);
    expect(messageOf(() => parseSettingsJson('{\n  "timezone": "UTC"\n  "currency": "EUR"\n}', 'config/prod.json'))).toMatch(/^config\/prod\.json: not valid JSON at line 3, column 3: /);
    expect(messageOf(() => parseSettingsJson('', 'config/prod.json'))).toMatch(/^config\/prod\.json: not valid JSON: /);
    expect(messageOf(() => parseSettingsJson('null', 'config/prod.json'))).toBe('config/prod.json: the settings must be a JSON object, got null');
    expect(messageOf(() => parseSettingsJson('[{"timezone":"UTC"}]', 'config/prod.json'))).toBe('config/prod.json: the settings must be a JSON object, got a list');
    expect(messageOf(() => parseSettingsJson('"UTC"', 'config/prod.json'))).toBe('config/prod.json: the settings must be a JSON object, got "UTC"');
    expect(messageOf(() => parseSettingsJson('{"recipents":["ceo@acme.example"]}', 'config/prod.json'))).toBe(
      'config/prod.json: recipents: unknown setting; did you mean recipients?',
    );
  });

  it('names the key path of every problem, all of them on one line', () => {
    const message = messageOf(() => parseSettings({ targets: { win_rate: '30%' }, recipientGroups: [{ name: 'x', recipients: ['a@x.com'], sections: ['sales'] }], recipents: 'a@x.com' }));
    expect(message).toMatch(/^3 problems: \(1\) /);
    for (const path of ['targets.win_rate:', 'recipientGroups[0].sections[0]:', 'recipents:']) expect(message).toContain(path);
    const error = (() => {
      try {
        parseSettings({ targets: { win_rate: '30%' }, sender: 'nobody' });
      } catch (e) {
        return e as SettingsError;
      }
    })();
    expect(error?.problems.map((p) => p.path).sort()).toEqual(['sender', 'targets.win_rate']);
    // The handlers' settings: the message starts with the environment variable.
    expect(messageOf(() => settingsFromEnv({ SCORECARD_TARGETS: '{"win_rate":"30%"}' }))).toBe('SCORECARD_TARGETS: targets.win_rate: expected a number, got "30%"');
  });

  it('keeps the string forms of CDK context and the environment', () => {
    const s = parseSettings({
      recipients: 'a@x.com,b@x.com', salesSourcedSources: 'outbound, partner referral', grossMargin: '0.7', clvLifespanCapMonths: '36',
      errorTolerance: '0.01', currency: 'eur', requiredDatasets: ' leads , spend ', timezone: ' Europe/Paris ', opsEmail: '',
    });
    expect(s).toMatchObject({
      recipients: ['a@x.com', 'b@x.com'], salesSourcedSources: ['outbound', 'partner referral'], grossMargin: 0.7, clvLifespanCapMonths: 36,
      errorTolerance: 0.01, currency: 'EUR', requiredDatasets: ['leads', 'spend'], timezone: 'Europe/Paris', opsEmail: DEFAULT_SETTINGS.opsEmail,
    });
    // A blank or null value is an absent key; 0 tolerance is none; absent keys keep the base's values.
    expect(parseSettings({ grossMargin: '', errorTolerance: '0', recipients: null })).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings({ currency: 'GBP' }, parseSettings({ timezone: 'Europe/London', grossMargin: 0.8 }))).toMatchObject({ timezone: 'Europe/London', currency: 'GBP', grossMargin: 0.8 });
    expect(messageOf(() => parseSettings({ grossMargin: '70%' }))).toBe('grossMargin: expected a number, got "70%"');
    expect(parseConfig({ sesSandbox: 'yes', removalPolicy: 'DESTROY', rejectedRetentionDays: '14', deletionProtection: false }).stack).toEqual({
      sesSandbox: true, removalPolicy: 'destroy', rejectedRetentionDays: 14, deletionProtection: false,
    });
    expect(settingsFromEnv({})).toEqual(DEFAULT_SETTINGS);
    expect(Object.keys(SETTINGS_ENV).sort()).toEqual([...SETTINGS_KEYS].sort());
  });
});

describe('the stack configuration (lib/config.ts) through the same schema', () => {
  const contextOf = (values: Record<string, unknown>): ContextSource => ({
    tryGetContext: (key) => values[key],
    getAllContext: () => values,
  });
  const configFile = (text: string): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'settings-test-')), 'prod.json');
    writeFileSync(file, text);
    return file;
  };

  it('stops synth on a bad config file, naming the file and the key path', () => {
    const typo = configFile(JSON.stringify({ recipents: ['ceo@acme.example'] }));
    expect(() => readStackConfig(contextOf({ config: typo }))).toThrow(ConfigError);
    expect(() => readStackConfig(contextOf({ config: typo }))).toThrow(`config file ${typo}: recipents: unknown setting; did you mean recipients?`);
    const sections = configFile(JSON.stringify({ recipientGroups: [{ name: 'sales', recipients: ['vp@acme.example'], sections: ['sales'] }] }));
    expect(() => readStackConfig(contextOf({ config: sections }))).toThrow(`config file ${sections}: recipientGroups[0].sections[0]: unknown section "sales"`);
    const broken = configFile('{ "timezone": "UTC", }');
    expect(() => readStackConfig(contextOf({ config: broken }))).toThrow(`config file ${broken}: not valid JSON at line 1, column 22: `);
    expect(() => readStackConfig(contextOf({ config: configFile('null') }))).toThrow(/: the settings must be a JSON object, got null$/);
    expect(() => readStackConfig(contextOf({ config: configFile(JSON.stringify({ removalPolicy: 'snapshot' })) }))).toThrow(/removalPolicy must be retain or destroy, got "snapshot"/);
  });

  it('stops synth on bad context values and on a misspelt context key, and reads the string forms', () => {
    expect(() => buildStackConfig({ targets: '{"win_rate":"30%"}' })).toThrow('invalid setting: targets.win_rate: expected a number, got "30%"');
    expect(() => readStackConfig(contextOf({ recipents: 'ceo@acme.example', '@aws-cdk/core:target-partitions': ['aws'], 'aws:cdk:bundling-stacks': [] })))
      .toThrow('invalid setting: context key recipents: unknown setting; did you mean recipients?');
    const config = readStackConfig(contextOf({ recipients: 'ceo@acme.example,cfo@acme.example', grossMargin: '0.7', sesSandbox: 'true', rejectedRetentionDays: '14', 'cli-telemetry': false }));
    expect(config).toMatchObject({ sesSandbox: true, rejectedRetentionDays: 14, settings: { recipients: ['ceo@acme.example', 'cfo@acme.example'], grossMargin: 0.7 } });
  });
});

describe('docs/settings.schema.json', () => {
  it('is what the zod schema generates (run npm run docs:settings)', async () => {
    expect(await readFile(SETTINGS_SCHEMA_PATH, 'utf8')).toBe(renderSettingsSchema());
  });

  it('describes the file: every setting and stack key, KPI ids, sections, no other key', () => {
    const schema = settingsJsonSchema() as { $schema: string; title: string; description: string; additionalProperties: boolean; properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBeTruthy();
    expect(schema.description).toContain('-c config=');
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(['$schema', ...SETTINGS_KEYS, ...STACK_KEYS].sort());
    for (const [key, property] of Object.entries(schema.properties)) expect(property.description, key).toBeTruthy();
    expect(Object.keys(schema.properties.targets.properties)).toEqual(METRICS.map((m) => m.id));
    expect(schema.properties.targets.additionalProperties).toBe(false);
    expect(schema.properties.recipientGroups.items.properties.sections.items.enum).toEqual(SECTIONS.map((s) => s.id));
    expect(schema.properties.recipients.items.format).toBe('email');
    expect(schema.properties.timezone.default).toBe('UTC');
  });
});
