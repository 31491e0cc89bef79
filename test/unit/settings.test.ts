import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings, SettingsError, settingsFromEnv, settingsToEnv } from '../../lambdas/domain/settings.ts';
import { sendOptionsFrom } from '../../lambdas/use-cases/send-scorecard.ts';

describe('settings', () => {
  it('round-trips through the Lambda environment, recipient groups included', () => {
    const s = parseSettings({
      timezone: 'Europe/Paris', recipients: 'ceo@x.com, cmo@x.com', whenDataMissing: 'hold', requiredDatasets: 'leads,spend',
      recipientGroups: JSON.stringify([{ name: 'sales', recipients: ['vp@x.com'], sections: ['revenue', 'conversion'] }]),
    });
    expect(settingsFromEnv(settingsToEnv(s))).toEqual(s);
    expect(s.recipients).toEqual(['ceo@x.com', 'cmo@x.com']);
    expect(s.recipientGroups).toEqual([{ name: 'sales', recipients: ['vp@x.com'], sections: ['revenue', 'conversion'] }]);
  });

  it('names the setting that is wrong', () => {
    expect(() => parseSettings({ timezone: 'Mars/Olympus' })).toThrow(/timezone/);
    expect(() => parseSettings({ whenDataMissing: 'later' })).toThrow(SettingsError);
    expect(() => parseSettings({ recipientGroups: '[{"name":"x"}]' })).toThrow(/recipientGroups/);
    expect(() => parseSettings({ requiredDatasets: 'leads,deals' })).toThrow(/deals/);
  });

  it('turns settings into sending options, refusing unknown sections', () => {
    expect(sendOptionsFrom(DEFAULT_SETTINGS)).toEqual({});
    const opts = sendOptionsFrom(parseSettings({ whenDataMissing: 'hold', requiredDatasets: 'leads', recipientGroups: [{ name: 'sales', recipients: ['a@x.com'], sections: ['revenue'] }] }));
    expect(opts).toEqual({ whenDataMissing: 'hold', requiredDatasets: ['leads'], groups: [{ name: 'sales', recipients: ['a@x.com'], sections: ['revenue'] }] });
    expect(() => sendOptionsFrom(parseSettings({ recipientGroups: [{ name: 'x', recipients: ['a@x.com'], sections: ['finance'] }] }))).toThrow(/finance/);
  });
});
